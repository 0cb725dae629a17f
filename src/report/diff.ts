import type { ChalkInstance } from 'chalk';
import { allItems } from '../core/diff.js';
import type {
  Acknowledgement,
  Change,
  DiffFinding,
  DiffResult,
  DiffSide,
  ManifestDiff,
} from '../core/diff.js';
import { countFindings } from '../core/findings.js';
import type { Finding, FindingCounts, Severity } from '../core/findings.js';
import { renderCodeQuality } from './codequality.js';
import { configJson, describeSettings, escapeGithubData, escapeGithubProperty } from './context.js';
import type { ReportContext, Reporter } from './context.js';
import { describeMarkdown, describeProtected, describeText } from './describe.js';
import { escapeLine as e, htmlText, jsonText, mdCode, mdSpans, mdText, protect } from './escape.js';
import { classnameOf, renderJUnit } from './junit.js';
import type { JUnitCase, JUnitItem } from './junit.js';
import { MARKDOWN_LIMIT, MarkdownBudget, count, linesLength } from './markdown.js';
import { changeField } from './messages/diff.js';
import { describeFinding, messageSpec } from './messages/words.js';
import type { Telling } from './messages/index.js';
import { keepsPaths, relocateConfig, relocateFinding, toCwd, toRoot } from './paths.js';
import type { Relocate } from './paths.js';
import { codeRule, renderSarifLog, sarifLevel } from './sarif.js';
import { plural } from './words.js';
import { wrapLine } from './wrap.js';
import { OUTPUT_FORMATS } from '../core/config.js';

/** Every format of `--format`. */
export const DIFF_FORMATS = OUTPUT_FORMATS;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** The level names diff has always printed and written to JSON (`--fail-on` takes the same). */
export type DiffLevel = 'error' | 'warn' | 'info';
const LEVEL: Record<Severity, DiffLevel> = { error: 'error', warning: 'warn', info: 'info' };

type Item = Change | DiffFinding;
const isChange = (i: Item): i is Change => 'class' in i;

/** A change with its paths (file, the manifest moved, added or deleted, the approve command) seen from elsewhere. */
function changeAt(c: Change, at: Relocate): Change {
  const path = (v: unknown): unknown => (typeof v === 'string' ? at(v) : v);
  const manifest = c.args.what === 'manifest';
  const args = {
    ...c.args,
    ...(typeof c.args.file === 'string' ? { file: at(c.args.file) } : {}),
    ...(manifest && c.args.op === 'moved' ? { old: path(c.args.old), new: path(c.args.new) } : {}),
    // the evidence a change of evidence is about, and the files that made an approval stale
    ...(typeof c.args.evidence === 'string' ? { evidence: at(c.args.evidence) } : {}),
    ...(Array.isArray(c.args.files) ? { files: c.args.files.map((f) => at(f)) } : {}),
  } as Change['args'];
  const fix =
    c.fix?.kind === 'command' && c.fix.argv[1] === 'approve'
      ? { ...c.fix, argv: c.fix.argv.map((a, i) => (i === 2 ? at(a) : a)) }
      : c.fix;
  return {
    ...c,
    file: at(c.file),
    args,
    ...(manifest && 'old' in c ? { old: path(c.old) } : {}),
    ...(manifest && 'new' in c ? { new: path(c.new) } : {}),
    ...(fix ? { fix } : {}),
  };
}

/** A diff finding with its paths, and those of the side findings it carries, seen from elsewhere. */
function findingAt(f: DiffFinding, at: Relocate): DiffFinding {
  return {
    ...relocateFinding(f, at),
    ...(typeof f.args.file === 'string' ? { args: { ...f.args, file: at(f.args.file) } } : {}),
    ...(f.findings ? { findings: f.findings.map((x) => relocateFinding(x, at)) } : {}),
  };
}

