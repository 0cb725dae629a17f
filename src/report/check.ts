import { RULES, readyThrough } from '../core/check.js';
import type { Finding, ManifestReport, PhaseResult, RuleResult, ValueLine } from '../core/check.js';
import { VALIDATE_CODES } from '../core/codes.js';
import { plural } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { PHASES } from '../core/manifest.js';
import type { Phase } from '../core/manifest.js';
import { escapeGithubData, escapeGithubProperty } from './context.js';
import type { ReportContext, Reporter } from './context.js';
import { renderSarif } from './sarif.js';

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
    const meta = [r.riskTier ? `tier ${r.riskTier}` : '', r.status ? `status ${r.status}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(
      `${color.bold(r.file)}${r.name ? `  ${r.name}` : ''}${meta ? color.dim(`  (${meta})`) : ''}`,
    );
    if (r.invalid) {
      for (const d of r.invalid.slice(0, 5))
        lines.push(`  ${color.red('✖')} ${d.file}:${d.line}:${d.column}  ${d.message}`);
      if (r.invalid.length > 5) lines.push(`    … ${plural(r.invalid.length - 5, 'more finding')}`);
      lines.push(
        `  ${color.red('✖ invalid manifest: nothing was judged')}  ${color.dim(`run: mlops validate ${r.file}`)}`,
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
          lines.push(`    ${color.cyan('~')} ${rule.id}  ${rule.title}: ${waiverText(rule)}`);
          continue;
        }
        const mark = rule.status === 'fail' ? color.red('✖') : color.yellow('⚠');
        if (brief) {
          const more =
            rule.findings.length > 1 ? color.dim(` (+${rule.findings.length - 1} more)`) : '';
          lines.push(
            `    ${mark} ${color.bold(rule.id)}  ${rule.findings[0]?.message ?? rule.title}${more}`,
          );
          continue;
        }
        lines.push(`    ${mark} ${color.bold(rule.id)}  ${rule.title}`);
        for (const f of rule.findings) {
          lines.push(`        ${f.message}`);
          if (f.fix) lines.push(`        ${color.dim(`→ ${f.fix}`)}`);
        }
        if (rule.waiver?.expired) lines.push(`        ${color.yellow(waiverText(rule))}`);
      }
      if (!p.ready && p.rulesPass && blocked)
        lines.push(`    ${color.dim(`its rules pass; it waits for ${blocked}`)}`);
      if (!p.rulesPass && !blocked) blocked = p.phase;
    }
    if (r.values.length > 0) {
      lines.push(`  value metrics ${color.dim('(baseline → target → observed)')}`);
      const idWidth = Math.max(...r.values.map((v) => v.id.length));
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
        const source = sourceText(v);
        lines.push(
          `    ${v.id.padEnd(idWidth)}  ${numbers[i]!.padEnd(numWidth)}  ${colored}${source ? color.dim(`  (${source})`) : ''}`,
        );
      });
    }
    const line = `${m.ok ? '✔' : '✖'} ${verdict(m, result.phase)}`;
    lines.push(`  ${m.ok ? color.green(line) : color.red(line)}`);
    lines.push('');
  }
  if (result.manifests.length > 1) lines.push(summaryLine(result, ctx));
  else if (lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
};

function summaryLine(result: CheckResult, ctx: ReportContext): string {
  const total = result.manifests.length;
  const bad = result.manifests.filter((m) => !m.ok);
  const what = result.phase ? `ready for ${result.phase}` : 'meet their status';
  const names =
    bad
      .slice(0, 5)
      .map((m) => m.report.name ?? m.report.file)
      .join(', ') + (bad.length > 5 ? ', …' : '');
  const line = `${bad.length === 0 ? '✔' : '✖'} ${total - bad.length} of ${plural(total, 'manifest')} ${what}${bad.length ? `; not: ${names}` : ''}`;
  return bad.length === 0 ? ctx.color.green(line) : ctx.color.red(line);
}

const json: Reporter<CheckResult> = (result) => {
  const manifests = result.manifests.map(({ report, heldTo, ok }) => ({
    file: report.file,
    name: report.name,
    riskTier: report.riskTier,
    status: report.status,
    heldTo,
    ok,
    readyThrough: report.invalid ? null : (readyThrough(report) ?? null),
    ...(report.invalid ? { invalid: report.invalid } : {}),
    phases: report.phases,
    values: report.values,
    waivers: report.waivers,
  }));
  const ready = result.manifests.filter((m) => m.ok).length;
  return `${JSON.stringify(
    {
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
    },
    null,
    2,
  )}\n`;
};

function cell(p: PhaseResult | undefined, invalid: boolean): string {
  if (!p || invalid) return '⛔ invalid';
  return `${p.ready ? '✅' : p.rulesPass ? '⏸️' : '❌'} ${p.passed}/${p.total}`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const markdown: Reporter<CheckResult> = (result) => {
  const out: string[] = ['## mlops check', ''];
  const ok = result.manifests.filter((m) => m.ok).length;
  out.push(
    `${ok === result.manifests.length ? '✅' : '❌'} ${ok} of ${plural(result.manifests.length, 'manifest')} ${result.phase ? `ready for **${result.phase}**` : 'meet their status'} (as of ${result.today})`,
    '',
  );
  out.push(
    '| model | tier | status | envision | build | deploy | monitor |',
    '|---|---|---|---|---|---|---|',
  );
  for (const { report: r } of result.manifests) {
    const cells = PHASES.map((ph) =>
      cell(
        r.phases.find((p) => p.phase === ph),
        r.invalid !== undefined,
      ),
    );
    out.push(
      `| ${mdEscape(r.name ?? r.file)} | ${r.riskTier ?? ''} | ${r.status ?? ''} | ${cells.join(' | ')} |`,
    );
  }
  out.push('', '✅ ready · ❌ rules fail · ⏸️ rules pass, an earlier phase is not ready', '');
  for (const m of result.manifests) {
    const r = m.report;
    const body: string[] = [];
    if (r.invalid) {
      body.push(`The manifest does not validate; run \`mlops validate ${r.file}\`.`, '');
      for (const d of r.invalid.slice(0, 20))
        body.push(`- \`${d.file}:${d.line}:${d.column}\` ${mdEscape(d.message)}`);
    }
    for (const p of r.phases) {
      const rules = p.rules.filter((x) => x.status !== 'pass' && !(x.status === 'fail' && p.ready));
      if (rules.length === 0) continue;
      body.push(`**${p.phase}** (${p.passed}/${p.total})`, '');
      for (const rule of rules) {
        const mark = rule.status === 'fail' ? '❌' : rule.status === 'waived' ? '〰️' : '⚠️';
        body.push(
          `- ${mark} **${rule.id}** ${rule.title}${rule.waiver ? ` — ${mdEscape(waiverText(rule))}` : ''}`,
        );
        if (rule.status === 'waived') continue;
        for (const f of rule.findings)
          body.push(`  - ${mdEscape(f.message)}${f.fix ? `<br>→ ${mdEscape(f.fix)}` : ''}`);
      }
      body.push('');
    }
    if (r.values.length) {
      body.push('| value metric | baseline → target → observed | |', '|---|---|---|');
      for (const v of r.values)
        body.push(`| ${mdEscape(v.id)} | ${mdEscape(valueText(v))} | ${VALUE_WORDS[v.status]} |`);
      body.push('');
    }
    if (body.length === 0) continue;
    out.push(
      `<details><summary>${m.ok ? '✅' : '❌'} <code>${mdEscape(r.file)}</code>: ${mdEscape(verdict(m, result.phase))}</summary>`,
      '',
      ...body,
      '</details>',
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
};

