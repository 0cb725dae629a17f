import { RULES, readScoreboard, readyThrough, ruleById } from '../core/check/index.js';
import type {
  BoundsStatus,
  DriftLine,
  GuardrailLine,
  ManifestReport,
  ObservedSource,
  PhaseResult,
  Rule,
  RuleId,
  RuleResult,
  ValueLine,
  WaiverState,
} from '../core/check/index.js';
import type { Finding, Severity } from '../core/findings.js';
import { PHASES } from '../core/manifest.js';
import type { Phase } from '../core/manifest.js';
import {
  configJson,
  describeIgnored,
  describeSettings,
  escapeGithubData,
  escapeGithubProperty,
} from './context.js';
import type { ReportContext, Reporter } from './context.js';
import { renderCodeQuality } from './codequality.js';
import { describeMarkdown, describeText } from './describe.js';
import { escapeLine as e, htmlText, jsonChunksOfList, mdCode, mdSpans, mdText } from './escape.js';
import { classnameOf, renderJUnit } from './junit.js';
import type { JUnitCase, JUnitSuite } from './junit.js';
import { MARKDOWN_LIMIT, MarkdownBudget, count, linesLength } from './markdown.js';
import { describeFinding } from './messages/words.js';
import type { Telling } from './messages/index.js';
import {
  keepsPaths,
  relocateConfig,
  relocateFinding,
  relocateRuleFinding,
  toRoot,
} from './paths.js';
import type { Relocate } from './paths.js';
import { codeRule, renderSarifLog, sarifLevel } from './sarif.js';
import type { SarifRule } from './sarif.js';
import { findingCases, junitItem } from './validate.js';
import { plural } from './words.js';
import { displayWidth, wrapLine } from './wrap.js';
import { OUTPUT_FORMATS } from '../core/config.js';

/** Every format of `--format`. */
export const CHECK_FORMATS = OUTPUT_FORMATS;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/**
 * What `mlops check` found, for every manifest, and what each is held to. Paths (of manifests,
 * findings and evidence) are relative to the current folder (`ReportContext.cwd`).
 */
export interface CheckResult {
  today: string;
  /** `--phase`, when given. */
  phase?: Phase;
  /** The repository root as the user sees it. */
  root: string;
  manifests: {
    report: ManifestReport;
    /** Phases that must be ready (from `--phase`, else from `metadata.status`). */
    heldTo: Phase[];
    ok: boolean;
  }[];
}

const VALUE_WORDS = {
  on_track: 'on track',
  at_risk: 'at risk',
  failing: 'failing',
  unknown: 'no observation',
} as const;

function num(n: number | undefined): string {
  return n === undefined ? '?' : String(Number(n.toPrecision(6)));
}

function position(f: Finding, file: string): string {
  return `${f.file ?? file}:${f.line ?? 1}:${f.column ?? 1}`;
}

function verdict(
  m: CheckResult['manifests'][number],
  phase: Phase | undefined,
  invokedAs = 'mlops',
): string {
  const r = m.report;
  if (r.invalid) return `invalid manifest: run \`${invokedAs} validate\``;
  const through = readyThrough(r);
  const ready = through ? `ready through ${through}` : 'no phase ready yet';
  if (phase) return `${m.ok ? 'ready' : 'not ready'} for ${phase} (${ready})`;
  if (r.status === 'retired') return `retired: held to no phase (${ready})`;
  if (m.ok) return `meets its status ${r.status ?? 'envision'} (${ready})`;
  const failing = m.heldTo.find((p) => !r.phases.find((x) => x.phase === p)?.ready);
  return `claims ${r.status} but ${failing ?? 'a phase'} is not ready (${ready})`;
}

/** `path#pointer, committed date`: where a value was read. */
function whereText(source: ObservedSource | undefined): string {
  if (!source) return '';
  const at = source.pointer !== undefined ? `${source.path}#${source.pointer}` : source.path;
  return source.date !== undefined ? `${at}, committed ${source.date}` : at;
}

/** What a value metric is judged against besides baseline and target, and where its value comes from. */
function sourceText(v: ValueLine): string {
  const parts: string[] = [];
  const b = v.bounds;
  if (v.direction === 'maintain' && b.tolerance !== undefined)
    parts.push(`tolerance ±${num(b.tolerance)}`);
  else if (b.minimum !== undefined) parts.push(`minimum ${num(b.minimum)}`);
  if (v.source?.kind === 'monitor') parts.push(whereText(v.source));
  else if (v.source) parts.push(`projected by evaluation ${v.source.evaluation ?? '?'}`);
  const { selected, baseline } = v.projections ?? {};
  // in build, the baseline candidate's projection beside the selected one's (rule B2)
  if (baseline && v.source?.kind !== 'monitor' && baseline.candidate !== selected?.candidate)
    parts.push(
      `baseline candidate ${baseline.candidate} ${baseline.observed === undefined ? '?' : num(baseline.observed)}`,
    );
  return parts.join('; ');
}

function valueText(v: ValueLine): string {
  const source = sourceText(v);
  return `${num(v.baseline)} → ${num(v.target)} → ${v.observed === undefined ? '?' : num(v.observed)}${source ? `  (${source})` : ''}`;
}

/** `≥ 0.8`, `≤ 0.1`, `0.2 to 0.8`: a guardrail's bounds (inclusive). */
function guardrailBounds(g: GuardrailLine): string {
  const { min, max } = g.bounds;
  if (min !== undefined && max !== undefined) return `${num(min)} to ${num(max)}`;
  if (min !== undefined) return `≥ ${num(min)}`;
  if (max !== undefined) return `≤ ${num(max)}`;
  return 'no bounds';
}