/** The result with every path seen from elsewhere; fingerprints are kept as they are. */
function resultAt(result: DiffResult, at: Relocate): DiffResult {
  if (keepsPaths(at)) return result;
  return {
    ...result,
    manifests: result.manifests.map((m) => ({
      ...m,
      file: at(m.file),
      ...(m.baseFile !== undefined ? { baseFile: at(m.baseFile) } : {}),
      ...(m.headFile !== undefined ? { headFile: at(m.headFile) } : {}),
      changes: m.changes.map((c) => changeAt(c, at)),
      findings: m.findings.map((f) => findingAt(f, at)),
    })),
  };
}

/** For text and markdown: paths relative to the current folder. */
const cwdView = (result: DiffResult, ctx: ReportContext): DiffResult =>
  resultAt(result, toCwd(ctx, result.root ?? ctx.root));

/** For machine formats: paths relative to the repository root. */
const rootView = (result: DiffResult, ctx: ReportContext): DiffResult =>
  resultAt(result, toRoot(ctx, result.root ?? ctx.root));

const short = (commit: string | undefined): string => (commit ? commit.slice(0, 7) : '');
const code = (s: string): string => `\`${s}\``;
const where = (f: Finding): string => `${f.file ?? ''}:${f.line ?? 1}:${f.column ?? 1}`;

function sideLabel(side: DiffSide): string {
  if (!side.commit) return side.label;
  return side.label === side.rev && /^[0-9a-f]{7,40}$/.test(side.label)
    ? short(side.commit)
    : `${side.label} (${short(side.commit)})`;
}

