// The portfolio page, `index.html`: counts on top, then every model in one table that its
// script sorts and filters (the browser tests rely on its ids and attributes).
import type { ModelData, ReportData } from '../../core/report/model.js';
import { esc, link, narrow } from './html.js';
import { pageEnd, pageStart } from './page.js';
import {
  CLASS_RANK,
  STANDING_RANK,
  STATUS_RANK,
  TIER_RANK,
  badge,
  euClassWords,
  phaseName,
  plainWords,
  plural,
  rank,
  standingBadge,
} from './words.js';

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Where a model stands against what its status holds it to: the readiness filter's values. */
export function readinessOf(m: ModelData): 'ready' | 'not-ready' | 'invalid' {
  if (m.invalid !== undefined) return 'invalid';
  return m.ok ? 'ready' : 'not-ready';
}

const PHASE_ORDER = ['envision', 'build', 'deploy', 'monitor'];

function readinessCell(m: ModelData): { sort: number; html: string } {
  const state = readinessOf(m);
  if (state === 'invalid') return { sort: 0, html: badge('bad', 'invalid: could not be judged') };
  const through = m.readyThrough !== undefined ? PHASE_ORDER.indexOf(m.readyThrough) + 1 : 0;
  const sub =
    m.readyThrough !== undefined ? `ready through ${phaseName(m.readyThrough)}` : 'no phase ready';
  const held = m.heldTo ?? [];
  if (state === 'ready') {
    const last = held[held.length - 1];
    const words = last !== undefined ? `ready for ${phaseName(last)}` : 'ready';
    return { sort: 10 + through, html: `${badge('ok', words)}<br><span class="sub">${sub}</span>` };
  }
  const ready = new Map((m.readiness ?? []).map((r) => [r.phase as string, r.ready]));
  const blocking = held.find((p) => ready.get(p) !== true) ?? held[held.length - 1];
  const words = blocking !== undefined ? `not ready for ${phaseName(blocking)}` : 'not ready';
  return {
    sort: 1 + through,
    html: `${badge('bad', words)}<br><span class="sub">${sub}</span>`,
  };
}

function valueCell(m: ModelData): string {
  const v = m.value;
  const parts: string[] = [];
  if (v.onTrack > 0) parts.push(`${v.onTrack} on track`);
  if (v.atRisk > 0) parts.push(`${v.atRisk} at risk`);
  if (v.failing > 0) parts.push(`${v.failing} failing`);
  if (v.unknown > 0) parts.push(`${v.unknown} unknown`);
  const sub = parts.length > 0 ? `<br><span class="sub">${parts.join(', ')}</span>` : '';
  return `${standingBadge(v.standing)}${sub}`;
}

function guardrailCell(m: ModelData): string {
  const g = m.guardrailCounts;
  if (g.passing + g.failing + g.unknown === 0) return '<span class="sub">none</span>';
  const parts: string[] = [];
  if (g.failing > 0) parts.push(badge('bad', `${g.failing} failing`));
  if (g.passing > 0) parts.push(badge('ok', `${g.passing} passing`));
  if (g.unknown > 0) parts.push(badge('none', `${g.unknown} unknown`));
  return parts.join('<br>');
}

function approvalCell(m: ModelData): string {
  const a = m.approvalCounts;
  const parts: string[] = [];
  if (a.stale > 0) parts.push(badge('warn', `${a.stale} stale`));
  else parts.push(badge('ok', 'none stale'));
  parts.push(
    `<span class="sub">${a.current} current${a.other > 0 ? `, ${a.other} not counted` : ''}</span>`,
  );
  return parts.join('<br>');
}

function waiverCell(m: ModelData): string {
  const w = m.waiverCounts;
  if (w.inForce + w.notInForce === 0) return '<span class="sub">none</span>';
  const parts: string[] = [];
  if (w.expiring > 0) parts.push(badge('warn', `${w.expiring} expiring`));
  parts.push(`<span>${w.inForce} in force</span>`);
  if (w.notInForce > 0) parts.push(`<span class="sub">${w.notInForce} not in force</span>`);
  return parts.join('<br>');
}

function td(sort: string | number, html: string): string {
  return `<td data-sort="${typeof sort === 'number' ? String(sort) : esc(sort)}">${html}</td>`;
}

function row(m: ModelData, out: string[]): void {
  const key = str(m.name) ? m.name : m.file;
  const ownerName = str(m.owner?.name) ? m.owner.name : undefined;
  const team = str(m.owner?.team) ? m.owner.team : undefined;
  const search = [m.name, m.title, ownerName, team, m.file]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .join('\n')
    .toLowerCase();
  const readiness = readinessCell(m);
  const name = `<strong>${esc(key)}</strong>`;
  out.push(
    `<tr data-model="${esc(key)}" data-readiness="${readinessOf(m)}" data-standing="${esc(m.value.standing)}" data-search="${esc(search)}">`,
    `<th scope="row" data-sort="${esc(key.toLowerCase())}">${link(m.page, name)}`,
    m.title ? `<br>${esc(m.title)}` : '',
    `<br><span class="sub long">${esc(m.file)}</span></th>`,
    td(
      (ownerName ?? '').toLowerCase(),
      [
        ownerName !== undefined ? esc(ownerName) : '',
        team !== undefined ? `<span class="sub">${esc(team)}</span>` : '',
      ]
        .filter((h) => h !== '')
        .join('<br>'),
    ),
    td(rank(TIER_RANK, m.riskTier), m.riskTier ? plainWords(m.riskTier) : ''),
    td(
      rank(CLASS_RANK, m.euAiAct?.classification),
      m.euAiAct?.classification
        ? `${euClassWords(m.euAiAct.classification)}${m.euAiAct.art50 === true ? '<br><span class="sub">Art. 50 duties</span>' : ''}`
        : '',
    ),
    td(rank(STATUS_RANK, m.status), m.status ? phaseName(m.status) : ''),
    td(readiness.sort, readiness.html),
    td(rank(STANDING_RANK, m.value.standing), valueCell(m)),
    td(m.guardrailCounts.failing, guardrailCell(m)),
    td(m.approvalCounts.stale, approvalCell(m)),
    td(m.waiverCounts.expiring * 100000 + m.waiverCounts.inForce, waiverCell(m)),
    '</tr>\n',
  );
}