/** `≤ 0.25, warn above 0.1` (a distance), `≥ 0.05, warn below 0.1` (a p-value). */
function driftBounds(d: DriftLine): string {
  const { min, max, warn } = d.bounds;
  const pvalue = d.statistic === 'pvalue';
  const alert = pvalue
    ? min !== undefined
      ? `≥ ${num(min)}`
      : ''
    : max !== undefined
      ? `≤ ${num(max)}`
      : '';
  const warning = warn !== undefined ? `warn ${pvalue ? 'below' : 'above'} ${num(warn)}` : '';
  return [alert, warning].filter(Boolean).join(', ') || 'no bounds';
}

const BOUNDS_WORDS: Record<BoundsStatus, string> = {
  pass: 'within bounds',
  warn: 'warning',
  fail: 'out of bounds',
  unknown: 'no observation',
};

/** A guardrail's groups: `women 0.77 out of bounds, men 0.82, other ?`. */
function groupsText(g: GuardrailLine): string {
  return (g.groups ?? [])
    .map(
      (x) =>
        `${x.group} ${x.observed === undefined ? '?' : num(x.observed)}${x.status === 'pass' ? '' : ` ${BOUNDS_WORDS[x.status]}`}`,
    )
    .join(', ');
}

/** The scoreboard rows of one manifest's guardrails and drift checks, as cells. */
interface BoardRow {
  cells: string[];
  status: BoundsStatus;
  source: string;
  groups?: string;
}

function guardrailRow(g: GuardrailLine): BoardRow {
  return {
    cells: [
      g.id,
      g.phase,
      `${g.metric} ${g.observed === undefined ? '?' : num(g.observed)}`,
      guardrailBounds(g),
    ],
    status: g.status,
    source: whereText(g.source),
    // the groups of a guardrail whose evidence was not read say nothing more
    ...(g.groups?.length &&
    (g.observed !== undefined || g.groups.some((x) => x.observed !== undefined))
      ? { groups: groupsText(g) }
      : {}),
  };
}

function driftRow(d: DriftLine): BoardRow {
  return {
    cells: [d.id, d.method, d.observed === undefined ? '?' : num(d.observed), driftBounds(d)],
    status: d.status,
    source: whereText(d.source),
  };
}

/** What the scoreboard leaves out of a compact list: how many items pass, and how many are not observed in a phase not reached yet, by phase. */
interface BoardLeftOut {
  passing: Map<Phase, number>;
  later: Map<Phase, number>;
}

/**
 * Which items of the scoreboard a compact list shows: the failing, warning and unobserved ones,
 * leaving out what is not observed in a phase the model has not reached (`reached`: the index of
 * the phase it claims or is held to); with `all`, every item. What is left out is counted.
 */
function boardShown<T extends { status: BoundsStatus }>(
  items: T[],
  phaseOf: (item: T) => Phase,
  reached: number,
  all: boolean,
): { shown: T[] } & BoardLeftOut {
  const passing = new Map<Phase, number>();
  const later = new Map<Phase, number>();
  if (all) return { shown: items, passing, later };
  const shown: T[] = [];
  const add = (m: Map<Phase, number>, p: Phase): void => void m.set(p, (m.get(p) ?? 0) + 1);
  for (const item of items) {
    const phase = phaseOf(item);
    if (item.status === 'pass') add(passing, phase);
    else if (item.status === 'unknown' && PHASES.indexOf(phase) > reached) add(later, phase);
    else shown.push(item);
  }
  return { shown, passing, later };
}

/**
 * `6 more guardrails within bounds (5 in build, 1 in monitor); 2 in monitor not observed yet`:
 * what a compact list leaves out, or nothing. `byPhase` names the phases (guardrails).
 */
