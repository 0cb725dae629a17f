import type { ChalkInstance } from 'chalk';
import { plural } from '../core/diagnostics.js';
import { allItems, countLevels, describeAcknowledgement } from '../core/diff.js';
import type {
  Change,
  ChangeLevel,
  DiffFinding,
  DiffResult,
  DiffSide,
  LevelCounts,
  ManifestDiff,
} from '../core/diff.js';
import type { Reporter } from './context.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

type Item = Change | DiffFinding;
const isChange = (i: Item): i is Change => 'class' in i;

const short = (commit: string | undefined): string => (commit ? commit.slice(0, 7) : '');

function sideLabel(side: DiffSide): string {
  if (!side.commit) return side.label;
  return side.label === side.rev && /^[0-9a-f]{7,40}$/.test(side.label)
    ? short(side.commit)
    : `${side.label} (${short(side.commit)})`;
}

function countsText(c: LevelCounts): string {
  const parts = [
    c.errors ? plural(c.errors, 'error') : '',
    c.warnings ? plural(c.warnings, 'warning') : '',
    c.infos ? `${c.infos} info` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** Unparseable sides first, then changes (loosened first), then the version rule. */
function ordered(m: ManifestDiff): Item[] {
  const cannot = m.findings.filter((f) => f.code === 'CANNOT_DIFF');
  return [...cannot, ...m.changes, ...m.findings.filter((f) => f.code !== 'CANNOT_DIFF')];
}

function versionText(m: ManifestDiff): string {
  if (m.status === 'added') return `added${m.headVersion ? `, ${m.headVersion}` : ''}`;
  if (m.status === 'deleted') return `deleted${m.baseVersion ? `, was ${m.baseVersion}` : ''}`;
  if (m.status === 'unparseable') return m.headVersion ?? m.baseVersion ?? '';
  const moved =
    m.baseFile && m.headFile && m.baseFile !== m.headFile ? `moved from ${m.baseFile}` : '';
  const version =
    m.baseVersion === m.headVersion
      ? (m.headVersion ?? '')
      : `${m.baseVersion ?? '(none)'} → ${m.headVersion ?? '(none)'}`;
  return [version, moved].filter(Boolean).join(', ');
}

const FINDING_LABEL: Record<DiffFinding['code'], string> = {
  CANNOT_DIFF: 'unreadable',
  VERSION_NOT_BUMPED: 'not bumped',
  VERSION_BUMP_TOO_SMALL: 'small bump',
  VERSION_DOWNGRADED: 'downgraded',
  VERSION_INVALID: 'bad version',
};

function label(i: Item): string {
  return isChange(i) ? i.class : FINDING_LABEL[i.code];
}

/** The item's text without the model's name, which the grouping already shows. */
function itemText(i: Item): string {
  if (isChange(i)) return i.description;
  return i.message.startsWith(`${i.model}: `) ? i.message.slice(i.model.length + 2) : i.message;
}

function summaryLine(result: DiffResult): { counts: LevelCounts; line: string } {
  const counts = countLevels(allItems(result));
  const text = countsText(counts);
  const scope = `${result.manifests.length} of ${plural(result.compared, 'manifest')} changed`;
  return {
    counts,
    line: text
      ? `${text}: ${scope}`
      : `no semantic changes in ${plural(result.compared, 'manifest')}`,
  };
}

function mark(level: ChangeLevel, color: ChalkInstance): string {
  if (level === 'error') return color.red('✖ error');
  if (level === 'warn') return color.yellow('⚠ warn ');
  return color.blue('ℹ info ');
}

const text: Reporter<DiffResult> = (result, ctx) => {
  const { color } = ctx;
  const lines = [color.dim(`mlops diff ${sideLabel(result.base)} → ${sideLabel(result.head)}`), ''];
  const width = Math.max(
    0,
    ...result.manifests.flatMap((m) => ordered(m).map((i) => label(i).length)),
  );
  for (const m of result.manifests) {
    lines.push(
      `${color.bold(m.model)}  ${m.file}${versionText(m) ? color.dim(`  ${versionText(m)}`) : ''}`,
    );
    const hints = new Set<string>();
    for (const i of ordered(m)) {
      lines.push(`  ${mark(i.level, color)}  ${label(i).padEnd(width)}  ${itemText(i)}`);
      const pad = ' '.repeat(13 + width);
      if (isChange(i) && i.acknowledged)
        lines.push(
          `${pad}${color.green(`acknowledged: ${describeAcknowledgement(i.acknowledged)}`)}`,
        );
      if (i.hint && (ctx.verbose || !isChange(i)))
        lines.push(`${pad}${color.dim(`hint: ${i.hint}`)}`);
      else if (i.hint) hints.add(i.hint);
      if (ctx.verbose && isChange(i))
        lines.push(`${pad}${color.dim(`${i.path.join(' › ') || '(manifest)'}  ${i.fingerprint}`)}`);
    }
    for (const h of hints) lines.push(`  ${color.dim(`hint: ${h}`)}`);
    lines.push('');
  }
  const { counts, line } = summaryLine(result);
  if (counts.errors) lines.push(color.red(`✖ ${line}`));
  else if (counts.warnings) lines.push(color.yellow(`⚠ ${line}`));
  else lines.push(color.green(`✔ ${line}`));
  return `${lines.join('\n')}\n`;
};

/** Text for a Markdown table cell or a PR comment: no HTML, no table breaks, no @-mentions. */
function md(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@(?=\w)/g, '@&#8203;')
    .replace(/\r?\n/g, ' ');
}

const LEVEL_MD: Record<ChangeLevel, string> = {
  error: '🔴 error',
  warn: '🟡 warn',
  info: '🔵 info',
};

const markdown: Reporter<DiffResult> = (result) => {
  const { counts, line } = summaryLine(result);
  const icon = counts.errors ? '🔴' : counts.warnings ? '🟡' : '🟢';
  const out = [
    '<!-- mlops-diff -->',
    `### ${icon} mlops diff: ${md(line)}`,
    '',
    `Base: ${md(sideLabel(result.base))} → head: ${md(sideLabel(result.head))}`,
    '',
  ];
  const rank: Record<ChangeLevel, number> = { error: 0, warn: 1, info: 2 };
  const rows = result.manifests
    .flatMap((m) => ordered(m))
    .filter((i) => i.level !== 'info')
    .sort((a, b) => rank[a.level] - rank[b.level]);
  if (rows.length > 0) {
    out.push('| level | model | finding |', '|:--|:--|:--|');
    for (const i of rows) {
      const ack =
        isChange(i) && i.acknowledged
          ? `<br>✔ acknowledged: ${md(describeAcknowledgement(i.acknowledged))}`
          : '';
      out.push(
        `| ${LEVEL_MD[i.level]} | \`${i.model}\` | **${label(i)}** ${md(itemText(i))}${ack} |`,
      );
    }
    out.push('');
  } else if (result.manifests.length > 0) {
    out.push('No errors or warnings.', '');
  }
  for (const m of result.manifests) {
    const items = ordered(m);
    const c = countLevels(items);
    out.push(
      '<details>',
      `<summary><code>${md(m.model)}</code> (${md(m.file)}${versionText(m) ? `, ${md(versionText(m))}` : ''}): ${countsText(c)}</summary>`,
      '',
      '| level | class | change | fingerprint |',
      '|:--|:--|:--|:--|',
    );
    const hints = new Set<string>();
    for (const i of items) {
      const ack =
        isChange(i) && i.acknowledged
          ? `<br>✔ acknowledged: ${md(describeAcknowledgement(i.acknowledged))}`
          : '';
      if (i.hint) hints.add(i.hint);
      out.push(
        `| ${LEVEL_MD[i.level]} | ${label(i)} | ${md(itemText(i))}${ack} | \`${i.fingerprint}\` |`,
      );
    }
    if (hints.size > 0) out.push('', ...[...hints].map((h) => `- hint: ${md(h)}`));
    out.push('', '</details>', '');
  }
  return `${out.join('\n')}\n`;
};

const json: Reporter<DiffResult> = (result) => {
  const items = allItems(result);
  const counts = countLevels(items);
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      command: 'diff',
      ok: counts.errors === 0,
      base: result.base,
      head: result.head,
      summary: { compared: result.compared, changed: result.manifests.length, ...counts },
      manifests: result.manifests.map(({ changes: _c, findings: _f, ...m }) => m),
      changes: result.manifests.flatMap((m) => m.changes),
      findings: result.manifests.flatMap((m) => m.findings),
    },
    null,
    2,
  )}\n`;
};

export const diffReporters = { text, markdown, json } satisfies Record<
  DiffFormat,
  Reporter<DiffResult>
>;