const COLUMNS: readonly { label: string; numeric: boolean }[] = [
  { label: 'Model', numeric: false },
  { label: 'Owner', numeric: false },
  { label: 'Risk tier', numeric: true },
  { label: 'EU AI Act', numeric: true },
  { label: 'Claimed status', numeric: true },
  { label: 'Readiness', numeric: true },
  { label: 'Value', numeric: true },
  { label: 'Guardrails', numeric: true },
  { label: 'Approvals', numeric: true },
  { label: 'Waivers', numeric: true },
];

/** The portfolio page, `index.html`: every model of `data`, sortable and filterable. */
export function renderPortfolio(report: ReportData): string {
  const data = narrow({ ...report, models: [] });
  // what a row shows: its model's facts, not their details
  const models = report.models.map((m): ModelData => {
    const { envision, values, guardrails, timeline, risks, findings, invalid, ...facts } = m;
    return {
      ...narrow(facts),
      values: [],
      guardrails: [],
      timeline: [],
      risks: [],
      findings: [],
      ...(invalid !== undefined ? { invalid } : {}),
    };
  });
  let ready = 0;
  let invalid = 0;
  let failing = 0;
  let atRisk = 0;
  let stale = 0;
  let staleModels = 0;
  let expiring = 0;
  for (const m of models) {
    if (m.invalid !== undefined) invalid++;
    else if (m.ok) ready++;
    if (m.value.standing === 'failing') failing++;
    if (m.value.standing === 'at_risk') atRisk++;
    stale += m.approvalCounts.stale;
    if (m.approvalCounts.stale > 0) staleModels++;
    expiring += m.waiverCounts.expiring;
  }
  const out: string[] = [];
  pageStart('Model portfolio \u00b7 mlops report', true, out);
  out.push(
    '<header>\n<h1>Model portfolio</h1>\n',
    `<p class="sub">${plural(models.length, 'model')} in <code>${esc(data.root)}</code>, judged at ${esc(data.today)}.</p>\n`,
    '</header>\n<main>\n',
    '<section aria-labelledby="summary-h">\n<h2 id="summary-h">Summary</h2>\n<ul class="counts">\n',
    `<li><strong>${models.length}</strong> ${models.length === 1 ? 'model' : 'models'}${invalid > 0 ? ` (${invalid} invalid)` : ''}</li>\n`,
    `<li><strong>${ready}</strong> ready for what they claim</li>\n`,
    `<li><strong>${failing}</strong> value failing</li>\n`,
    `<li><strong>${atRisk}</strong> value at risk</li>\n`,
    `<li><strong>${stale}</strong> stale ${stale === 1 ? 'approval' : 'approvals'}${stale > 0 ? ` in ${plural(staleModels, 'model')}` : ''}</li>\n`,
    `<li><strong>${expiring}</strong> ${expiring === 1 ? 'waiver' : 'waivers'} expiring within 14 days</li>\n`,
    '</ul>\n</section>\n',
    '<section aria-labelledby="models-h">\n<h2 id="models-h">Models</h2>\n',
    '<div class="controls" id="controls" hidden>\n',
    '<label for="filter">Name, title, owner or file<input id="filter" type="search" autocomplete="off" spellcheck="false"></label>\n',
    '<label for="filter-readiness">Readiness<select id="filter-readiness">',
    '<option value="">All</option><option value="ready">Ready for what it claims</option>',
    '<option value="not-ready">Not ready</option><option value="invalid">Invalid</option></select></label>\n',
    '<label for="filter-value">Value<select id="filter-value">',
    '<option value="">All</option><option value="on_track">On track</option><option value="at_risk">At risk</option>',
    '<option value="failing">Failing</option><option value="unknown">Unknown</option></select></label>\n',
    '</div>\n',
    `<p id="shown" aria-live="polite">${models.length} of ${models.length} ${models.length === 1 ? 'model' : 'models'}</p>\n`,
    '<table id="portfolio">\n<caption>Every model: its readiness for the phase it claims, its value, guardrails, approvals and waivers</caption>\n<thead><tr>',
  );
  for (const c of COLUMNS)
    out.push(
      `<th scope="col" aria-sort="none"${c.numeric ? ' data-type="number"' : ''}><button type="button">${c.label}</button></th>`,
    );
  out.push('</tr></thead>\n<tbody>\n');
  for (const m of models) row(m, out);
  out.push('</tbody>\n</table>\n');
  if (models.length === 0) out.push('<p>No manifest was found.</p>\n');
  out.push(
    '</section>\n</main>\n',
    `<footer><p>Judged at ${esc(data.today)} by ${esc(data.tool.name)} ${esc(data.tool.version)}; history: at most ${plural(data.historyLimit, 'committed version')} per evidence file.</p></footer>\n`,
  );
  pageEnd(true, out);
  return out.join('');
}
