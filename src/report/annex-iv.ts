/**
 * The Annex IV technical documentation as Markdown: a summary, then one `##` section per part
 * of Annex IV, each item with its value (or its file and the date of the commit that last
 * changed it), and every missing item marked `**Missing:**` where it belongs, with the key to
 * set. Everything that comes from the manifest, its evidence or git is escaped: it shows what
 * it holds and does nothing (no heading, link, HTML, table or mention; control characters and
 * bidi controls shown, never obeyed). The same inputs give the same bytes.
 */
import { annexIvKey } from '../core/annex-iv.js';
import type {
  AnnexIvDocument,
  AnnexIvFile,
  AnnexIvItem,
  AnnexIvScalar,
  AnnexIvSection,
} from '../core/annex-iv.js';
import { EU_AI_ACT_URL } from '../core/eu-ai-act.js';
import { mdCode, mdText } from './escape.js';
import {
  ANNEX_IV_ITEM_WORDS,
  ANNEX_IV_SECTION_TITLES,
  evidenceGapWords,
} from './messages/annex-iv.js';
import { shellWord } from './messages/shell.js';

/** Bidi embeddings, overrides, isolates and marks, and the Unicode line and paragraph separators. */
const INVISIBLE = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Shown by name (`[U+202E]`): a value cannot reorder or split what is around it. */
const visible = (s: string): string =>
  s.replace(INVISIBLE, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);

/** An input as Markdown text (see `mdText`), after the text that starts its line. */
const text = (s: string): string => mdText(visible(s), { start: false });
/** An input as Markdown text at the start of a line. */
const textStart = (s: string): string => mdText(visible(s));
/** An input shown as code. */
const code = (s: string): string => mdCode(visible(s));

const scalarText = (v: AnnexIvScalar): string => (typeof v === 'string' ? text(v) : String(v));

/** The `declares` value of the items about declared metrics (Art. 15(3)). */
const DECLARES: Partial<Record<AnnexIvItem['kind'], string>> = {
  declaresAccuracy: 'accuracy',
  declaresRobustness: 'robustness',
  declaresCybersecurity: 'cybersecurity',
};

const CLASS_WORDS: Record<string, string> = {
  prohibited: 'prohibited practice (Art. 5)',
  high: 'high-risk (Art. 6)',
  minimal: 'minimal risk',
  out_of_scope: 'outside the scope of the Act',
};

/** How a mlops command in the document starts. */
export interface AnnexIvTelling {
  invokedAs: string;
}

/** The document as Markdown, ending with a line break. */
export function renderAnnexIv(doc: AnnexIvDocument, how: AnnexIvTelling): string {
  const lines: string[] = [];
  const name = doc.title ?? doc.name ?? doc.manifest;
  lines.push(`# Technical documentation: ${text(name)}`, '');
  lines.push(
    `EU AI Act (Regulation (EU) 2024/1689), Article 11 and Annex IV. Written by \`${how.invokedAs} export annex-iv\` from the manifest and its committed evidence; every item the manifest does not hold is marked **Missing:** with the key that would hold it.`,
    '',
  );
  lines.push(...summary(doc), '');
  if (!doc.required)
    lines.push(
      `> Annex IV technical documentation is required only for high-risk AI systems (Art. 11); this system is ${doc.eu.riskClass !== undefined ? `classified ${CLASS_WORDS[doc.eu.riskClass] ?? doc.eu.riskClass}` : 'not classified (`metadata.euAiAct`)'}. The document is written all the same.`,
      '',
    );
  doc.sections.forEach((section, i) => {
    lines.push(
      `## ${i + 1}. ${ANNEX_IV_SECTION_TITLES[section.id]} (Annex IV point ${section.point})`,
      '',
    );
    lines.push(...sectionLines(section, doc, how), '');
  });
  lines.push(`The text of the Act: ${EU_AI_ACT_URL}`);
  return `${lines.join('\n')}\n`;
}

