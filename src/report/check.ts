import { RULES, readyThrough, ruleById } from '../core/check/index.js';
import type {
  ManifestReport,
  PhaseResult,
  Rule,
  RuleId,
  RuleResult,
  ValueLine,
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
import { describeMarkdown, describeText } from './describe.js';
import { escapeLine as e, htmlText, jsonText, mdCode, mdText } from './escape.js';
import { MARKDOWN_LIMIT, MarkdownBudget, count, linesLength } from './markdown.js';
import { MESSAGES, describeFinding } from './messages/index.js';
import { renderSarifLog, sarifLevel } from './sarif.js';
import type { SarifRule } from './sarif.js';
import { plural } from './words.js';

export const CHECK_FORMATS = ['text', 'json', 'markdown', 'sarif', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** What `mlops check` found, for every manifest, and what each is held to. */
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

function verdict(m: CheckResult['manifests'][number], phase: Phase | undefined): string {
  const r = m.report;
  if (r.invalid) return 'invalid manifest: run `mlops validate`';
  const through = readyThrough(r);
  const ready = through ? `ready through ${through}` : 'no phase ready yet';
  if (phase) return `${m.ok ? 'ready' : 'not ready'} for ${phase} (${ready})`;
  if (r.status === 'retired') return `retired: held to no phase (${ready})`;
  if (m.ok) return `meets its status ${r.status ?? 'envision'} (${ready})`;
  const failing = m.heldTo.find((p) => !r.phases.find((x) => x.phase === p)?.ready);
  return `claims ${r.status} but ${failing ?? 'a phase'} is not ready (${ready})`;
}

function sourceText(v: ValueLine): string {
  if (!v.source) return '';
  return v.source.kind === 'monitor'
    ? `${v.source.path}, committed ${v.source.date ?? '?'}`
    : `projected by evaluation ${v.source.evaluation}`;
}

function valueText(v: ValueLine): string {
  const source = sourceText(v);
  return `${num(v.baseline)} → ${num(v.target)} → ${v.observed === undefined ? '?' : num(v.observed)}${source ? `  (${source})` : ''}`;
}

function waiverText(r: RuleResult): string {
  const w = r.waiver;
  if (!w) return '';
  return w.expired
    ? `waiver expired on ${w.expires} (owner ${w.owner}); it no longer counts`
    : `waived until ${w.expires} by ${w.owner}: ${w.reason}`;
}

const text: Reporter<CheckResult> = (result, ctx) => {
  const { color } = ctx;
  const lines: string[] = [];
  for (const m of result.manifests) {
    const r = m.report;
    const meta = [
      r.riskTier ? `tier ${e(r.riskTier)}` : '',
      r.status ? `status ${e(r.status)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `${color.bold(e(r.file))}${r.name ? `  ${e(r.name)}` : ''}${meta ? color.dim(`  (${meta})`) : ''}`,
    );
    if (r.invalid) {
      for (const f of r.invalid.slice(0, 5))
        lines.push(`  ${color.red('✖')} ${e(position(f, r.file))}  ${describeText(f).message}`);
      if (r.invalid.length > 5) lines.push(`    … ${plural(r.invalid.length - 5, 'more finding')}`);
      lines.push(
        `  ${color.red('✖ invalid manifest: nothing was judged')}  ${color.dim(`run: ${e(validateCommand(r))}`)}`,
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
      lines.push(`  ${p.phase.padEnd(9)} ${`${p.passed}/${p.total}`.padStart(width)}  ${word}`);
      for (const rule of p.rules) {
        if (rule.status === 'pass' || (rule.status === 'fail' && p.ready)) continue;
        if (rule.status === 'waived') {
          lines.push(`    ${color.cyan('~')} ${rule.id}  ${rule.title}: ${e(waiverText(rule))}`);
          continue;
        }
        const mark = rule.status === 'fail' ? color.red('✖') : color.yellow('⚠');
        if (brief) {
          const first = rule.findings[0];
          const more =
            rule.findings.length > 1 ? color.dim(` (+${rule.findings.length - 1} more)`) : '';
          lines.push(
            `    ${mark} ${color.bold(rule.id)}  ${first ? describeText(first).message : rule.title}${more}`,
          );
          continue;
        }
        lines.push(`    ${mark} ${color.bold(rule.id)}  ${rule.title}`);
        if (ctx.verbose) lines.push(`        ${color.dim(`why: ${rationale(rule.id)}`)}`);
        for (const f of rule.findings) {
          const { message, hint } = describeText(f);
          lines.push(`        ${message}`);
          if (hint) lines.push(`        ${color.dim(`→ ${hint}`)}`);
        }
        if (rule.waiver?.expired) lines.push(`        ${color.yellow(e(waiverText(rule)))}`);
      }
      if (!p.ready && p.rulesPass && blocked)
        lines.push(`    ${color.dim(`its rules pass; it waits for ${blocked}`)}`);
      if (!p.rulesPass && !blocked) blocked = p.phase;
    }
    if (r.values.length > 0) {
      lines.push(`  value metrics ${color.dim('(baseline → target → observed)')}`);
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
        lines.push(
          `    ${ids[i]!.padEnd(idWidth)}  ${numbers[i]!.padEnd(numWidth)}  ${colored}${source ? color.dim(`  (${source})`) : ''}`,
        );
      });
    }
    const line = `${m.ok ? '✔' : '✖'} ${e(verdict(m, result.phase))}`;
    lines.push(`  ${m.ok ? color.green(line) : color.red(line)}`);
    lines.push('');
  }
  if (result.manifests.length > 1) lines.push(summaryLine(result, ctx));
  else if (lines[lines.length - 1] === '') lines.pop();
  const config = configNote(ctx);
  if (config) lines.push(color.dim(e(config)));
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
function ruleFindingJson(f: Finding): Record<string, unknown> {
  const { message, hint } = describeFinding(f);
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
function validateCommand(r: ManifestReport): string {
  const files = [r.file];
  for (const f of r.invalid ?? []) {
    const others = f.code === 'DUPLICATE_NAME' ? f.args.others : undefined;
    if (Array.isArray(others))
      for (const o of others) if (!files.includes(String(o))) files.push(String(o));
  }
  return `mlops validate ${files.join(' ')}`;
}

/** A finding of reading the manifest, in the shape `mlops validate --format json` lists them. */
function readFindingJson(f: Finding, file: string): Record<string, unknown> {
  const { message, hint } = describeFinding(f);
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

function phaseJson(p: PhaseResult): Record<string, unknown> {
  return {
    ...p,
    rules: p.rules.map((r) => ({ ...r, findings: r.findings.map(ruleFindingJson) })),
  };
}

const json: Reporter<CheckResult> = (result, ctx) => {
  const manifests = result.manifests.map(({ report, heldTo, ok }) => ({
    file: report.file,
    name: report.name,
    riskTier: report.riskTier,
    status: report.status,
    heldTo,
    ok,
    readyThrough: report.invalid ? null : (readyThrough(report) ?? null),
    ...(report.invalid
      ? { invalid: report.invalid.map((f) => readFindingJson(f, report.file)) }
      : {}),
    phases: report.phases.map(phaseJson),
    values: report.values,
    waivers: report.waivers,
  }));
  const ready = result.manifests.filter((m) => m.ok).length;
  return `${jsonText({
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
    ...configJson(ctx.config),
  })}\n`;
};

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
function markdownDetails(m: CheckResult['manifests'][number], phase: Phase | undefined): string[] {
  const r = m.report;
  const body: string[] = [];
  if (r.invalid) {
    body.push(`The manifest does not validate; run ${mdCode(validateCommand(r))}.`, '');
    for (const f of r.invalid.slice(0, 20))
      body.push(`- ${mdCode(position(f, r.file))} ${describeMarkdown(f).message}`);
  }
  for (const p of r.phases) {
    const rules = p.rules.filter((x) => x.status !== 'pass' && !(x.status === 'fail' && p.ready));
    if (rules.length === 0) continue;
    body.push(`**${p.phase}** (${p.passed}/${p.total})`, '');
    for (const rule of rules) {
      const mark = rule.status === 'fail' ? '❌' : rule.status === 'waived' ? '〰️' : '⚠️';
      body.push(
        `- ${mark} **${rule.id}** ${rule.title}${rule.waiver ? ` — ${mdText(waiverText(rule), { start: false })}` : ''}`,
      );
      if (rule.status === 'waived') continue;
      for (const f of rule.findings) {
        const { message, hint } = describeMarkdown(f);
        body.push(`  - ${message}${hint ? `<br>→ ${hint}` : ''}`);
      }
    }
    body.push('');
  }
  if (r.values.length) {
    body.push('| value metric | baseline → target → observed | |', '|---|---|---|');
    for (const v of r.values)
      body.push(`| ${mdText(v.id)} | ${mdText(valueText(v))} | ${VALUE_WORDS[v.status]} |`);
    body.push('');
  }
  if (body.length === 0) return [];
  return [
    `<details><summary>${m.ok ? '✅' : '❌'} <code>${htmlText(r.file)}</code>: ${htmlText(verdict(m, phase))}</summary>`,
    '',
    ...body,
    '</details>',
    '',
  ];
}

/** The last line of a report cut at MARKDOWN_LIMIT. */
function checkCutLine(left: number, total: number): string {
  return `✂️ This report stops at ${count(MARKDOWN_LIMIT)} characters (a pull-request comment holds 65,536) and leaves out ${count(left)} of ${count(total)} ${total === 1 ? 'manifest' : 'manifests'}, their rows and their details. Run the same \`mlops check\` with \`--format json\` (or \`--format text\`) to see them all.`;
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
  const budget = new MarkdownBudget(MARKDOWN_LIMIT - linesLength(['', checkCutLine(total, total)]));
  budget.take([...head, ...legend]);
  const rows: string[] = [];
  const details: string[] = [];
  for (const m of result.manifests) {
    const row = markdownRow(m);
    const block = markdownDetails(m, result.phase);
    if (!budget.take([row, ...block])) break;
    rows.push(row);
    details.push(...block);
  }
  const out = [...head, ...rows, ...legend, ...details];
  if (rows.length < total) {
    while (out[out.length - 1] === '') out.pop();
    out.push('', checkCutLine(total - rows.length, total));
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

/** Findings that machine annotations carry: the phases held to (errors) and the claimed phase (warnings). */
function annotations(result: CheckResult): Annotation[] {
  const out: Annotation[] = [];
  for (const m of result.manifests) {
    const r = m.report;
    if (r.invalid) {
      for (const f of r.invalid)
        out.push({ ruleId: f.code, finding: f, file: f.file ?? r.file, severity: f.severity });
      continue;
    }
    const claimed =
      !result.phase && PHASES.includes(r.status as Phase) ? (r.status as Phase) : undefined;
    for (const p of r.phases) {
      const held = m.heldTo.includes(p.phase);
      if (!held && p.phase !== claimed) continue;
      for (const rule of p.rules) {
        if (rule.status === 'pass' || rule.status === 'waived') continue;
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
function annotationText(a: Annotation): { message: string; hint?: string } {
  const { message, hint } = describeFinding(a.finding);
  return { message: a.phase ? `${a.phase}: ${message}` : message, ...(hint ? { hint } : {}) };
}

/** A readiness rule for code scanning: its help, why it exists, and the law it serves. */
function ruleDescriptor(rule: Rule): SarifRule {
  const legal = rule.legal
    ? `\n\nSee ${rule.legal.ref}${rule.legal.url ? `: ${rule.legal.url}` : ''}.`
    : '';
  return {
    id: rule.id,
    title: rule.title,
    help: `${rule.help}\n\nWhy: ${rule.rationale}${legal}`,
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
  const found = annotations(result);
  const codes = [...new Set(found.filter((a) => !a.phase).map((a) => a.finding.code))].sort();
  return renderSarifLog({
    toolVersion: ctx.toolVersion,
    automationId: 'mlops/check/',
    rules: [
      ...RULES.map(ruleDescriptor),
      ...codes.map((code) => ({
        id: code,
        title: MESSAGES[code].title,
        help: MESSAGES[code].help,
      })),
    ],
    results: found.map((a) => {
      const { message, hint } = annotationText(a);
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

const github: Reporter<CheckResult> = (result) => {
  const out = annotations(result).map((a) => {
    const { message, hint } = annotationText(a);
    const kind = a.severity === 'error' ? 'error' : a.severity === 'warning' ? 'warning' : 'notice';
    const ruleTitle = TITLES.get(a.ruleId);
    const title = a.phase && ruleTitle ? `mlops check ${a.ruleId}: ${ruleTitle}` : a.ruleId;
    const props = `file=${escapeGithubProperty(a.file)},line=${a.finding.line ?? 1},col=${a.finding.column ?? 1},title=${escapeGithubProperty(title)}`;
    return `::${kind} ${props}::${escapeGithubData(hint ? `${message} (${hint})` : message)}`;
  });
  return out.length ? `${out.join('\n')}\n` : '';
};

export const checkReporters = { text, json, markdown, sarif, github } satisfies Record<
  CheckFormat,
  Reporter<CheckResult>
>;