/** Findings that machine annotations carry: the phases held to (errors) and the claimed phase (warnings). */
export function annotations(result: CheckResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of result.manifests) {
    const r = m.report;
    if (r.invalid) {
      out.push(...r.invalid);
      continue;
    }
    const claimed =
      !result.phase && PHASES.includes(r.status as Phase) ? (r.status as Phase) : undefined;
    for (const p of r.phases) {
      const held = m.heldTo.includes(p.phase);
      if (!held && p.phase !== claimed) continue;
      for (const rule of p.rules) {
        if (rule.status === 'pass' || rule.status === 'waived') continue;
        for (const f of rule.findings) out.push(toDiagnostic(r.file, p.phase, rule.id, f, held));
      }
    }
  }
  return out;
}

function toDiagnostic(
  file: string,
  phase: Phase,
  id: string,
  f: Finding,
  held: boolean,
): Diagnostic {
  return {
    code: id,
    severity: held ? f.severity : 'warning',
    message: `${phase}: ${f.message}`,
    file,
    path: f.at,
    line: f.line ?? 1,
    column: f.column ?? 1,
    ...(f.fix ? { hint: f.fix } : {}),
  };
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: { ruleId: string; ruleIndex: number }[];
  }[];
}

/** SARIF with every readiness rule described (G1..M4), whether or not it has a result. */
const sarif: Reporter<CheckResult> = (result, ctx) => {
  const codes = { ...VALIDATE_CODES, ...RULES };
  const diagnostics = annotations(result);
  const log = JSON.parse(renderSarif(diagnostics, codes, ctx.toolVersion)) as SarifLog;
  const every = [...new Set([...Object.keys(RULES), ...diagnostics.map((d) => d.code)])].map(
    (code): Diagnostic => ({
      code,
      severity: 'error',
      message: '',
      file: '',
      path: [],
      line: 1,
      column: 1,
    }),
  );
  const rules = (JSON.parse(renderSarif(every, codes, ctx.toolVersion)) as SarifLog).runs[0]!.tool
    .driver.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const run = log.runs[0]!;
  run.tool.driver.rules = rules;
  for (const r of run.results) r.ruleIndex = index.get(r.ruleId) ?? 0;
  return `${JSON.stringify(log, null, 2)}\n`;
};

const github: Reporter<CheckResult> = (result) => {
  const out = annotations(result).map((d) => {
    const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
    const title = RULES[d.code] ? `mlops check ${d.code}: ${RULES[d.code]!.title}` : d.code;
    const props = `file=${escapeGithubProperty(d.file)},line=${d.line},col=${d.column},title=${escapeGithubProperty(title)}`;
    return `::${kind} ${props}::${escapeGithubData(d.hint ? `${d.message} (${d.hint})` : d.message)}`;
  });
  return out.length ? `${out.join('\n')}\n` : '';
};

export const checkReporters = { text, json, markdown, sarif, github } satisfies Record<
  CheckFormat,
  Reporter<CheckResult>
>;