function summary(doc: AnnexIvDocument): string[] {
  const missing = doc.total - doc.present;
  const eu = doc.eu;
  const source =
    doc.source.state === 'untracked'
      ? 'not committed: the document reads the working tree'
      : `${doc.source.commit !== undefined ? `commit ${code(doc.source.commit.slice(0, 12))}` : 'the last commit'}${doc.source.date !== undefined ? ` (manifest last changed ${doc.source.date})` : ''}${doc.source.state === 'modified' ? ', with changes to the manifest not committed' : ''}`;
  const classification =
    eu.riskClass === undefined
      ? 'not classified'
      : `${CLASS_WORDS[eu.riskClass] ?? eu.riskClass}${eu.legalBasis ? `, Annex ${text(eu.legalBasis.annex)} point ${text(eu.legalBasis.point)}` : ''}; role ${eu.role ?? 'not given (held to the provider’s duties when high-risk)'}; Art. 50 transparency duties: ${eu.art50 ? 'yes' : 'no'}; general-purpose AI: ${eu.gpai}`;
  return [
    `- **Manifest:** ${code(doc.manifest)}${doc.name !== undefined ? ` (${code(doc.name)}${doc.version !== undefined ? `, version ${text(doc.version)}` : ''})` : ''}`,
    `- **Source:** ${source}`,
    ...(doc.pinned
      ? [`- **Date:** ${doc.pinned.today}, pinned by ${code(doc.pinned.source)} (today)`]
      : []),
    `- **Classification:** ${classification}`,
    `- **Items present:** ${doc.present} of ${doc.total}${missing > 0 ? `; ${missing} missing, each marked **Missing:** below` : ''}`,
  ];
}

function sectionLines(
  section: AnnexIvSection,
  doc: AnnexIvDocument,
  how: AnnexIvTelling,
): string[] {
  const out: string[] = [];
  for (const item of section.items) out.push(...itemLines(item, doc, how));
  return out;
}

/** "Datasheet of `customers-train`". */
function label(item: AnnexIvItem): string {
  const word = ANNEX_IV_ITEM_WORDS[item.kind];
  const cap = word.charAt(0).toUpperCase() + word.slice(1);
  return item.item !== undefined ? `${cap} of ${code(item.item)}` : cap;
}

function fileText(file: AnnexIvFile): string {
  const shown = code(file.path ?? file.raw);
  const at = file.pointer !== undefined ? ` at ${code(file.pointer)}` : '';
  return `${shown}${at}, ${file.date !== undefined ? `last changed in a commit of ${file.date}` : 'committed'}`;
}

function itemLines(item: AnnexIvItem, doc: AnnexIvDocument, how: AnnexIvTelling): string[] {
  const key = annexIvKey(item.key);
  if (item.gap !== undefined) {
    const what = `${ANNEX_IV_ITEM_WORDS[item.kind]}${item.item !== undefined ? ` of ${code(item.item)}` : ''}`;
    const facts = item.value?.facts?.length ? ` (${factsText(item.value.facts)})` : '';
    switch (item.gap.reason) {
      case 'unset': {
        const declares = DECLARES[item.kind];
        return declares !== undefined
          ? [
              `- **Missing:** ${what} — set \`declares: ${declares}\` on the guardrail that measures it, under ${code(key)}`,
            ]
          : [`- **Missing:** ${what}${facts} — set ${code(key)}`];
      }
      case 'evidence':
        return [
          `- **Missing:** ${what}${facts} — ${code(item.gap.file.path ?? item.gap.file.raw)}, named at ${code(key)}: ${evidenceGapWords(item.gap.code)}; commit it (\`${how.invokedAs} check ${shellWord(doc.manifest)}\` says how)`,
        ];
      case 'uncommitted':
        return [
          `- **Missing:** ${what} — the manifest is not committed; commit ${code(doc.manifest)}`,
        ];
    }
  }
  const v = item.value ?? {};
  const head = `- **${label(item)}:**`;
  const parts: string[] = [];
  if (v.file !== undefined) parts.push(fileText(v.file));
  if (v.facts !== undefined && v.facts.length > 0) parts.push(factsText(v.facts));
  const out: string[] = [];
  if (v.versions !== undefined) {
    out.push(
      `${head} ${v.versions.length > 0 ? `${v.versions.length} committed version${v.versions.length === 1 ? '' : 's'}, newest first` : 'committed'}${doc.source.state === 'modified' ? '; the working tree has changes not committed' : ''}`,
    );
    for (const ver of v.versions)
      out.push(
        `  - ${ver.date} ${code(ver.commit.slice(0, 12))}${ver.version !== undefined ? ` version ${text(ver.version)}` : ''}${ver.subject !== undefined ? `: ${text(ver.subject)}` : ''}`,
      );
    return out;
  }
  if (v.text !== undefined && parts.length === 0 && v.list === undefined) {
    out.push(`${head} ${text(v.text)}`);
    return out;
  }
  out.push(parts.length > 0 ? `${head} ${parts.join('; ')}` : head);
  if (v.text !== undefined) out.push(`  - ${textStart(v.text)}`);
  for (const entry of v.list ?? []) out.push(`  - ${textStart(entry)}`);
  return out;
}

function factsText(facts: readonly [string, AnnexIvScalar][]): string {
  return facts.map(([k, v]) => `${k} ${scalarText(v)}`).join(', ');
}