function leftOutText(
  left: BoardLeftOut,
  more: boolean,
  noun: [string, string],
  byPhase: boolean,
): string | undefined {
  const sum = (m: Map<Phase, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const phases = (m: Map<Phase, number>): string =>
    PHASES.filter((p) => m.has(p))
      .map((p) => `${m.get(p)} in ${p}`)
      .join(', ');
  const parts: string[] = [];
  const passing = sum(left.passing);
  if (passing > 0) {
    const n = passing === 1 ? noun[0] : noun[1];
    const split = byPhase && left.passing.size > 1 ? ` (${phases(left.passing)})` : '';
    parts.push(`${passing}${more ? ' more' : ''} ${n} within bounds${split}`);
  }
  if (left.later.size > 0) parts.push(`${phases(left.later)} not observed yet`);
  return parts.length ? parts.join('; ') : undefined;
}

/** A waiver by its id (or its place, for one without), with the rule and target it names. */
function waiverName(w: WaiverState): string {
  return `${w.id ?? `waivers[${w.index}]`} (${w.rule}${w.target !== undefined ? ` ${w.target}` : ''})`;
}

/** Why a waiver is not in force, in a few words each. */
function problemWords(w: WaiverState): string[] {
  const roles = w.signOffs.filter((s) => s.status !== 'current').map((s) => s.role);
  return w.problems.map((p) => {
    switch (p) {
      case 'earlier_shape':
        return `it was written for the earlier contract (${w.id === undefined ? 'no id' : 'no target'})`;
      case 'duplicate':
        return 'an earlier waiver has its id';
      case 'not_waivable':
        return `rule ${w.rule} can never be waived`;
      case 'expired':
        return `it expired on ${w.expires}`;
      case 'beyond_maximum':
        return `its expiry is after ${w.latest ?? '?'}, ${w.maxDays} days after ${w.committed ? `the commit that added it (${w.committed.date})` : 'today'}`;
      case 'uncommitted':
        return 'it is not committed';
      case 'unapproved':
        return `it is not approved by ${roles.length > 0 ? roles.join(' and ') : 'its approver'}`;
    }
  });
}

/** "12 days left", "its last day", "1 day left". */
function daysLeftText(w: WaiverState): string {
  if (w.daysLeft === undefined) return '';
  return w.daysLeft === 0 ? 'its last day' : `${plural(w.daysLeft, 'day')} left`;
}

/** Whether a waiver in force is in its last days (WAIVER_EXPIRING). */
const expiring = (w: WaiverState): boolean =>
  w.status === 'in_force' && w.daysLeft !== undefined && w.daysLeft <= 14;

/** A waiver's standing in words: in force until when and approved by whom, or why not. */
function waiverStanding(w: WaiverState): string {
  if (w.status !== 'in_force') return `not in force: ${problemWords(w).join('; ')}`;
  const recorded = w.signOffs.find((s) => s.recordedBy !== undefined)?.recordedBy;
  return `in force until ${w.expires} (${daysLeftText(w)}), approved by ${w.approver ?? '?'} (${w.approverRole ?? '?'})${recorded !== undefined ? `, recorded by ${recorded}` : ''}`;
}

/** What waives a rule's findings: each waiver that excuses one, until when and by whose approval. */
function waiverText(r: RuleResult, waivers: readonly WaiverState[]): string {
  const used = [...new Set((r.waived ?? []).map((w) => w.waiver))];
  const parts = used.map((id) => {
    const w = waivers.find((x) => x.id === id);
    return w
      ? `${id}${w.target !== undefined ? ` (${w.target})` : ''} until ${w.expires}, approved by ${w.approver ?? '?'}: ${w.reason}`
      : id;
  });
  return `waived by ${parts.join('; ')}`;
}

/** The waiver that excuses a finding, in a few words. */
function excusedBy(id: string, waivers: readonly WaiverState[]): string {
  const w = waivers.find((x) => x.id === id);
  return `waived by ${id}${w ? ` until ${w.expires}` : ''}`;
}

const text: Reporter<CheckResult> = (result, ctx) => {
  const { color } = ctx;
  const how: Telling = { invokedAs: ctx.invokedAs };
  const lines: string[] = [];
  // on a terminal, each line wraps at its width; continuation lines start at `hang` columns
  const push = (line: string, hang?: number): void => {
    lines.push(wrapLine(line, ctx.width, hang));
  };
  for (const m of result.manifests) {
    const r = m.report;
    const meta = [
      r.riskTier ? `tier ${e(r.riskTier)}` : '',
      r.status ? `status ${e(r.status)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    push(
      `${color.bold(e(r.file))}${r.name ? `  ${e(r.name)}` : ''}${meta ? color.dim(`  (${meta})`) : ''}`,
      2,
    );
    for (const note of settingNotes(r)) push(`  ${color.dim(e(note))}`, 4);
    if (r.invalid) {
      for (const f of r.invalid.slice(0, 5))
        push(`  ${color.red('✖')} ${e(position(f, r.file))}  ${describeText(f, how).message}`, 4);
      if (r.invalid.length > 5) push(`    … ${plural(r.invalid.length - 5, 'more finding')}`);
      push(
        `  ${color.red('✖ invalid manifest: nothing was judged')}  ${color.dim(`run: ${e(validateCommand(r, ctx.invokedAs))}`)}`,
        4,
      );
      lines.push('');
      continue;
    }
    const width = Math.max(...r.phases.map((p) => `${p.passed}/${p.total}`.length));
    let blocked: Phase | undefined;
    const claimedIndex = PHASES.indexOf((result.phase ?? r.status) as Phase);
    for (const p of r.phases) {
      // Phases beyond the one claimed (or asked for) get one line per failing rule; --verbose gives all.
      const brief =
        !ctx.verbose && !m.heldTo.includes(p.phase) && PHASES.indexOf(p.phase) > claimedIndex;
      const held = m.heldTo.includes(p.phase);
      const word = p.ready
        ? color.green('ready')
        : held
          ? color.red('not ready')
          : color.yellow('not ready');
      push(`  ${p.phase.padEnd(9)} ${`${p.passed}/${p.total}`.padStart(width)}  ${word}`);
      for (const rule of p.rules) {
        if (rule.status === 'pass' || (rule.status === 'fail' && p.ready)) continue;
        // `    ✖ B3  `: what follows hangs under the rule's words
        const ruleHang = 4 + displayWidth(`✖ ${rule.id}  `);
        if (rule.status === 'waived') {
          push(
            `    ${color.cyan('~')} ${rule.id}  ${rule.title}: ${e(waiverText(rule, r.waivers))}`,
            ruleHang,
          );
          for (const w of rule.waived ?? [])
            push(
              `        ${color.cyan('~')} ${color.dim(describeText(w.finding, how).message)}`,
              10,
            );
          // what still stands is warnings: a waiver about to expire, one not in force
          for (const f of rule.findings) {
            const { message, hint } = describeText(f, how);
            push(`        ${message}`, 8);
            if (hint) push(`        ${color.dim(`→ ${hint}`)}`, 10);
          }
          continue;
        }
        const mark = rule.status === 'fail' ? color.red('✖') : color.yellow('⚠');
        if (brief) {
          const first = rule.findings[0];
          const more =
            rule.findings.length > 1 ? color.dim(` (+${rule.findings.length - 1} more)`) : '';
          push(
            `    ${mark} ${color.bold(rule.id)}  ${first ? describeText(first, how).message : rule.title}${more}`,
            ruleHang,
          );
          continue;
        }
        push(`    ${mark} ${color.bold(rule.id)}  ${rule.title}`, ruleHang);
        if (ctx.verbose) push(`        ${color.dim(`why: ${rationale(rule.id)}`)}`, 13);
        for (const f of rule.findings) {
          const { message, hint } = describeText(f, how);
          push(`        ${message}`, 8);
          if (hint) push(`        ${color.dim(`→ ${hint}`)}`, 10);
        }
        for (const w of rule.waived ?? [])
          push(
            `        ${color.cyan('~')} ${color.dim(`${describeText(w.finding, how).message} (${e(excusedBy(w.waiver, r.waivers))})`)}`,
            10,
          );
      }
      if (!p.ready && p.rulesPass && blocked)
        push(`    ${color.dim(`its rules pass; it waits for ${blocked}`)}`, 4);
      if (!p.rulesPass && !blocked) blocked = p.phase;
    }
    if (r.waivers.length > 0) {
      // every waiver: in force (until when, approved by whom, days left), or why not
      push(`  waivers`, 4);
      for (const w of r.waivers) {
        const standing = e(waiverStanding(w));
        const colored =
          w.status !== 'in_force' || expiring(w) ? color.yellow(standing) : color.green(standing);
        push(`    ${e(waiverName(w))}  ${colored}${color.dim(` — ${e(w.reason)}`)}`, 6);
      }
    }
    if (r.values.length > 0) {
      push(`  value metrics ${color.dim('(baseline → target → observed)')}`, 4);
      const ids = r.values.map((v) => e(v.id));
      const idWidth = Math.max(...ids.map((id) => id.length));
      const numbers = r.values.map(
        (v) =>
          `${num(v.baseline)} → ${num(v.target)} → ${v.observed === undefined ? '?' : num(v.observed)}`,
      );
      const numWidth = Math.max(...numbers.map((n) => n.length));
      r.values.forEach((v, i) => {
        const word = VALUE_WORDS[v.status];
        const colored =
          v.status === 'on_track'
            ? color.green(word)
            : v.status === 'at_risk'
              ? color.yellow(word)
              : v.status === 'failing'
                ? color.red(word)
                : color.dim(word);
        const source = e(sourceText(v));
        // what wraps (the source, mostly) goes on under the numbers
        push(
          `    ${ids[i]!.padEnd(idWidth)}  ${numbers[i]!.padEnd(numWidth)}  ${colored}${source ? color.dim(`  (${source})`) : ''}`,
          4 + idWidth + 2,
        );
      });
    }
    const reached = PHASES.indexOf((result.phase ?? r.status) as Phase);
    const board = <T extends { status: BoundsStatus }>(
      title: string,
      items: T[],
      row: (item: T) => BoardRow,
      phaseOf: (item: T) => Phase,
      noun: [string, string],
      byPhase: boolean,
    ): void => {
      if (items.length === 0) return;
      const { shown: chosen, ...rest } = boardShown(items, phaseOf, reached, ctx.verbose);
      const shown = chosen.map(row);
      push(`  ${title} ${color.dim('(observed, bounds)')}`, 4);
      const cells = shown.map((x) => x.cells.map(e));
      const widths = cells.length
        ? cells[0]!.map((_, k) => Math.max(...cells.map((c) => displayWidth(c[k]!))))
        : [];
      const wordWidth = Math.max(0, ...shown.map((x) => BOUNDS_WORDS[x.status].length));
      shown.forEach((x, n) => {
        const word = BOUNDS_WORDS[x.status];
        const colored =
          x.status === 'pass'
            ? color.green(word)
            : x.status === 'warn'
              ? color.yellow(word)
              : x.status === 'fail'
                ? color.red(word)
                : color.dim(word);
        const padded = cells[n]!.map((c, k) => c + ' '.repeat(widths[k]! - displayWidth(c)));
        // the sources line up after the status words
        const source = x.source
          ? `${' '.repeat(wordWidth - word.length)}${color.dim(`  (${e(x.source)})`)}`
          : '';
        push(`    ${padded.join('  ')}  ${colored}${source}`, 4 + widths[0]! + 2);
        if (x.groups) push(`      ${color.dim(`groups: ${e(x.groups)}`)}`, 6);
      });
      const left = leftOutText(rest, shown.length > 0, noun, byPhase);
      if (left) push(`    ${color.dim(`${left}; --verbose lists every one`)}`, 4);
    };
    const { guardrails, drift } = readScoreboard(r.scoreboard);
    const guardrailNouns: [string, string] = ['guardrail', 'guardrails'];
    board('guardrails', guardrails, guardrailRow, (g) => g.phase, guardrailNouns, true);
    board('drift', drift, driftRow, () => 'monitor', ['drift check', 'drift checks'], false);
    const line = `${m.ok ? '✔' : '✖'} ${e(verdict(m, result.phase, ctx.invokedAs))}`;
    push(`  ${m.ok ? color.green(line) : color.red(line)}`, 4);
    lines.push('');
  }
  if (result.manifests.length > 1) push(summaryLine(result, ctx), 2);
  else if (lines[lines.length - 1] === '') lines.pop();
  const config = configNote(ctx);
  if (config) push(color.dim(e(config)), 2);
  return `${lines.join('\n')}\n`;
};

/** What config files changed in this run, and which: `2 ignored by mlops.config.yaml`. */
function configNote(ctx: ReportContext): string | undefined {
  if (!ctx.config) return undefined;
  const notes = [
    describeIgnored(ctx.config.ignored),
    ctx.config.decisive.length ? describeSettings(ctx.config.decisive) : undefined,
  ].filter((n): n is string => n !== undefined);
  return notes.length ? notes.join('; ') : undefined;
}

function summaryLine(result: CheckResult, ctx: ReportContext): string {
  const total = result.manifests.length;
  const bad = result.manifests.filter((m) => !m.ok);
  const what = result.phase ? `ready for ${result.phase}` : 'meet their status';
  const names =
    bad
      .slice(0, 5)
      .map((m) => m.report.name ?? m.report.file)
      .join(', ') + (bad.length > 5 ? ', …' : '');
  const line = `${bad.length === 0 ? '✔' : '✖'} ${total - bad.length} of ${plural(total, 'manifest')} ${what}${bad.length ? `; not: ${e(names)}` : ''}`;
  return bad.length === 0 ? ctx.color.green(line) : ctx.color.red(line);
}

/** A readiness finding in JSON: the fields of schemaVersion 1 (`message`, `fix` in words, `at`), then the data. */
function ruleFindingJson(f: Finding, how: Telling): Record<string, unknown> {
  const { message, hint } = describeFinding(f, how);
  return {
    code: f.code,
    severity: f.severity,
    message,
    ...(hint ? { fix: hint } : {}),
    at: f.path,
    ...(f.line !== undefined ? { line: f.line, column: f.column } : {}),
    args: f.args,
    ...(f.fix ? { action: f.fix } : {}),
    ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
  };
}

/**
 * The validate command that shows an invalid manifest's findings again: with the manifests that
 * share its name, since that finding only appears when they are validated together.
 */
function validateCommand(r: ManifestReport, invokedAs = 'mlops'): string {
  const files = [r.file];
  for (const f of r.invalid ?? []) {
    const others = f.code === 'DUPLICATE_NAME' ? f.args.others : undefined;
    if (Array.isArray(others))
      for (const o of others) if (!files.includes(String(o))) files.push(String(o));
  }
  return `${invokedAs} validate ${files.join(' ')}`;
}

/** A finding of reading the manifest, in the shape `mlops validate --format json` lists them. */
function readFindingJson(f: Finding, file: string, how: Telling): Record<string, unknown> {
  const { message, hint } = describeFinding(f, how);
  return {
    code: f.code,
    severity: f.severity,
    message,
    ...(hint ? { hint } : {}),
    file: f.file ?? file,
    path: f.path,
    line: f.line ?? 1,
    column: f.column ?? 1,
    args: f.args,
    ...(f.fix ? { action: f.fix } : {}),
    ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
  };
}

/** A manifest's report with its paths seen from elsewhere: its file, its findings', its evidence's. */
function reportAt(r: ManifestReport, at: Relocate): ManifestReport {
  if (keepsPaths(at)) return r;
  const findingsAt = (list: Finding[]): Finding[] => list.map((f) => relocateFinding(f, at));
  return {
    ...r,
    file: at(r.file),
    ...(r.invalid ? { invalid: findingsAt(r.invalid) } : {}),
    phases: r.phases.map((p) => ({
      ...p,
      rules: p.rules.map((rule) => ({
        ...rule,
        findings: rule.findings.map((f) => relocateRuleFinding(f, at)),
        ...(rule.waived
          ? {
              waived: rule.waived.map((w) => ({
                ...w,
                finding: relocateRuleFinding(w.finding, at),
              })),
            }
          : {}),
      })),
    })),
    scoreboard: { ...r.scoreboard, paths: r.scoreboard.paths.map(at) },
    values: r.values.map((v) => ({
      ...v,
      ...(v.source ? { source: sourceAt(v.source, at) } : {}),
      ...(v.projections
        ? {
            projections: {
              ...(v.projections.selected
                ? { selected: projectionAt(v.projections.selected, at) }
                : {}),
              ...(v.projections.baseline
                ? { baseline: projectionAt(v.projections.baseline, at) }
                : {}),
            },
          }
        : {}),
    })),
  };
}

function sourceAt<S extends ObservedSource>(source: S, at: Relocate): S {
  return { ...source, path: at(source.path) };
}

function projectionAt<P extends { source?: ObservedSource }>(p: P, at: Relocate): P {
  return p.source ? { ...p, source: sourceAt(p.source, at) } : p;
}

function phaseJson(p: PhaseResult, how: Telling): Record<string, unknown> {
  return {
    ...p,
    rules: p.rules.map((r) => ({
      ...r,
      findings: r.findings.map((f) => ruleFindingJson(f, how)),
      // an excused finding as any other, with the waiver that excuses it
      ...(r.waived
        ? {
            waived: r.waived.map((w) => ({ ...ruleFindingJson(w.finding, how), waiver: w.waiver })),
          }
        : {}),
    })),
  };
}

const json: Reporter<CheckResult> = (result, ctx) => [...checkJsonChunks(result, ctx)].join('');

/**
 * The text of `check --format json` in parts, a manifest at a time: the objects of one manifest
 * are dropped once its text is made, and each part can be written as it comes.
 */
export function checkJsonChunks(result: CheckResult, ctx: ReportContext): Iterable<string> {
  const at = toRoot(ctx);
  const head = checkJsonOf(result, ctx, []);
  return (function* () {
    yield* jsonChunksOfList(head, 'manifests', result.manifests, (m) =>
      manifestJson(m, at, { invokedAs: ctx.invokedAs }),
    );
    yield '\n';
  })();
}

/** One manifest of `check --format json`, its paths relative to `at`. */
function manifestJson(
  { report: shown, heldTo, ok }: CheckResult['manifests'][number],
  at: Relocate,
  how: Telling,
) {
  const report = reportAt(shown, at);
  return {
    file: report.file,
    name: report.name,
    riskTier: report.riskTier,
    status: report.status,
    heldTo,
    ok,
    readyThrough: report.invalid ? null : (readyThrough(report) ?? null),
    ...(report.invalid
      ? { invalid: report.invalid.map((f) => readFindingJson(f, report.file, how)) }
      : {}),
    phases: report.phases.map((p) => phaseJson(p, how)),
    values: report.values,
    ...readScoreboard(report.scoreboard),
    waivers: report.waivers,
    ...(report.pinned ? { pinned: report.pinned } : {}),
    ...(report.identity ? { identity: report.identity } : {}),
  };
}

/**
 * What the config decided for a manifest that changes its verdict, in words: a pinned date
 * and who may record approvals.
 */
export function settingNotes(r: ManifestReport): string[] {
  const notes: string[] = [];
  if (r.pinned)
    notes.push(`judged at ${r.pinned.today}: the date is pinned by ${r.pinned.source} (today)`);
  if (r.identity?.mode === 'recorded')
    notes.push(
      `approvals count as recorded, whoever recorded them: approvals.identity is recorded in ${r.identity.source}`,
    );
  else if (r.identity)
    notes.push(
      `approvals count when ${r.identity.mode === 'signed' ? 'signed by' : 'committed by'} the approver: approvals.identity is ${r.identity.mode} in ${r.identity.source}`,
    );
  return notes;
}

/** What `check --format json` prints, as data. */
export function checkJson(result: CheckResult, ctx: ReportContext) {
  const at = toRoot(ctx);
  return checkJsonOf(
    result,
    ctx,
    result.manifests.map((m) => manifestJson(m, at, { invokedAs: ctx.invokedAs })),
  );
}

function checkJsonOf<M>(result: CheckResult, ctx: ReportContext, manifests: M[]) {
  const at = toRoot(ctx);
  const ready = result.manifests.filter((m) => m.ok).length;
  return {
    schemaVersion: 1,
    command: 'check',
    ok: ready === result.manifests.length,
    today: result.today,
    phase: result.phase ?? null,
    summary: {
      manifests: result.manifests.length,
      ok: ready,
      notOk: result.manifests.length - ready,
    },
    manifests,
    ...configJson(relocateConfig(ctx.config, at)),
  };
}

function cell(p: PhaseResult | undefined, invalid: boolean): string {
  if (!p || invalid) return '⛔ invalid';
  return `${p.ready ? '✅' : p.rulesPass ? '⏸️' : '❌'} ${p.passed}/${p.total}`;
}

/** The row of one manifest in the table of models by phases. */
function markdownRow(m: CheckResult['manifests'][number]): string {
  const r = m.report;
  const cells = PHASES.map((ph) =>
    cell(
      r.phases.find((p) => p.phase === ph),
      r.invalid !== undefined,
    ),
  );
  return `| ${mdText(r.name ?? r.file)} | ${mdText(r.riskTier ?? '')} | ${mdText(r.status ?? '')} | ${cells.join(' | ')} |`;
}

/** The folded details of one manifest: what fails, what is waived, its value metrics. */
function markdownDetails(
  m: CheckResult['manifests'][number],
  phase: Phase | undefined,
  invokedAs: string | undefined,
): string[] {
  const r = m.report;
  const how: Telling = { invokedAs };
  const body: string[] = [];
  for (const note of settingNotes(r)) body.push(`_${mdText(note)}_`, '');
  if (r.invalid) {
    body.push(`The manifest does not validate; run ${mdCode(validateCommand(r, invokedAs))}.`, '');
    for (const f of r.invalid.slice(0, 20))
      body.push(`- ${mdCode(position(f, r.file))} ${describeMarkdown(f, how).message}`);
  }
  for (const p of r.phases) {
    const rules = p.rules.filter((x) => x.status !== 'pass' && !(x.status === 'fail' && p.ready));
    if (rules.length === 0) continue;
    body.push(`**${p.phase}** (${p.passed}/${p.total})`, '');
    for (const rule of rules) {
      const mark = rule.status === 'fail' ? '❌' : rule.status === 'waived' ? '〰️' : '⚠️';
      body.push(
        `- ${mark} **${rule.id}** ${rule.title}${rule.status === 'waived' ? ` — ${mdText(waiverText(rule, r.waivers), { start: false })}` : ''}`,
      );
      for (const f of rule.findings) {
        const { message, hint } = describeMarkdown(f, how);
        body.push(`  - ${message}${hint ? `<br>→ ${hint}` : ''}`);
      }
      if (rule.status === 'waived') continue;
      for (const w of rule.waived ?? [])
        body.push(
          `  - 〰️ ${describeMarkdown(w.finding, how).message} (${mdText(excusedBy(w.waiver, r.waivers), { start: false })})`,
        );
    }
    body.push('');
  }
  if (r.waivers.length) {
    body.push('| waiver | rule | target | standing | reason |', '|---|---|---|---|---|');
    for (const w of r.waivers)
      body.push(
        `| ${mdText(w.id ?? `waivers[${w.index}]`)} | ${mdText(w.rule)} | ${mdText(w.target ?? '')} | ${w.status === 'in_force' ? (expiring(w) ? '⚠️' : '✅') : '❌'} ${mdText(waiverStanding(w), { start: false })} | ${mdText(w.reason)} |`,
      );
    body.push('');
  }
  if (r.values.length) {
    body.push('| value metric | baseline → target → observed | |', '|---|---|---|');
    for (const v of r.values)
      body.push(`| ${mdText(v.id)} | ${mdText(valueText(v))} | ${VALUE_WORDS[v.status]} |`);
    body.push('');
  }
  body.push(...markdownBoard(r, PHASES.indexOf((phase ?? r.status) as Phase), body.length > 0));
  if (body.length === 0) return [];
  return [
    `<details><summary>${m.ok ? '✅' : '❌'} <code>${htmlText(r.file)}</code>: ${htmlText(verdict(m, phase, invokedAs))}</summary>`,
    '',
    ...body,
    '</details>',
    '',
  ];
}

const BOUNDS_MARKS: Record<BoundsStatus, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  unknown: '❔',
};

/**
 * The guardrails and drift checks of a manifest's details: a row for each that fails, warns or
 * is not observed (leaving out what is not observed in a phase the model has not reached), and
 * how many are within bounds; nothing when all are, unless `counted` (other details are shown).
 */
function markdownBoard(r: ManifestReport, reached: number, counted: boolean): string[] {
  const lines = readScoreboard(r.scoreboard);
  const guardrails = boardShown(lines.guardrails, (g) => g.phase, reached, false);
  const drift = boardShown(lines.drift, () => 'monitor', reached, false);
  const rows = [
    ...guardrails.shown.map((g) => {
      const read = g.observed !== undefined || g.groups?.some((x) => x.observed !== undefined);
      const groups =
        g.groups?.length && read ? `<br>groups: ${mdText(groupsText(g), { start: false })}` : '';
      return `| guardrail ${mdCode(g.id)} | ${g.phase} | ${mdText(`${g.metric} ${g.observed === undefined ? '?' : num(g.observed)}`)}${groups} | ${mdText(guardrailBounds(g))} | ${BOUNDS_MARKS[g.status]} ${BOUNDS_WORDS[g.status]} |`;
    }),
    ...drift.shown.map(
      (d) =>
        `| drift ${mdCode(d.id)} | monitor | ${mdText(`${d.method} ${d.observed === undefined ? '?' : num(d.observed)}`)} | ${mdText(driftBounds(d))} | ${BOUNDS_MARKS[d.status]} ${BOUNDS_WORDS[d.status]} |`,
    ),
  ];
  const more = rows.length > 0;
  const left = [
    leftOutText(guardrails, more, ['guardrail', 'guardrails'], true),
    leftOutText(drift, more, ['drift check', 'drift checks'], false),
  ].filter((x): x is string => x !== undefined);
  const count = left.length ? mdText(`${left.join('; ')}.`) : '';
  if (!more) return counted && count ? [count, ''] : [];
  return [
    '| guardrail or drift check | phase | observed | bounds | |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...(count ? [count, ''] : []),
  ];
}

/** The last line of a report cut at MARKDOWN_LIMIT. */
function checkCutLine(left: number, total: number, invokedAs = 'mlops'): string {
  return `✂️ This report stops at ${count(MARKDOWN_LIMIT)} characters (a pull-request comment holds 65,536) and leaves out ${count(left)} of ${count(total)} ${total === 1 ? 'manifest' : 'manifests'}, their rows and their details. Run the same \`${invokedAs} check\` with \`--format json\` (or \`--format text\`) to see them all.`;
}

/**
 * A pull-request comment: the models by phases, then what fails in each, folded. Manifests that
 * do not fit in MARKDOWN_LIMIT characters are left out whole (their row and their details), and
 * the last line says how many.
 */
const markdown: Reporter<CheckResult> = (result, ctx) => {
  const total = result.manifests.length;
  const ok = result.manifests.filter((m) => m.ok).length;
  const head = [
    '<!-- mlops:check -->',
    '## mlops check',
    '',
    `${ok === total ? '✅' : '❌'} ${ok} of ${plural(total, 'manifest')} ${result.phase ? `ready for **${result.phase}**` : 'meet their status'} (as of ${result.today})`,
    '',
    '| model | tier | status | envision | build | deploy | monitor |',
    '|---|---|---|---|---|---|---|',
  ];
  const legend = [
    '',
    '✅ ready · ❌ rules fail · ⏸️ rules pass, an earlier phase is not ready',
    '',
  ];
  const config = configNote(ctx);
  if (config) legend.push(mdText(config), '');
  const budget = new MarkdownBudget(
    MARKDOWN_LIMIT - linesLength(['', checkCutLine(total, total, ctx.invokedAs)]),
  );
  budget.take([...head, ...legend]);
  const rows: string[] = [];
  const details: string[] = [];
  for (const m of result.manifests) {
    const row = markdownRow(m);
    const block = markdownDetails(m, result.phase, ctx.invokedAs);
    if (!budget.take([row, ...block])) break;
    rows.push(row);
    details.push(...block);
  }
  const out = [...head, ...rows, ...legend, ...details];
  if (rows.length < total) {
    while (out[out.length - 1] === '') out.pop();
    out.push('', checkCutLine(total - rows.length, total, ctx.invokedAs));
  }
  return `${out.join('\n').trimEnd()}\n`;
};

/** A finding that machine annotations carry, with the rule (or reading code) it belongs to. */
interface Annotation {
  ruleId: string;
  finding: Finding;
  file: string;
  /** The phase whose rule found it; absent for a manifest that does not read or validate. */
  phase?: Phase;
  severity: Severity;
}

/** The phase a model claims by its status, when no `--phase` is given: its failing rules warn. */
function claimedPhase(result: CheckResult, r: ManifestReport): Phase | undefined {
  return !result.phase && PHASES.includes(r.status as Phase) ? (r.status as Phase) : undefined;
}

/**
 * Findings that machine annotations carry: the phases held to (errors) and the claimed phase
 * (warnings); every path relative to the repository root.
 */
function annotations(result: CheckResult, ctx: ReportContext): Annotation[] {
  const out: Annotation[] = [];
  const at = toRoot(ctx);
  for (const m of result.manifests) {
    const r = reportAt(m.report, at);
    if (r.invalid) {
      for (const f of r.invalid)
        out.push({ ruleId: f.code, finding: f, file: f.file ?? r.file, severity: f.severity });
      continue;
    }
    const claimed = claimedPhase(result, r);
    for (const p of r.phases) {
      const held = m.heldTo.includes(p.phase);
      if (!held && p.phase !== claimed) continue;
      for (const rule of p.rules) {
        // a waived rule's findings are warnings about its waivers: annotated as any warning
        if (rule.status === 'pass') continue;
        for (const f of rule.findings)
          out.push({
            ruleId: rule.id,
            finding: f,
            file: f.file ?? r.file,
            phase: p.phase,
            // Beyond the phases a model is held to, a failing rule is only a warning.
            severity: held ? f.severity : 'warning',
          });
      }
    }
  }
  return out;
}

/** The message of an annotation: the phase, the finding, and its fix in words. */
function annotationText(a: Annotation, how: Telling): { message: string; hint?: string } {
  const { message, hint } = describeFinding(a.finding, how);
  return { message: a.phase ? `${a.phase}: ${message}` : message, ...(hint ? { hint } : {}) };
}

/** A readiness rule for code scanning: its help, why it exists, and the law it serves (linked). */
function ruleDescriptor(rule: Rule): SarifRule {
  const legal = rule.legal
    ? `\n\nSee ${rule.legal.ref}${rule.legal.url ? `: ${rule.legal.url}` : ''}.`
    : '';
  const legalMarkdown = rule.legal
    ? `\n\n**Legal reference:** ${rule.legal.url ? `[${mdText(rule.legal.ref, { start: false })}](${rule.legal.url})` : mdText(rule.legal.ref, { start: false })}`
    : '';
  return {
    id: rule.id,
    title: rule.title,
    help: `${rule.help}\n\nWhy: ${rule.rationale}${legal}`,
    helpMarkdown: `${mdSpans(rule.help)}\n\n**Why:** ${mdSpans(rule.rationale)}${legalMarkdown}`,
    ...(rule.legal?.url ? { helpUri: rule.legal.url } : {}),
    properties: {
      phases: rule.phases,
      waivable: rule.waivable,
      ...(rule.legal ? { legal: rule.legal } : {}),
    },
  };
}

/**
 * SARIF: every readiness rule is described (G1..M4) whether or not it has a result, then the
 * reading codes that occur; each result carries its finding's fingerprint.
 */
const sarif: Reporter<CheckResult> = (result, ctx) => {
  const found = annotations(result, ctx);
  const codes = [...new Set(found.filter((a) => !a.phase).map((a) => a.finding.code))].sort();
  return renderSarifLog({
    toolVersion: ctx.toolVersion,
    automationId: 'mlops/check/',
    rules: [...RULES.map(ruleDescriptor), ...codes.map(codeRule)],
    results: found.map((a) => {
      const { message, hint } = annotationText(a, { invokedAs: ctx.invokedAs });
      return {
        ruleId: a.ruleId,
        level: sarifLevel(a.severity),
        message: hint ? `${message}. ${hint}` : message,
        file: a.file,
        line: a.finding.line ?? 1,
        column: a.finding.column ?? 1,
        ...(a.finding.fingerprint ? { fingerprint: a.finding.fingerprint } : {}),
      };
    }),
  });
};

const TITLES = new Map<string, string>(RULES.map((r) => [r.id, r.title]));

/** Why a rule exists, with the law it helps to comply with: what `--verbose` adds to a failing rule. */
function rationale(id: RuleId): string {
  const rule = ruleById(id);
  return `${rule.rationale}${rule.legal ? ` (${rule.legal.ref})` : ''}`;
}

const github: Reporter<CheckResult> = (result, ctx) => {
  const out = annotations(result, ctx).map((a) => {
    const { message, hint } = annotationText(a, { invokedAs: ctx.invokedAs });
    const kind = a.severity === 'error' ? 'error' : a.severity === 'warning' ? 'warning' : 'notice';
    const ruleTitle = TITLES.get(a.ruleId);
    const title = a.phase && ruleTitle ? `mlops check ${a.ruleId}: ${ruleTitle}` : a.ruleId;
    const props = `file=${escapeGithubProperty(a.file)},line=${a.finding.line ?? 1},col=${a.finding.column ?? 1},title=${escapeGithubProperty(title)}`;
    return `::${kind} ${props}::${escapeGithubData(hint ? `${message} (${hint})` : message)}`;
  });
  return out.length ? `${out.join('\n')}\n` : '';
};

/**
 * The testcases of one manifest: a testcase per phase and rule, failing when the rule fails in
 * a phase the model is held to (or claims, as annotations warn of it), skipped when waived or
 * when the phase is beyond what the model claims.
 */
function manifestCases(
  m: CheckResult['manifests'][number],
  result: CheckResult,
  at: Relocate,
  how: Telling,
): JUnitCase[] {
  const r = reportAt(m.report, at);
  if (r.invalid) return findingCases(r.file, r.invalid, how);
  const classname = classnameOf(r.file);
  const claimed = claimedPhase(result, r);
  return r.phases.flatMap((p) => {
    const held = m.heldTo.includes(p.phase);
    return p.rules.map((rule): JUnitCase => {
      const first = rule.findings.find((f) => f.line !== undefined);
      const base: JUnitCase = {
        name: `${p.phase} ${rule.id}: ${rule.title}`,
        classname,
        file: r.file,
        ...(first?.line !== undefined ? { line: first.line } : {}),
      };
      const items = rule.findings.map((f) => junitItem({ ...f, file: f.file ?? r.file }, how));
      if (rule.status === 'pass') return base;
      if (rule.status === 'waived') return { ...base, skipped: waiverText(rule, r.waivers) };
      if (!held && p.phase !== claimed) {
        const why = result.phase
          ? `not required: --phase ${result.phase} does not include ${p.phase}`
          : r.status === 'retired'
            ? 'not required: a retired model is held to no phase'
            : `not required: ${p.phase} comes after the status ${r.status ?? 'envision'}`;
        return { ...base, skipped: why, ...(items.length ? { notes: items } : {}) };
      }
      // beyond the phases held to, a failing rule is a warning, as in the annotations
      const severity = (i: (typeof items)[number]): typeof i =>
        held ? i : { ...i, severity: 'warning' };
      const failing = items.map(severity).filter((i) => i.severity !== 'info');
      const notes = items.map(severity).filter((i) => i.severity === 'info');
      return {
        ...base,
        ...(failing.length ? { failure: { type: rule.id, items: failing } } : {}),
        ...(notes.length ? { notes } : {}),
      };
    });
  });
}

/** JUnit XML: a testsuite per manifest, a testcase per phase and rule (or per code, for an invalid manifest). */
const junit: Reporter<CheckResult> = (result, ctx) => {
  const at = toRoot(ctx);
  const suites: JUnitSuite[] = result.manifests.map((m) => ({
    name: at(m.report.file),
    cases: manifestCases(m, result, at, { invokedAs: ctx.invokedAs }),
  }));
  return renderJUnit('mlops check', suites);
};

/** GitLab Code Quality: what the annotations carry, each with its finding's fingerprint. */
const codequality: Reporter<CheckResult> = (result, ctx) =>
  renderCodeQuality(
    annotations(result, ctx).map((a) => {
      const { message, hint } = annotationText(a, { invokedAs: ctx.invokedAs });
      return {
        checkName: a.ruleId,
        severity: a.severity,
        message,
        ...(hint ? { hint } : {}),
        file: a.file,
        ...(a.finding.line !== undefined ? { line: a.finding.line } : {}),
        ...(a.finding.fingerprint ? { fingerprint: a.finding.fingerprint } : {}),
        identity: [a.phase ?? null, a.finding.code, a.finding.path, a.finding.args],
      };
    }),
  );

export const checkReporters = {
  text,
  json,
  markdown,
  github,
  sarif,
  junit,
  codequality,
} satisfies Record<CheckFormat, Reporter<CheckResult>>;
