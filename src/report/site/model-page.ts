// A model's page: its header and readiness, business case, value metrics over time, guardrail
// scoreboard, timeline of approvals and waivers, risk grid and open findings; for a manifest
// that could not be judged, its findings.
import type {
  FindingData,
  GuardrailData,
  ModelData,
  ReportData,
  RiskData,
  SeriesPoint,
  TimelineEntry,
  ValueSeries,
} from '../../core/report/model.js';
import { renderChart } from './chart.js';
import type { RefLine } from './chart.js';
import { esc, escAny, fmtNumber, fmtValue, isNumber, link, narrow, spans } from './html.js';
import { pageEnd, pageStart } from './page.js';
import {
  PHASE_NAMES,
  approvalBadge,
  badge,
  decisionWords,
  euClassWords,
  guardrailBadge,
  phaseName,
  plainWords,
  plural,
  standingBadge,
  standingSentence,
  waiverBadge,
} from './words.js';

/** Element ids of one page: charts are numbered in order. */
interface PageState {
  charts: number;
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** `<dt>`/`<dd>` pairs of the values given (HTML), in order. */
function facts(pairs: readonly [string, string | undefined][], cls = 'facts'): string {
  const items = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  if (items.length === 0) return '';
  return `<dl class="${cls}">${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>\n`;
}

function header(model: ModelData, out: string[]): void {
  const depth = model.page.split('/').length - 1;
  const back = `${'../'.repeat(depth)}index.html`;
  const owner = model.owner
    ? [
        str(model.owner.name) ? esc(model.owner.name) : '',
        str(model.owner.email) ? `&lt;${esc(model.owner.email)}&gt;` : '',
        str(model.owner.team) ? `(${esc(model.owner.team)})` : '',
      ]
        .filter((s) => s !== '')
        .join(' ')
    : undefined;
  const eu = model.euAiAct;
  out.push(
    '<header>\n',
    `<nav aria-label="Report">${link(back, '&#8592; All models')}</nav>\n`,
    `<h1>${esc(str(model.name) ? model.name : model.file)}</h1>\n`,
    str(model.title) ? `<p class="sub">${esc(model.title)}</p>\n` : '',
    facts([
      ['Manifest', `<code>${esc(model.file)}</code>`],
      ['Version', str(model.version) ? esc(model.version) : undefined],
      ['Owner', owner],
      ['Risk tier', str(model.riskTier) ? plainWords(model.riskTier) : undefined],
      ['EU AI Act class', str(eu?.classification) ? euClassWords(eu.classification) : undefined],
      ['EU AI Act legal basis', str(eu?.legalBasis) ? esc(eu.legalBasis) : undefined],
      [
        'EU AI Act Art. 50',
        eu?.art50 === true
          ? `transparency duties${eu.art50Duties && eu.art50Duties.length > 0 ? `: ${eu.art50Duties.map((d) => plainWords(d)).join(', ')}` : ''}`
          : undefined,
      ],
      [
        'General-purpose AI',
        str(eu?.gpai)
          ? eu.gpai === 'systemic_risk'
            ? 'model with systemic risk'
            : 'model'
          : undefined,
      ],
      ['EU AI Act role', str(eu?.role) ? plainWords(eu.role) : undefined],
      ['EU AI Act basis', str(eu?.basis) ? esc(eu.basis) : undefined],
      ['Claimed status', str(model.status) ? phaseName(model.status) : undefined],
    ]),
  );
  if (model.invalid === undefined) steps(model, out);
  out.push('</header>\n');
}

/** The four phases with their readiness, the ones the claimed status holds it to marked. */
function steps(model: ModelData, out: string[]): void {
  const readiness = model.readiness ?? [];
  if (readiness.length === 0) return;
  const held = new Set<string>(model.heldTo ?? []);
  out.push('<ol class="steps" aria-label="Phase readiness">');
  for (const r of readiness) {
    const name = phaseName(r.phase);
    const state = r.ready ? badge('ok', `${name} ready`) : badge('bad', `${name} not ready`);
    const claim = held.has(r.phase) ? ' <span class="sub">(claimed)</span>' : '';
    out.push(
      `<li${held.has(r.phase) ? ' class="held"' : ''}>${state}<br><span class="sub">${r.passed} of ${r.total} rules pass</span>${claim}</li>`,
    );
  }
  out.push('</ol>\n');
}

function businessCase(model: ModelData, out: string[]): void {
  const e = model.envision;
  out.push('<section aria-labelledby="h-case">\n<h2 id="h-case">Business case</h2>\n');
  const body = facts(
    [
      ['Hypothesis', str(e?.hypothesis) ? esc(e.hypothesis) : undefined],
      ['Problem', str(e?.problem) ? esc(e.problem) : undefined],
      ['Business objective', str(e?.businessObjective) ? esc(e.businessObjective) : undefined],
    ],
    'case',
  );
  out.push(
    body !== '' ? body : '<p>The manifest states no hypothesis, problem or objective.</p>\n',
  );
  out.push('</section>\n');
}

/** The newest version with a value, and how many versions have none. */
function latestOf(points: readonly SeriesPoint[]): { last?: SeriesPoint; gaps: number } {
  let last: SeriesPoint | undefined;
  let gaps = 0;
  for (const p of points) {
    if (isNumber(p.value)) last = p;
    else gaps++;
  }
  return last !== undefined ? { last, gaps } : { gaps };
}

/** `; 24 versions since 2025-01-10 (2 without a value)`. */
function versionsText(points: readonly SeriesPoint[], gaps: number): string {
  if (points.length === 0) return '';
  const without = gaps > 0 ? ` (${gaps} without a value)` : '';
  return `; ${plural(points.length, 'committed version')} since ${esc(String(points[0]!.date))}${without}`;
}

function valueSummary(v: ValueSeries): string {
  const { last, gaps } = latestOf(v.history);
  const parts: string[] = [];
  if (last !== undefined)
    parts.push(`Observed ${fmtValue(last.value!, v.unit)} on ${esc(last.date)}`);
  else if (isNumber(v.observed))
    parts.push(
      `Observed ${fmtValue(v.observed, v.unit)}${v.observedFrom === 'build' ? ' in the build evaluation' : ''}`,
    );
  else parts.push('No value observed yet');
  if (isNumber(v.target))
    parts.push(
      `target ${fmtValue(v.target, v.unit)}${str(v.targetBy) ? ` by ${esc(v.targetBy)}` : ''}`,
    );
  if (isNumber(v.minimumAcceptable)) parts.push(`minimum ${fmtValue(v.minimumAcceptable, v.unit)}`);
  if (isNumber(v.baseline)) parts.push(`baseline ${fmtValue(v.baseline, v.unit)}`);
  return `${parts.join(', ')}${versionsText(v.history, gaps)}.`;
}

function values(model: ModelData, state: PageState, out: string[]): void {
  out.push('<section aria-labelledby="h-value">\n<h2 id="h-value">Business value</h2>\n');
  if (model.values.length === 0) out.push('<p>The manifest names no business value metric.</p>\n');
  for (const v of model.values) {
    const name = str(v.name) ? `${esc(v.name)} <span class="sub">(${esc(v.id)})</span>` : esc(v.id);
    const direction =
      v.direction === 'increase'
        ? 'higher is better'
        : v.direction === 'decrease'
          ? 'lower is better'
          : v.direction === 'maintain'
            ? 'kept at its target'
            : str(v.direction)
              ? esc(v.direction)
              : undefined;
    out.push(
      `<h3>${name}</h3>\n`,
      `<p>${standingBadge(v.status)} ${standingSentence(v.status, v.direction)}</p>\n`,
      facts([
        ['Baseline', isNumber(v.baseline) ? fmtValue(v.baseline, v.unit) : undefined],
        [
          'Minimum acceptable',
          isNumber(v.minimumAcceptable) ? fmtValue(v.minimumAcceptable, v.unit) : undefined,
        ],
        ['Target', isNumber(v.target) ? fmtValue(v.target, v.unit) : undefined],
        ['Target date', str(v.targetBy) ? esc(v.targetBy) : undefined],
        ['Direction', direction],
        [
          'Observed',
          isNumber(v.observed)
            ? `${fmtValue(v.observed, v.unit)}${v.observedFrom === 'build' ? ' (build evaluation)' : v.observedFrom === 'monitor' ? ' (value tracking)' : ''}`
            : undefined,
        ],
        ['Value tracking', str(v.source) ? `<code>${esc(v.source)}</code>` : undefined],
      ]),
    );
    const lines: RefLine[] = [];
    if (isNumber(v.baseline)) lines.push({ value: v.baseline, label: 'baseline', kind: 'base' });
    if (isNumber(v.minimumAcceptable))
      lines.push({ value: v.minimumAcceptable, label: 'minimum', kind: 'min' });
    if (isNumber(v.target)) lines.push({ value: v.target, label: 'target', kind: 'target' });
    if (v.history.length === 0) {
      out.push(
        `<p>${valueSummary(v)} ${str(v.source) ? `No committed version of <code>${esc(v.source)}</code> to draw.` : 'No value-tracking evidence to draw.'}</p>\n`,
      );
      continue;
    }
    const label = str(v.name) ? esc(v.name) : esc(v.id);
    renderChart(
      {
        key: `c${++state.charts}`,
        series: v.id,
        title: `${label}${str(v.unit) ? ` (${esc(v.unit)})` : ''} at each committed version`,
        summary: valueSummary(v),
        caption: `${label} at each committed version${str(v.source) ? ` of ${esc(v.source)}` : ''}`,
        points: v.history,
        lines,
        ...(str(v.targetBy)
          ? { mark: { date: v.targetBy, label: `target date ${v.targetBy}` } }
          : {}),
        ...(str(v.unit) ? { unit: v.unit } : {}),
      },
      out,
    );
  }
  out.push('</section>\n');
}

function bounds(g: GuardrailData): string {
  const min = isNumber(g.min) ? fmtNumber(g.min) : undefined;
  const max = isNumber(g.max) ? fmtNumber(g.max) : undefined;
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return 'none';
}

function guardrailSummary(g: GuardrailData): string {
  const history = g.history ?? [];
  const { last, gaps } = latestOf(history);
  const observed =
    last !== undefined
      ? `Observed ${fmtNumber(last.value!)} on ${esc(last.date)}`
      : isNumber(g.observed)
        ? `Observed ${fmtNumber(g.observed)}`
        : 'No value observed yet';
  return `${observed}, bounds: ${bounds(g)}${versionsText(history, gaps)}.`;
}

function guardrails(model: ModelData, state: PageState, out: string[]): void {
  out.push('<section aria-labelledby="h-guardrails">\n<h2 id="h-guardrails">Guardrails</h2>\n');
  if (model.guardrails.length === 0) {
    out.push('<p>The manifest names no guardrail.</p>\n</section>\n');
    return;
  }
  out.push(
    '<table class="scoreboard"><caption>Each guardrail: observed against its bounds</caption>\n<thead><tr>',
    [
      'Guardrail',
      'Dimension',
      'Metric',
      'Phase',
      'Observed',
      'Bounds',
      'Status',
      'Evidence',
      'Groups',
    ]
      .map((h) => `<th scope="col">${h}</th>`)
      .join(''),
    '</tr></thead>\n<tbody>\n',
  );
  for (const g of model.guardrails) {
    const groups = (g.groups ?? [])
      .map(
        (x) =>
          `<li>${esc(String(x.group))}: ${isNumber(x.observed) ? fmtNumber(x.observed) : 'n/a'} ${guardrailBadge(x.status)}</li>`,
      )
      .join('');
    const source = str(g.source)
      ? `<code>${esc(g.source)}</code>${str(g.date) ? `<br><span class="sub date">${esc(g.date)}</span>` : ''}`
      : '';
    out.push(
      `<tr><th scope="row">${esc(g.id)}</th><td>${plainWords(String(g.dimension))}</td><td class="long">${esc(String(g.metric))}</td>`,
      `<td>${phaseName(String(g.phase))}</td><td class="num">${isNumber(g.observed) ? fmtNumber(g.observed) : 'n/a'}</td>`,
      `<td>${bounds(g)}</td><td>${guardrailBadge(g.status)}</td><td>${source}</td>`,
      `<td>${groups !== '' ? `<ul class="groups">${groups}</ul>` : ''}</td></tr>\n`,
    );
  }
  out.push('</tbody></table>\n');
  for (const g of model.guardrails) {
    if (g.phase !== 'monitor' || g.history === undefined || g.history.length === 0) continue;
    const lines: RefLine[] = [];
    if (isNumber(g.min)) lines.push({ value: g.min, label: 'min', kind: 'bound' });
    if (isNumber(g.max)) lines.push({ value: g.max, label: 'max', kind: 'bound' });
    const label = `${esc(g.id)}: ${esc(String(g.metric))}`;
    out.push(`<h3>${label} over time</h3>\n`);
    renderChart(
      {
        key: `c${++state.charts}`,
        series: g.id,
        title: `${label} at each committed version`,
        summary: guardrailSummary(g),
        caption: `${label} at each committed version${str(g.source) ? ` of ${esc(g.source)}` : ''}`,
        points: g.history,
        lines,
      },
      out,
    );
  }
  out.push('</section>\n');
}

function cell(v: string | undefined): string {
  return `<td>${v ?? ''}</td>`;
}

function timeline(model: ModelData, out: string[]): void {
  out.push('<section aria-labelledby="h-timeline">\n<h2 id="h-timeline">Timeline</h2>\n');
  const readiness = model.readiness ?? [];
  if (readiness.length > 0) {
    out.push('<ol class="steps" aria-label="Phases in order">');
    for (const r of readiness)
      out.push(
        `<li>${r.ready ? badge('ok', `${phaseName(r.phase)}: ready`) : badge('bad', `${phaseName(r.phase)}: not ready`)} <span class="sub">${r.passed} of ${r.total} rules pass</span></li>`,
      );
    out.push('</ol>\n');
  }
  const approvals = model.timeline.filter((t) => t.kind === 'approval');
  const waivers = model.timeline.filter((t) => t.kind === 'waiver');
  out.push('<h3>Approvals</h3>\n');
  if (approvals.length === 0) out.push('<p>No approval is recorded.</p>\n');
  else {
    out.push(
      '<table class="approvals"><caption>Every sign-off, in order</caption>\n<thead><tr>',
      ['For', 'Who', 'Role', 'Date', 'Decision', 'Status', 'Notes']
        .map((h) => `<th scope="col">${h}</th>`)
        .join(''),
      '</tr></thead>\n<tbody>\n',
    );
    for (const a of approvals) approvalRow(a, out);
    out.push('</tbody></table>\n');
  }
  out.push('<h3>Waivers</h3>\n');
  if (waivers.length === 0) out.push('<p>No waiver is recorded.</p>\n');
  else {
    out.push(
      '<table class="waivers"><caption>Every waiver, with its expiry</caption>\n<thead><tr>',
      ['Waiver', 'For', 'Owner', 'Expires', 'Status', 'Days left', 'Reason']
        .map((h) => `<th scope="col">${h}</th>`)
        .join(''),
      '</tr></thead>\n<tbody>\n',
    );
    for (const w of waivers)
      out.push(
        `<tr><th scope="row">${str(w.id) ? esc(w.id) : '<span class="sub">no id</span>'}</th>`,
        cell(subject(w.subject)),
        cell(str(w.by) ? esc(w.by) : undefined),
        cell(str(w.date) ? `<span class="date">${esc(w.date)}</span>` : undefined),
        cell(waiverBadge(String(w.status))),
        `<td class="num">${isNumber(w.daysLeft) ? String(w.daysLeft) : ''}</td>`,
        cell(str(w.detail) ? esc(w.detail) : undefined),
        '</tr>\n',
      );
    out.push('</tbody></table>\n');
  }
  out.push('</section>\n');
}

/** A timeline entry's subject: a phase by its name, anything else as it is. */
function subject(s: string): string {
  return Object.hasOwn(PHASE_NAMES, s) ? PHASE_NAMES[s as keyof typeof PHASE_NAMES] : escAny(s);
}

function approvalRow(a: TimelineEntry, out: string[]): void {
  const who = str(a.name)
    ? `${esc(a.name)}${str(a.by) ? ` <span class="sub">(${esc(a.by)})</span>` : ''}`
    : str(a.by)
      ? esc(a.by)
      : '';
  out.push(
    `<tr${a.status === 'stale' ? ' class="stale"' : ''}><th scope="row">${subject(a.subject)}${str(a.id) ? `<br><span class="sub">${esc(a.id)}</span>` : ''}</th>`,
    cell(who),
    cell(str(a.role) ? plainWords(a.role) : undefined),
    cell(str(a.date) ? `<span class="date">${esc(a.date)}</span>` : undefined),
    cell(str(a.decision) ? decisionWords(a.decision) : undefined),
    cell(approvalBadge(String(a.status))),
    cell(str(a.detail) ? esc(a.detail) : undefined),
    '</tr>\n',
  );
}

/** Whether a risk has a place on the 5x5 grid. */
function rated(r: RiskData): boolean {
  const ok = (n: unknown): boolean =>
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 5;
  return ok(r.likelihood) && ok(r.impact);
}

function risks(model: ModelData, out: string[]): void {
  out.push('<section aria-labelledby="h-risks">\n<h2 id="h-risks">Risks</h2>\n');
  if (model.risks.length === 0) {
    out.push('<p>The manifest names no risk.</p>\n</section>\n');
    return;
  }
  const grid = new Map<string, string[]>();
  const unrated: RiskData[] = [];
  for (const r of model.risks) {
    if (!rated(r)) {
      unrated.push(r);
      continue;
    }
    const key = `${r.likelihood}x${r.impact}`;
    const list = grid.get(key);
    if (list) list.push(esc(r.id));
    else grid.set(key, [esc(r.id)]);
  }
  out.push(
    '<table class="risk-grid"><caption>Risks by likelihood and impact (1 to 5)</caption>\n<thead><tr><th scope="col">Impact \\ likelihood</th>',
  );
  for (let l = 1; l <= 5; l++) out.push(`<th scope="col">Likelihood ${l}</th>`);
  out.push('</tr></thead>\n<tbody>\n');
  for (let i = 5; i >= 1; i--) {
    out.push(`<tr><th scope="row">Impact ${i}</th>`);
    for (let l = 1; l <= 5; l++) {
      const score = l * i;
      const level = score >= 15 ? 'high' : score >= 6 ? 'mid' : 'low';
      out.push(`<td class="${level}">${(grid.get(`${l}x${i}`) ?? []).join(', ')}</td>`);
    }
    out.push('</tr>\n');
  }
  out.push('</tbody></table>\n');
  if (unrated.length > 0)
    out.push(
      `<p>Not on the grid (likelihood or impact not stated as 1 to 5): ${unrated.map((r) => esc(r.id)).join(', ')}.</p>\n`,
    );
  out.push(
    '<table class="risks"><caption>Every risk</caption>\n<thead><tr>',
    ['Risk', 'Title', 'Dimension', 'Likelihood', 'Impact', 'Treatment', 'Owner', 'Line of defense']
      .map((h) => `<th scope="col">${h}</th>`)
      .join(''),
    '</tr></thead>\n<tbody>\n',
  );
  for (const r of model.risks)
    out.push(
      `<tr><th scope="row">${esc(r.id)}</th>`,
      cell(esc(String(r.title ?? ''))),
      cell(str(r.dimension) ? plainWords(r.dimension) : undefined),
      `<td class="num">${isNumber(r.likelihood) ? fmtNumber(r.likelihood) : ''}</td>`,
      `<td class="num">${isNumber(r.impact) ? fmtNumber(r.impact) : ''}</td>`,
      cell(str(r.treatment) ? esc(r.treatment) : undefined),
      cell(str(r.owner) ? esc(r.owner) : undefined),
      `<td class="num">${isNumber(r.lineOfDefense) ? fmtNumber(r.lineOfDefense) : ''}</td>`,
      '</tr>\n',
    );
  out.push('</tbody></table>\n</section>\n');
}

const SEVERITIES: readonly {
  severity: FindingData['severity'];
  title: string;
  tone: 'bad' | 'warn' | 'none';
}[] = [
  { severity: 'error', title: 'Errors', tone: 'bad' },
  { severity: 'warning', title: 'Warnings', tone: 'warn' },
  { severity: 'info', title: 'Notes', tone: 'none' },
];

/** Findings grouped by severity, each with its message, place and fix. */
function findingList(findings: readonly FindingData[], out: string[]): void {
  for (const s of SEVERITIES) {
    const group = findings.filter((f) => f.severity === s.severity);
    if (group.length === 0) continue;
    out.push(`<h3>${s.title} (${group.length})</h3>\n<ul class="findings">\n`);
    for (const f of group) {
      const about: string[] = [];
      if (str(f.rule))
        about.push(`rule ${esc(f.rule)}${str(f.phase) ? ` (${phaseName(f.phase)})` : ''}`);
      about.push(`<code>${esc(String(f.code))}</code>`);
      if (isNumber(f.line)) about.push(`line ${f.line}${isNumber(f.column) ? `:${f.column}` : ''}`);
      out.push(
        `<li><p>${badge(s.tone, s.severity)} ${spans(String(f.message))}</p>`,
        `<p class="sub">${about.join(' \u00b7 ')}</p>`,
        str(f.fix) ? `<p class="fix">${spans(f.fix)}</p>` : '',
        '</li>\n',
      );
    }
    out.push('</ul>\n');
  }
}

function findings(model: ModelData, out: string[]): void {
  out.push('<section aria-labelledby="h-findings">\n<h2 id="h-findings">Open findings</h2>\n');
  if (model.findings.length === 0) out.push('<p>No open finding.</p>\n');
  else findingList(model.findings, out);
  out.push('</section>\n');
}

/** A model's page (`model.page`), which links back to the portfolio (`../index.html`). */
export function renderModelPage(wide: ModelData, report: ReportData): string {
  // the versions of evidence (from git, one byte a character already, and most of the data)
  // are not copied
  const model = narrow<ModelData>({
    ...wide,
    values: wide.values.map((v) => ({ ...v, history: [] })),
    guardrails: wide.guardrails.map((g) => ({ ...g, history: undefined })),
  });
  model.values.forEach((v, i) => (v.history = wide.values[i]!.history));
  model.guardrails.forEach((g, i) => {
    const history = wide.guardrails[i]!.history;
    if (history !== undefined) g.history = history;
  });
  const data = narrow({ ...report, models: [] });
  const out: string[] = [];
  const state: PageState = { charts: 0 };
  pageStart(`${esc(str(model.name) ? model.name : model.file)} \u00b7 mlops report`, false, out);
  header(model, out);
  out.push('<main>\n');
  if (model.invalid !== undefined) {
    out.push(
      '<section aria-labelledby="h-invalid">\n<h2 id="h-invalid">Could not be judged</h2>\n',
      `<p>${badge('bad', 'invalid')} The manifest <code>${esc(model.file)}</code> does not read or validate, so nothing else was judged. Fix what is listed below, then write the report again.</p>\n`,
    );
    if (model.invalid.length === 0) out.push('<p>No finding was given.</p>\n');
    else findingList(model.invalid, out);
    out.push('</section>\n');
  } else {
    businessCase(model, out);
    values(model, state, out);
    guardrails(model, state, out);
    timeline(model, out);
    risks(model, out);
    findings(model, out);
  }
  out.push(
    '</main>\n',
    `<footer><p>Judged at ${esc(data.today)} by ${esc(data.tool.name)} ${esc(data.tool.version)}.</p></footer>\n`,
  );
  pageEnd(false, out);
  return out.join('');
}