function countsText(c: FindingCounts): string {
  const parts = [
    c.errors ? plural(c.errors, 'error') : '',
    c.warnings ? plural(c.warnings, 'warning') : '',
    c.infos ? `${c.infos} info` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/**
 * "envision signed off by Helena Marsh (decision_maker) on 2026-10-01 and ...". `input` is
 * given each value from the manifest (`protect` for Markdown).
 */
export function describeAcknowledgement(
  ack: Acknowledgement,
  input: (s: string) => string = (s) => s,
): string {
  const who = ack.approvals.map((a) => {
    const detail = a.decision === 'conditional' ? `${a.role}, conditional` : a.role;
    return `${a.name !== undefined ? input(a.name) : code(input(a.by))} (${input(detail)}) on ${input(a.date)}`;
  });
  const list =
    who.length > 1 ? `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}` : (who[0] ?? '');
  return `${ack.phase} signed off by ${list}`;
}

/**
 * A change in words: the field, the description (without the model), the message (with the
 * model and who acknowledged it) and the hint.
 */
export function describeChange(
  c: Change,
  how: Telling = {},
): {
  field: string;
  description: string;
  message: string;
  hint?: string;
} {
  const { message: description, hint } = describeFinding(c, how);
  const ack = c.acknowledged ? `; acknowledged: ${describeAcknowledgement(c.acknowledged)}` : '';
  return {
    field: changeField(c.args),
    description,
    message: `${c.model}: ${description}${ack}`,
    ...(hint ? { hint } : {}),
  };
}

/** The findings of reading a side, shown under its CANNOT_DIFF or SIDE_INVALID. */
function sideFindings(f: DiffFinding): Finding[] {
  const all = f.findings ?? [];
  // CANNOT_DIFF names its first error in its own line
  if (f.code !== 'CANNOT_DIFF') return all;
  const first = all.find((x) => x.severity === 'error');
  return all.filter((x) => x !== first);
}

/** A diff finding in words, without the model; CANNOT_DIFF names the first error of its side. */
export function describeDiffFinding(
  f: DiffFinding,
  how: Telling = {},
): { text: string; hint?: string } {
  const { message, hint } = describeFinding(f, how);
  const first =
    f.code === 'CANNOT_DIFF' ? f.findings?.find((x) => x.severity === 'error') : undefined;
  const text = first
    ? `${message}: ${where(first)} ${describeFinding(first, how).message}`
    : message;
  return { text, ...(hint ? { hint } : {}) };
}

function describeItem(i: Item, how: Telling): { text: string; hint?: string } {
  if (!isChange(i)) return describeDiffFinding(i, how);
  const { description, hint } = describeChange(i, how);
  return { text: description, ...(hint ? { hint } : {}) };
}

/** `describeItem` for a terminal: one line each, control characters escaped. */
function describeItemText(i: Item, how: Telling): { text: string; hint?: string } {
  const { text: words, hint } = describeItem(i, how);
  return { text: e(words), ...(hint ? { hint: e(hint) } : {}) };
}

/** `describeItem` as inert Markdown: the words of every input say what they hold and no more. */
function describeItemMarkdown(i: Item, how: Telling): { text: string; hint?: string } {
  const { message, hint } = describeProtected(i, how);
  const first =
    !isChange(i) && i.code === 'CANNOT_DIFF'
      ? i.findings?.find((x) => x.severity === 'error')
      : undefined;
  const words = first
    ? `${message}: ${protect(where(first))} ${describeProtected(first, how).message}`
    : message;
  return { text: mdSpans(words), ...(hint ? { hint: mdSpans(hint) } : {}) };
}

/** Sides that do not parse or validate, then changes (loosened first), then the version rule. */
function ordered(m: ManifestDiff): Item[] {
  const side = (f: DiffFinding): boolean => f.code === 'CANNOT_DIFF' || f.code === 'SIDE_INVALID';
  return [...m.findings.filter(side), ...m.changes, ...m.findings.filter((f) => !side(f))];
}

function versionText(m: ManifestDiff): string {
  if (m.status === 'added') return `added${m.headVersion ? `, ${m.headVersion}` : ''}`;
  if (m.status === 'deleted') return `deleted${m.baseVersion ? `, was ${m.baseVersion}` : ''}`;
  if (m.status === 'unparseable') return m.headVersion ?? m.baseVersion ?? '';
  // two files compared as given are not a move
  const moved = m.changes.some((c) => c.args.what === 'manifest' && c.args.op === 'moved')
    ? `moved from ${m.baseFile}`
    : '';
  const version =
    m.baseVersion === m.headVersion
      ? (m.headVersion ?? '')
      : `${m.baseVersion ?? '(none)'} → ${m.headVersion ?? '(none)'}`;
  return [version, moved].filter(Boolean).join(', ');
}

const FINDING_LABEL: Record<DiffFinding['code'], string> = {
  CANNOT_DIFF: 'unreadable',
  SIDE_INVALID: 'invalid',
  VERSION_NOT_BUMPED: 'not bumped',
  VERSION_BUMP_TOO_SMALL: 'small bump',
  VERSION_DOWNGRADED: 'downgraded',
  VERSION_INVALID: 'bad version',
};

function label(i: Item): string {
  return isChange(i) ? i.class : FINDING_LABEL[i.code];
}

function summaryLine(result: DiffResult): { counts: FindingCounts; line: string } {
  const counts = countFindings(allItems(result));
  const text = countsText(counts);
  const scope = `${result.manifests.length} of ${plural(result.compared, 'manifest')} changed`;
  return {
    counts,
    line: text
      ? `${text}: ${scope}`
      : `no semantic changes in ${plural(result.compared, 'manifest')}`,
  };
}

function mark(severity: Severity, color: ChalkInstance): string {
  if (severity === 'error') return color.red('✖ error');
  if (severity === 'warning') return color.yellow('⚠ warn ');
  return color.blue('ℹ info ');
}

function severityWord(severity: Severity, color: ChalkInstance): string {
  if (severity === 'error') return color.red('error  ');
  if (severity === 'warning') return color.yellow('warning');
  return color.blue('info   ');
}

const text: Reporter<DiffResult> = (given, ctx) => {
  const result = cwdView(given, ctx);
  const { color } = ctx;
  const how: Telling = { invokedAs: ctx.invokedAs };
  const lines: string[] = [];
  // on a terminal, each line wraps at its width; continuation lines start at `hang` columns
  const push = (line: string, hang?: number): void => {
    lines.push(wrapLine(line, ctx.width, hang));
  };
  push(color.dim(`mlops diff ${e(sideLabel(result.base))} → ${e(sideLabel(result.head))}`), 2);
  lines.push('');
  const width = Math.max(
    0,
    ...result.manifests.flatMap((m) => ordered(m).map((i) => label(i).length)),
  );
  // `  ✖ error  loosened    `: the words of an item, and what follows it, start here
  const pad = ' '.repeat(13 + width);
  for (const m of result.manifests) {
    const version = e(versionText(m));
    push(`${color.bold(e(m.model))}  ${e(m.file)}${version ? color.dim(`  ${version}`) : ''}`, 2);
    const hints = new Set<string>();
    for (const i of ordered(m)) {
      const { text: words, hint } = describeItemText(i, how);
      push(`  ${mark(i.severity, color)}  ${label(i).padEnd(width)}  ${words}`, pad.length);
      if (isChange(i) && i.acknowledged)
        push(
          `${pad}${color.green(`acknowledged: ${e(describeAcknowledgement(i.acknowledged))}`)}`,
          pad.length + 2,
        );
      if (!isChange(i)) {
        for (const f of sideFindings(i))
          push(
            `${pad}${color.bold(e(where(f)))}  ${severityWord(f.severity, color)}  ${color.dim(f.code)}  ${describeText(f, how).message}`,
            pad.length + 2,
          );
      }
      if (hint && (ctx.verbose || !isChange(i)))
        push(`${pad}${color.dim(`hint: ${hint}`)}`, pad.length + 6);
      else if (hint) hints.add(hint);
      if (ctx.verbose) {
        const path = isChange(i) ? `  ${i.idPath.join(' › ') || '(manifest)'}` : '';
        push(`${pad}${color.dim(`${e(where(i))}${e(path)}  ${i.fingerprint}`)}`, pad.length + 2);
      }
    }
    for (const h of hints) push(`  ${color.dim(`hint: ${h}`)}`, 8);
    lines.push('');
  }
  const { counts, line } = summaryLine(result);
  if (counts.errors) push(color.red(`✖ ${line}`), 2);
  else if (counts.warnings) push(color.yellow(`⚠ ${line}`), 2);
  else push(color.green(`✔ ${line}`), 2);
  if (ctx.config?.decisive.length)
    push(color.dim(`exit code set by ${e(describeSettings(ctx.config.decisive))}`), 2);
  return `${lines.join('\n')}\n`;
};

const LEVEL_MD: Record<Severity, string> = {
  error: '🔴 error',
  warning: '🟡 warn',
  info: '🔵 info',
};

const ackMarkdown = (i: Item): string =>
  isChange(i) && i.acknowledged
    ? `<br>✔ acknowledged: ${mdSpans(describeAcknowledgement(i.acknowledged, protect))}`
    : '';

/**
 * The folded details of one changed manifest: what the table of errors and warnings does not
 * show (its info changes, the findings of a side that does not validate, the hints), so that
 * each change and finding is in the report once. Nothing when there is nothing more to say.
 */
function markdownDetails(m: ManifestDiff, how: Telling): string[] {
  const items = ordered(m);
  const version = versionText(m);
  const body: string[] = [];
  const infos = items.filter((i) => i.severity === 'info');
  if (infos.length > 0) {
    body.push('', '| level | class | change | fingerprint |', '|:--|:--|:--|:--|');
    for (const i of infos)
      body.push(
        `| ${LEVEL_MD[i.severity]} | ${label(i)} | ${describeItemMarkdown(i, how).text}${ackMarkdown(i)} | \`${i.fingerprint}\` |`,
      );
  }
  const found: string[] = [];
  const hints = new Set<string>();
  for (const i of items) {
    const { hint } = describeItemMarkdown(i, how);
    if (hint) hints.add(hint);
    if (!isChange(i))
      for (const f of sideFindings(i))
        found.push(
          `- ${mdCode(where(f))} ${f.severity} ${f.code}: ${describeMarkdown(f, how).message}`,
        );
  }
  if (found.length > 0) body.push('', ...found);
  if (hints.size > 0) body.push('', ...[...hints].map((h) => `- hint: ${h}`));
  if (body.length === 0) return [];
  return [
    '<details>',
    `<summary><code>${htmlText(m.model)}</code> (<code>${htmlText(m.file)}</code>${version ? `, ${htmlText(version)}` : ''}): ${countsText(countFindings(items))}</summary>`,
    ...body,
    '',
    '</details>',
    '',
  ];
}

/** The last line of a report cut at MARKDOWN_LIMIT. */
function diffCutLine(
  rowsLeft: number,
  rows: number,
  detailsLeft: number,
  manifests: number,
  invokedAs = 'mlops',
): string {
  const parts = [
    rowsLeft
      ? `${count(rowsLeft)} of the ${count(rows)} ${rows === 1 ? 'error or warning' : 'errors and warnings'} in the table`
      : '',
    detailsLeft
      ? `the details of ${count(detailsLeft)} of ${count(manifests)} changed ${manifests === 1 ? 'manifest' : 'manifests'}`
      : '',
  ].filter(Boolean);
  return `✂️ This report stops at ${count(MARKDOWN_LIMIT)} characters (a pull-request comment holds 65,536) and leaves out ${parts.join(' and ')}. Run the same \`${invokedAs} diff\` with \`--format json\` (or \`--format text\`) to see them all.`;
}

/**
 * A side as Markdown: a revision or a file as code, with its commit; words (`working tree`,
 * `merge-base of HEAD and main`) as text.
 */
function sideMarkdown(side: DiffSide): string {
  if (side.commit === undefined)
    return side.rev === undefined && side.label !== 'working tree'
      ? mdCode(side.label)
      : mdText(side.label, { start: false });
  if (side.label !== side.rev) return mdText(sideLabel(side), { start: false });
  return /^[0-9a-f]{7,40}$/.test(side.label)
    ? mdCode(short(side.commit))
    : `${mdCode(side.label)} (${short(side.commit)})`;
}

/**
 * A pull-request comment: errors and warnings in a table, then, folded per manifest, what the
 * table does not show (info changes, the findings of an invalid side, hints): each change and
 * finding once. What does not fit in MARKDOWN_LIMIT characters is left out whole (a row, a
 * manifest's details), and the last line says how much.
 */
const markdown: Reporter<DiffResult> = (given, ctx) => {
  const result = cwdView(given, ctx);
  const how: Telling = { invokedAs: ctx.invokedAs };
  const { counts, line } = summaryLine(result);
  const icon = counts.errors ? '🔴' : counts.warnings ? '🟡' : '🟢';
  const out = [
    '<!-- mlops:diff -->',
    `### ${icon} mlops diff: ${mdText(line, { start: false })}`,
    '',
    `Base: ${sideMarkdown(result.base)} → head: ${sideMarkdown(result.head)}`,
    '',
  ];
  if (ctx.config?.decisive.length)
    out.push(
      `Exit code set by ${mdText(describeSettings(ctx.config.decisive), { start: false })}.`,
      '',
    );
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const rows = result.manifests
    .flatMap((m) => ordered(m))
    .filter((i) => i.severity !== 'info')
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
  const details = result.manifests.map((m) => markdownDetails(m, how)).filter((d) => d.length);
  const cut = (rowsLeft: number, detailsLeft: number): string =>
    diffCutLine(rowsLeft, rows.length, detailsLeft, details.length, ctx.invokedAs);
  const budget = new MarkdownBudget(
    MARKDOWN_LIMIT - linesLength(['', '', cut(rows.length, details.length), '']),
  );
  let shownRows = 0;
  let shownDetails = 0;
  if (rows.length > 0) {
    out.push('| level | model | finding | fingerprint |', '|:--|:--|:--|:--|');
    budget.take(out);
    for (const i of rows) {
      const row = `| ${LEVEL_MD[i.severity]} | ${mdCode(i.model)} | **${label(i)}** ${describeItemMarkdown(i, how).text}${ackMarkdown(i)} | \`${i.fingerprint}\` |`;
      if (!budget.take([row])) break;
      out.push(row);
      shownRows++;
    }
    out.push('');
  } else {
    if (result.manifests.length > 0) out.push('No errors or warnings.', '');
    budget.take(out);
  }
  if (shownRows === rows.length) {
    for (const block of details) {
      if (!budget.take(block)) break;
      out.push(...block);
      shownDetails++;
    }
  }
  if (shownRows < rows.length || shownDetails < details.length) {
    while (out[out.length - 1] === '') out.pop();
    out.push('', cut(rows.length - shownRows, details.length - shownDetails), '');
  }
  return `${out.join('\n')}\n`;
};

function located(f: Finding): { line?: number; column?: number } {
  return f.line !== undefined ? { line: f.line, column: f.column ?? 1 } : {};
}

/**
 * What a change of evidence is about, as data: the item whose observed value moved (with its
 * bounds and the evidence it is read from), the evidence file, or the approval made stale.
 */
function evidenceJson(c: Change): Record<string, unknown> {
  const a = c.args;
  const defined = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (a.what === 'observed') {
    const bounds =
      a.subject === 'valueMetric'
        ? defined({
            direction: a.direction,
            minimumAcceptable: a.minimum,
            target: a.target,
            tolerance: a.tolerance,
          })
        : defined({ min: a.min, max: a.max });
    return {
      item: defined({
        kind: a.subject,
        id: a.key,
        dimension: a.dimension,
        phase: a.phase,
        group: a.group,
        metric: a.metric,
      }),
      bounds,
      standing: a.standing,
      evidence: defined({ path: a.evidence, pointer: a.pointer }),
    };
  }
  if (a.what === 'evidence')
    return {
      evidence: defined({
        path: a.evidence,
        proves: a.proves,
        item: a.item,
        op: a.op,
        unread: a.unread,
      }),
    };
  if (a.what === 'staleApproval')
    return {
      approval: defined({
        id: a.key,
        phase: a.phase,
        reassessment: a.reassessment,
        waiver: a.waiver,
        role: a.role,
        by: a.by,
        name: a.name,
        date: a.date,
        sectionChanged: a.sectionChanged,
        evidence: a.files,
      }),
    };
  return {};
}

/** A change as `--format json` has always written it, plus its code, line and column. */
function changeJson(c: Change, how: Telling): Record<string, unknown> {
  const words = describeChange(c, how);
  return {
    code: c.code,
    class: c.class,
    level: LEVEL[c.severity],
    model: c.model,
    file: c.file,
    ...located(c),
    path: c.idPath,
    field: words.field,
    ...('old' in c ? { old: c.old } : {}),
    ...('new' in c ? { new: c.new } : {}),
    ...evidenceJson(c),
    description: words.description,
    message: words.message,
    ...(c.section ? { section: c.section } : {}),
    ...(c.acknowledged ? { acknowledged: c.acknowledged } : {}),
    ...(words.hint ? { hint: words.hint } : {}),
    fingerprint: c.fingerprint,
  };
}

/** A finding of reading a side, as `validate` names its fields. */
function sideFindingJson(f: Finding, how: Telling): Record<string, unknown> {
  const { message, hint } = describeFinding(f, how);
  return {
    code: f.code,
    severity: f.severity,
    file: f.file,
    ...located(f),
    path: f.path,
    message,
    ...(hint ? { hint } : {}),
  };
}

function findingJson(f: DiffFinding, how: Telling): Record<string, unknown> {
  const { text: words, hint } = describeDiffFinding(f, how);
  return {
    code: f.code,
    level: LEVEL[f.severity],
    model: f.model,
    file: f.file,
    ...located(f),
    message: `${f.model}: ${words}`,
    ...(hint ? { hint } : {}),
    fingerprint: f.fingerprint,
    ...(f.findings ? { findings: f.findings.map((x) => sideFindingJson(x, how)) } : {}),
  };
}

const json: Reporter<DiffResult> = (given, ctx) => `${jsonText(diffJson(given, ctx))}\n`;

/** The object the JSON format prints, which the programmatic API (src/api.ts) returns. */
export function diffJson(given: DiffResult, ctx: ReportContext) {
  const result = rootView(given, ctx);
  const how: Telling = { invokedAs: ctx.invokedAs };
  const counts = countFindings(allItems(result));
  return {
    schemaVersion: 1,
    command: 'diff',
    ok: counts.errors === 0,
    base: result.base,
    head: result.head,
    summary: { compared: result.compared, changed: result.manifests.length, ...counts },
    manifests: result.manifests.map(({ changes: _c, findings: _f, ...m }) => m),
    changes: result.manifests.flatMap((m) => m.changes.map((c) => changeJson(c, how))),
    findings: result.manifests.flatMap((m) => m.findings.map((f) => findingJson(f, how))),
    ...configJson(relocateConfig(ctx.config, toRoot(ctx))),
  };
}

/** An item as annotations say it: the model, the change or finding in words, who signed it off. */
function itemMessage(i: Item, how: Telling): { message: string; hint?: string } {
  if (isChange(i)) {
    const { message, hint } = describeChange(i, how);
    return { message, ...(hint ? { hint } : {}) };
  }
  const { text: words, hint } = describeDiffFinding(i, how);
  return { message: `${i.model}: ${words}`, ...(hint ? { hint } : {}) };
}

/**
 * Every change and finding, in report order, for annotations: paths relative to the repository
 * root, each at the changed key in the head (for a removal, the nearest key still there; for a
 * deleted manifest, the base).
 */
function machineItems(result: DiffResult, ctx: ReportContext): Item[] {
  return rootView(result, ctx).manifests.flatMap((m) =>
    ordered(m).map((i) => (aboutBase(i, m) ? { ...i, file: m.file, line: 1, column: 1 } : i)),
  );
}

/**
 * A finding about the base of a manifest that the head still has: its line is the base's, which
 * says nothing of the head's text, so an annotation puts it on the head file as a whole.
 */
function aboutBase(i: Item, m: ManifestDiff): boolean {
  return !isChange(i) && i.args.side === 'base' && m.headFile !== undefined;
}

/** GitHub workflow annotations: each change and finding on its line, titled by its class. */
const github: Reporter<DiffResult> = (result, ctx) => {
  const out = machineItems(result, ctx).map((i) => {
    const { message, hint } = itemMessage(i, { invokedAs: ctx.invokedAs });
    const kind = i.severity === 'error' ? 'error' : i.severity === 'warning' ? 'warning' : 'notice';
    const props = `file=${escapeGithubProperty(i.file)},line=${i.line ?? 1},col=${i.column ?? 1},title=${escapeGithubProperty(`mlops diff: ${label(i)}`)}`;
    return `::${kind} ${props}::${escapeGithubData(hint ? `${message} (${hint})` : message)}`;
  });
  // a job that fails on warnings says which config file made it so
  const decisive = relocateConfig(ctx.config, toRoot(ctx))?.decisive ?? [];
  if (decisive.length)
    out.push(
      `::notice title=mlops.config.yaml::${escapeGithubData(`exit code set by ${describeSettings(decisive)}`)}`,
    );
  return out.length ? `${out.join('\n')}\n` : '';
};

/** SARIF 2.1.0: the codes that occur as rules, each change and finding a result with its fingerprint. */
const sarif: Reporter<DiffResult> = (result, ctx) => {
  const items = machineItems(result, ctx);
  const codes = [...new Set(items.map((i) => i.code))].sort();
  return renderSarifLog({
    toolVersion: ctx.toolVersion,
    automationId: 'mlops/diff/',
    rules: codes.map(codeRule),
    results: items.map((i) => {
      const { message, hint } = itemMessage(i, { invokedAs: ctx.invokedAs });
      return {
        ruleId: i.code,
        level: sarifLevel(i.severity),
        message: hint ? `${message}. ${hint}` : message,
        file: i.file,
        line: i.line ?? 1,
        column: i.column ?? 1,
        fingerprint: i.fingerprint,
      };
    }),
  });
};

/** An item, and the findings of reading a side that it carries, as JUnit lists them. */
function junitItems(i: Item, how: Telling): JUnitItem[] {
  const { message, hint } = itemMessage(i, how);
  const own: JUnitItem = {
    severity: i.severity,
    message,
    ...(hint ? { hint } : {}),
    file: i.file,
    ...(i.line !== undefined ? { line: i.line, column: i.column ?? 1 } : {}),
  };
  if (isChange(i)) return [own];
  return [
    own,
    ...sideFindings(i).map((f): JUnitItem => {
      const words = describeFinding(f, how);
      return {
        severity: f.severity,
        message: words.message,
        ...(words.hint ? { hint: words.hint } : {}),
        file: f.file ?? i.file,
        ...(f.line !== undefined ? { line: f.line, column: f.column ?? 1 } : {}),
      };
    }),
  ];
}

/**
 * JUnit XML: a testsuite per changed manifest, a testcase per code of its changes and findings,
 * failing on errors and warnings; info changes are the output of a passing testcase.
 */
const junit: Reporter<DiffResult> = (result, ctx) => {
  const how: Telling = { invokedAs: ctx.invokedAs };
  return renderJUnit(
    'mlops diff',
    rootView(result, ctx).manifests.map((m) => {
      const items = ordered(m);
      const codes = [...new Set(items.map((i) => i.code))];
      const cases = codes.map((code): JUnitCase => {
        const mine = items.filter((i) => i.code === code);
        const failing = mine.filter((i) => i.severity !== 'info');
        const first = failing[0] ?? mine[0];
        const notes = mine.filter((i) => i.severity === 'info').flatMap((i) => junitItems(i, how));
        return {
          name: `${code}: ${messageSpec(code).title}`,
          classname: classnameOf(m.file),
          file: m.file,
          ...(first?.line !== undefined ? { line: first.line } : {}),
          ...(failing.length
            ? { failure: { type: code, items: failing.flatMap((i) => junitItems(i, how)) } }
            : {}),
          ...(notes.length ? { notes } : {}),
        };
      });
      return { name: m.file, cases };
    }),
  );
};

/** GitLab Code Quality: every change and finding on its line, with its fingerprint. */
const codequality: Reporter<DiffResult> = (result, ctx) =>
  renderCodeQuality(
    machineItems(result, ctx).map((i) => {
      const { message, hint } = itemMessage(i, { invokedAs: ctx.invokedAs });
      return {
        checkName: i.code,
        severity: i.severity,
        message,
        ...(hint ? { hint } : {}),
        file: i.file,
        ...(i.line !== undefined ? { line: i.line } : {}),
        fingerprint: i.fingerprint,
      };
    }),
  );

export const diffReporters = {
  text,
  json,
  markdown,
  github,
  sarif,
  junit,
  codequality,
} satisfies Record<DiffFormat, Reporter<DiffResult>>;
