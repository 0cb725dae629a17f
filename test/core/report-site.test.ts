// The report's HTML pages from hand-made report data: the hooks the browser relies on, escaping
// of hostile strings in every place, the Content Security Policy's hashes, the charts' points
// and gaps, byte-identical output, pages of unusual models, and the palette's contrast.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  ModelData,
  ReportData,
  SeriesPoint,
  ValueSeries,
} from '../../src/core/report/model.js';
import { renderModelPage, renderPortfolio } from '../../src/report/site/index.js';
import { esc, fmtNumber, relHref } from '../../src/report/site/html.js';
import { CONTRAST_PAIRS, STYLE } from '../../src/report/site/style.js';

// ---------------------------------------------------------------------------------------------
// fixtures

const hex = (seed: string): string => createHash('sha1').update(seed).digest('hex');

/** `n` monthly versions from `start`, the value of each from `value(i)` (undefined: a gap). */
function monthly(
  start: string,
  n: number,
  value: (i: number) => number | undefined,
  gap: SeriesPoint['gap'] = 'unreadable',
): SeriesPoint[] {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const month = (m - 1 + i) % 12;
    const year = y + Math.floor((m - 1 + i) / 12);
    const date = `${year}-${String(month + 1).padStart(2, '0')}-15`;
    const v = value(i);
    return {
      commit: hex(`${start}-${i}`),
      date,
      ...(v !== undefined ? { value: v } : { gap }),
    };
  });
}

function revenue(): ValueSeries {
  return {
    id: 'retention-revenue',
    name: 'Retention revenue net of offer cost',
    unit: 'kEUR/month',
    direction: 'increase',
    baseline: 400,
    minimumAcceptable: 430,
    target: 470,
    targetBy: '2027-06-30',
    observed: 438,
    observedFrom: 'monitor',
    status: 'at_risk',
    source: 'models/churn/reports/value-tracking.json',
    history: monthly('2025-01', 24, (i) => (i === 7 || i === 8 ? undefined : 400 + i * 1.5)),
  };
}

function churnRate(): ValueSeries {
  return {
    id: 'churn-rate',
    name: 'Monthly postpaid churn rate',
    unit: '%',
    direction: 'decrease',
    baseline: 1.9,
    minimumAcceptable: 1.8,
    target: 1.6,
    targetBy: '2027-03-31',
    observed: 1.74,
    observedFrom: 'monitor',
    status: 'at_risk',
    source: 'models/churn/reports/value-tracking.json',
    history: monthly('2025-01', 24, (i) => (i === 7 ? undefined : 1.9 - i * 0.007), 'absent'),
  };
}

/** A model in Monitor with history, guardrails, approvals, waivers, risks and findings. */
function churnModel(): ModelData {
  return {
    file: 'models/churn/mlops.yaml',
    page: 'models/churn-propensity.html',
    name: 'churn-propensity',
    title: 'Postpaid churn propensity for retention routing',
    version: '1.4.0',
    owner: { name: 'Priya Raman', email: 'priya.raman@example.com', team: 'Customer Analytics' },
    riskTier: 'high',
    euAiAct: {
      classification: 'minimal',
      art50: true,
      role: 'both',
      basis: 'Not an Annex III use case.',
    },
    status: 'monitor',
    readiness: [
      { phase: 'envision', ready: true, passed: 5, total: 5 },
      { phase: 'build', ready: true, passed: 4, total: 4 },
      { phase: 'deploy', ready: true, passed: 5, total: 5 },
      { phase: 'monitor', ready: false, passed: 3, total: 4 },
    ],
    readyThrough: 'deploy',
    heldTo: ['envision', 'build', 'deploy', 'monitor'],
    ok: false,
    value: { standing: 'at_risk', onTrack: 0, atRisk: 2, failing: 0, unknown: 0 },
    guardrailCounts: { passing: 3, failing: 1, unknown: 0 },
    approvalCounts: { current: 5, stale: 1, other: 1 },
    waiverCounts: { inForce: 1, expiring: 1, notInForce: 1 },
    envision: {
      hypothesis:
        'If we rank postpaid customers by their 60-day churn propensity, then we keep more customers.',
      problem: 'Postpaid churn runs at 1.9% a month.',
      businessObjective: 'Reduce postpaid churn to 1.6% a month.',
    },
    values: [revenue(), churnRate()],
    guardrails: [
      {
        id: 'fair-parity',
        dimension: 'fair',
        metric: 'demographic_parity_ratio',
        phase: 'build',
        observed: 0.91,
        min: 0.8,
        max: 1.25,
        status: 'pass',
        source: 'models/churn/reports/fairness.json',
        date: '2026-05-02',
        groups: [
          { group: 'age<30', observed: 0.88, status: 'pass' },
          { group: 'age>=65', observed: 0.79, status: 'fail' },
        ],
      },
      {
        id: 'robust-auc',
        dimension: 'robust',
        metric: 'auc_drop',
        phase: 'build',
        observed: 0.02,
        max: 0.05,
        status: 'pass',
      },
      {
        id: 'live-psi',
        dimension: 'robust',
        metric: 'psi',
        phase: 'monitor',
        observed: 0.27,
        max: 0.2,
        status: 'fail',
        source: 'models/churn/reports/drift.json',
        date: '2026-11-20',
        history: monthly('2026-01', 11, (i) => (i === 4 ? undefined : 0.05 + i * 0.022)),
      },
      {
        id: 'live-parity',
        dimension: 'fair',
        metric: 'demographic_parity_ratio',
        phase: 'monitor',
        observed: 0.9,
        min: 0.8,
        status: 'pass',
        source: 'models/churn/reports/monitor-fairness.json',
        history: monthly('2026-11', 1, () => 0.9),
      },
    ],
    timeline: [
      {
        kind: 'approval',
        id: 'envision-cco-2025-01-10',
        subject: 'envision',
        by: 'cco',
        name: 'Helena Marsh',
        role: 'decision_maker',
        date: '2025-01-10',
        decision: 'approved',
        status: 'current',
      },
      {
        kind: 'approval',
        id: 'build-model-risk-2025-04-01',
        subject: 'build',
        by: 'model-risk',
        name: 'Felix Brandt',
        role: 'risk_2nd_line',
        date: '2025-04-01',
        decision: 'conditional',
        status: 'stale',
        detail: 'reports/fairness.json changed: parity 0.91 → 0.85',
      },
      {
        kind: 'approval',
        id: 'deploy-cco-2025-06-01',
        subject: 'deploy',
        by: 'cco',
        name: 'Helena Marsh',
        role: 'decision_maker',
        date: '2025-06-01',
        decision: 'approved',
        status: 'uncommitted',
      },
      {
        kind: 'waiver',
        id: 'w-psi',
        subject: 'M1 live-psi',
        by: 'Priya Raman',
        date: '2026-12-10',
        status: 'in_force',
        daysLeft: 10,
        detail: 'Holiday traffic shifts the distribution.',
      },
      {
        kind: 'waiver',
        id: 'w-old',
        subject: 'M2 value-tracking',
        by: 'Priya Raman',
        date: '2026-10-01',
        status: 'expired',
      },
    ],
    risks: [
      {
        id: 'R1',
        title: 'Discounts go to customers who would stay',
        dimension: 'accountable',
        likelihood: 4,
        impact: 3,
        treatment: 'mitigate',
        owner: 'retention-ops',
        lineOfDefense: 1,
      },
      { id: 'R2', title: 'Older customers under-served', likelihood: 2, impact: 5 },
      { id: 'R3', title: 'Reason codes leak personal data', likelihood: 4, impact: 3 },
      { id: 'R4', title: 'Unrated risk' },
    ],
    findings: [
      {
        severity: 'error',
        code: 'DRIFT_OUT_OF_BOUNDS',
        rule: 'M1',
        phase: 'monitor',
        message: 'guardrail `live-psi`: psi 0.27 is over its bound 0.2',
        fix: 'retrain, then commit `reports/drift.json`',
        line: 120,
        column: 9,
      },
      {
        severity: 'warning',
        code: 'WAIVER_EXPIRING',
        rule: 'M1',
        phase: 'monitor',
        message: 'waiver w-psi expires in 10 days',
        line: 140,
        column: 5,
      },
    ],
  };
}

/** A model in Build that is ready for it and has no monitor evidence. */
function forecastModel(): ModelData {
  return {
    file: 'models/forecast/mlops.yaml',
    page: 'models/store-demand-forecast.html',
    name: 'store-demand-forecast',
    title: 'Store demand forecast',
    owner: { name: 'Jonas Berg' },
    riskTier: 'medium',
    euAiAct: { classification: 'minimal' },
    status: 'build',
    readiness: [
      { phase: 'envision', ready: true, passed: 5, total: 5 },
      { phase: 'build', ready: true, passed: 4, total: 4 },
      { phase: 'deploy', ready: false, passed: 1, total: 5 },
      { phase: 'monitor', ready: false, passed: 0, total: 4 },
    ],
    readyThrough: 'build',
    heldTo: ['envision', 'build'],
    ok: true,
    value: { standing: 'on_track', onTrack: 1, atRisk: 0, failing: 0, unknown: 0 },
    guardrailCounts: { passing: 1, failing: 0, unknown: 0 },
    approvalCounts: { current: 2, stale: 0, other: 0 },
    waiverCounts: { inForce: 0, expiring: 0, notInForce: 0 },
    envision: { hypothesis: 'If we forecast demand per store, then we waste less.' },
    values: [
      {
        id: 'waste',
        name: 'Fresh food waste',
        unit: '%',
        direction: 'decrease',
        baseline: 8,
        minimumAcceptable: 7,
        target: 6,
        targetBy: '2027-12-31',
        observed: 5.8,
        observedFrom: 'build',
        status: 'on_track',
        history: [],
      },
    ],
    guardrails: [],
    timeline: [],
    risks: [],
    findings: [],
  };
}

/** A manifest that does not validate. */
function invalidModel(): ModelData {
  return {
    file: 'models/broken/mlops.yaml',
    page: 'models/broken.html',
    name: 'broken',
    readiness: [],
    heldTo: [],
    ok: false,
    value: { standing: 'unknown', onTrack: 0, atRisk: 0, failing: 0, unknown: 0 },
    guardrailCounts: { passing: 0, failing: 0, unknown: 0 },
    approvalCounts: { current: 0, stale: 0, other: 0 },
    waiverCounts: { inForce: 0, expiring: 0, notInForce: 0 },
    invalid: [
      {
        severity: 'error',
        code: 'SCHEMA_ENUM',
        message: 'metadata.riskTier: "hgh" is not one of low, medium, high, critical',
        fix: 'set `metadata.riskTier` to `"high"`',
        line: 8,
        column: 13,
      },
    ],
    values: [],
    guardrails: [],
    timeline: [],
    risks: [],
    findings: [],
  };
}

function report(models: ModelData[]): ReportData {
  return {
    schemaVersion: 1,
    tool: { name: 'mlops', version: '0.1.0' },
    today: '2026-11-30',
    root: '.',
    historyLimit: 60,
    models,
  };
}

// ---------------------------------------------------------------------------------------------
// reading the pages back

/** The HTML elements and SVG elements the pages may hold, and the attributes they may carry. */
const TAGS = new Set(
  (
    'html head meta title style script body header nav main section footer h1 h2 h3 p br span ' +
    'strong code a ul ol li dl dt dd table caption thead tbody tr th td div label input select ' +
    'i option button figure figcaption details summary svg g line text path circle desc'
  ).split(' '),
);
const ATTRIBUTES = new Set(
  (
    'lang charset http-equiv content name id class href aria-label aria-labelledby ' +
    'aria-describedby aria-live aria-sort aria-hidden role scope type for hidden autocomplete ' +
    'spellcheck value data-model data-readiness data-standing data-search data-sort data-type ' +
    'data-series data-date data-value viewBox focusable x y x1 x2 y1 y2 cx cy r d text-anchor ' +
    'dominant-baseline'
  ).split(' '),
);

interface Tag {
  name: string;
  attrs: [string, string | undefined][];
}

/**
 * Every tag of `html`, failing on anything that is not a tag we write: each `<` starts a known
 * element (or ends one) with known attributes, double-quoted; text holds no raw `<`.
 */
function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"<>]*")?)*)\s*(\/?)>/y;
  let at = 0;
  for (;;) {
    const lt = html.indexOf('<', at);
    if (lt < 0) break;
    if (html.startsWith('<!DOCTYPE html>', lt)) {
      at = lt + 15;
      continue;
    }
    re.lastIndex = lt;
    const m = re.exec(html);
    if (m === null)
      throw new Error(`not a tag at ${lt}: ${JSON.stringify(html.slice(lt, lt + 80))}`);
    const name = m[2]!;
    if (!TAGS.has(name)) throw new Error(`unexpected element <${name}>`);
    const attrs = [...m[3]!.matchAll(/([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"]*)")?/g)].map(
      (a) => [a[1]!, a[2]] as [string, string | undefined],
    );
    for (const [a] of attrs) if (!ATTRIBUTES.has(a)) throw new Error(`unexpected attribute ${a}`);
    if (m[1] === '') tags.push({ name, attrs });
    at = lt + m[0].length;
    // the contents of <style> and <script> are ours: skip to their end
    if ((name === 'style' || name === 'script') && m[1] === '') {
      const end = html.indexOf(`</${name}>`, at);
      at = end;
    }
  }
  return tags;
}

const attr = (t: Tag, name: string): string | undefined => t.attrs.find((a) => a[0] === name)?.[1];

/** The figure of one chart: from `<figure ... data-series="id">` to its `</figure>`. */
function figure(html: string, series: string): string {
  const start = html.indexOf(`<figure class="chart" data-series="${esc(series)}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</figure>', start));
}

function points(fig: string): { date: string; value: string }[] {
  return [
    ...fig.matchAll(/<circle class="point"[^>]*data-date="([^"]*)" data-value="([^"]*)"/g),
  ].map((m) => ({ date: m[1]!, value: m[2]! }));
}

const gaps = (fig: string): string[] =>
  [...fig.matchAll(/<g class="gap" data-date="([^"]*)"/g)].map((m) => m[1]!);

// ---------------------------------------------------------------------------------------------

describe('the portfolio page', () => {
  const data = report([churnModel(), forecastModel(), invalidModel()]);
  const html = renderPortfolio(data);
  const tags = tagsOf(html);

  it('has a row per model with the hooks of the browser tests', () => {
    const rows = tags.filter((t) => t.name === 'tr' && attr(t, 'data-model') !== undefined);
    expect(rows.map((r) => attr(r, 'data-model'))).toEqual([
      'churn-propensity',
      'store-demand-forecast',
      'broken',
    ]);
    expect(rows.map((r) => attr(r, 'data-readiness'))).toEqual(['not-ready', 'ready', 'invalid']);
    expect(rows.map((r) => attr(r, 'data-standing'))).toEqual(['at_risk', 'on_track', 'unknown']);
    expect(html).toContain('<table id="portfolio">');
    const links = tags.filter((t) => t.name === 'a').map((t) => attr(t, 'href'));
    expect(links).toEqual([
      'models/churn-propensity.html',
      'models/store-demand-forecast.html',
      'models/broken.html',
    ]);
    // every column header sorts, with a button
    const heads = [
      ...html.matchAll(/<th scope="col" aria-sort="none"[^>]*><button type="button">/g),
    ];
    expect(heads.length).toBe(10);
    expect(html).toMatch(/<input id="filter" type="search"/);
    const options = (id: string): string[] => {
      const at = html.indexOf(`<select id="${id}">`);
      const select = html.slice(at, html.indexOf('</select>', at));
      return [...select.matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]!);
    };
    expect(options('filter-readiness')).toEqual(['', 'ready', 'not-ready', 'invalid']);
    expect(options('filter-value')).toEqual(['', 'on_track', 'at_risk', 'failing', 'unknown']);
    expect(html).toContain('<p id="shown" aria-live="polite">3 of 3 models</p>');
    // the search text holds the name, title, owner and file
    const search = attr(rows[0]!, 'data-search')!;
    for (const part of [
      'churn-propensity',
      'postpaid churn',
      'priya raman',
      'models/churn/mlops.yaml',
    ])
      expect(search).toContain(part);
  });

  it('sums the counts on top, with words for every state', () => {
    const summary = html.slice(html.indexOf('<ul class="counts">'), html.indexOf('</ul>'));
    const text = summary.replace(/<[^>]+>/g, '');
    expect(text).toContain('3 models (1 invalid)');
    expect(text).toContain('1 ready for what they claim');
    expect(text).toContain('0 value failing');
    expect(text).toContain('1 value at risk');
    expect(text).toContain('1 stale approval in 1 model');
    expect(text).toContain('1 waiver expiring');
    // a state reads in words, its colour only adds to them
    expect(html).toContain('not ready for Monitor');
    expect(html).toContain('ready for Build');
    expect(html).toContain('invalid: could not be judged');
  });

  it('keeps the filter controls hidden until its script shows them, and sorts numbers as numbers', () => {
    expect(html).toContain('<div class="controls" id="controls" hidden>');
    const numeric = [...html.matchAll(/<th scope="col" aria-sort="none"( data-type="number")?>/g)];
    expect(numeric.map((m) => m[1] !== undefined)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    // each numeric cell carries its number
    const start = html.indexOf('<tr data-model="churn-propensity"');
    const row = html.slice(start, html.indexOf('</tr>', start));
    // the class as it means now, with the Art. 50 duties apart
    expect(row).toContain('minimal risk<br><span class="sub">Art. 50 duties</span>');
    expect([...row.matchAll(/<td data-sort="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'priya raman',
      '3',
      '2',
      '4',
      '4',
      '2',
      '1',
      '1',
      '100001',
    ]);
  });

  it('an empty portfolio still has its table', () => {
    const empty = renderPortfolio(report([]));
    tagsOf(empty);
    expect(empty).toContain('<tbody>\n</tbody>');
    expect(empty).toContain('0 of 0 models');
  });
});

/**
 * The portfolio's own script run against the page's table, in a stand-in for the browser's
 * document that holds just what the script touches: rows with their attributes and cells, the
 * headers' buttons, the filter controls and `#shown`.
 */
function portfolioDom(html: string) {
  type Row = {
    attrs: Map<string, string>;
    cells: { sort?: string; text: string }[];
    hidden: boolean;
  };
  const attrsOf = (tag: string): Map<string, string> =>
    new Map([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  const tbody = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  const rows: Row[] = [...tbody.matchAll(/(<tr [^>]*>)([\s\S]*?)<\/tr>/g)].map((m) => ({
    attrs: attrsOf(m[1]!),
    cells: [...m[2]!.matchAll(/<t[hd]([^>]*)>([\s\S]*?)<\/t[hd]>/g)].map((c) => ({
      ...(attrsOf(c[1]!).has('data-sort') ? { sort: attrsOf(c[1]!).get('data-sort')! } : {}),
      text: c[2]!.replace(/<[^>]+>/g, ''),
    })),
    hidden: false,
  }));
  const order = [...rows];
  const listeners = new Map<string, () => void>();
  const heads = [...html.matchAll(/<th scope="col"([^>]*)>/g)].map((m, i) => {
    const attrs = attrsOf(m[1]!);
    return {
      getAttribute: (a: string) => attrs.get(a) ?? null,
      hasAttribute: (a: string) => attrs.has(a),
      setAttribute: (a: string, v: string) => void attrs.set(a, v),
      querySelector: () => ({
        addEventListener: (_: string, f: () => void) => void listeners.set(`sort${i}`, f),
      }),
    };
  });
  const control = (id: string) => ({
    value: '',
    hidden: true,
    textContent: '',
    addEventListener: (_: string, f: () => void) => void listeners.set(id, f),
  });
  const controls = {
    filter: control('filter'),
    readiness: control('readiness'),
    value: control('value'),
  };
  const shown = control('shown');
  const box = control('controls');
  const domRows = rows.map((r) => ({
    get hidden() {
      return r.hidden;
    },
    set hidden(v: boolean) {
      r.hidden = v;
    },
    getAttribute: (a: string) => r.attrs.get(a) ?? null,
    cells: r.cells.map((c) => ({
      getAttribute: (a: string) => (a === 'data-sort' ? (c.sort ?? null) : null),
      textContent: c.text,
    })),
    row: r,
  }));
  const body = {
    rows: domRows,
    appendChild: (d: { row: Row }) => {
      order.splice(order.indexOf(d.row), 1);
      order.push(d.row);
    },
  };
  const table = { tBodies: [body], tHead: { rows: [{ cells: heads }] } };
  const ids: Record<string, unknown> = {
    portfolio: table,
    filter: controls.filter,
    'filter-readiness': controls.readiness,
    'filter-value': controls.value,
    shown,
    controls: box,
  };
  const document = { getElementById: (id: string) => ids[id] ?? null };
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  new Function('document', script)(document);
  return {
    controlsShown: () => !box.hidden,
    sort: (col: number) => listeners.get(`sort${col}`)!(),
    ariaSort: () => heads.map((h) => h.getAttribute('aria-sort')),
    names: () => order.filter((r) => !r.hidden).map((r) => r.attrs.get('data-model')),
    filter: (q: string) => ((controls.filter.value = q), listeners.get('filter')!()),
    readiness: (v: string) => ((controls.readiness.value = v), listeners.get('readiness')!()),
    value: (v: string) => ((controls.value.value = v), listeners.get('value')!()),
    shown: () => shown.textContent,
  };
}

describe("the portfolio's script", () => {
  const model = (
    name: string,
    failing: number,
    standing: ModelData['value']['standing'],
  ): ModelData => ({
    ...forecastModel(),
    name,
    page: `models/${name}.html`,
    file: `models/${name}/mlops.yaml`,
    owner: { name: name === 'b' ? 'Ana Lima' : 'Jonas Berg' },
    guardrailCounts: { passing: 1, failing, unknown: 0 },
    value: { standing, onTrack: 0, atRisk: 0, failing: 0, unknown: 0 },
  });
  // failing guardrails 10, 9, 10 and 2: numbers sort as numbers, ties keep the page's order
  const data = report([
    model('d', 10, 'failing'),
    model('b', 9, 'on_track'),
    model('c', 10, 'at_risk'),
    { ...model('a', 2, 'unknown'), invalid: [], ok: false },
  ]);

  it('sorts by a column, numbers as numbers, ties in the order of the page, and says how', () => {
    const page = portfolioDom(renderPortfolio(data));
    expect(page.controlsShown()).toBe(true);
    expect(page.shown()).toBe('4 of 4 models');
    page.sort(0);
    expect(page.names()).toEqual(['a', 'b', 'c', 'd']);
    expect(page.ariaSort()[0]).toBe('ascending');
    page.sort(0);
    expect(page.names()).toEqual(['d', 'c', 'b', 'a']);
    expect(page.ariaSort()[0]).toBe('descending');
    page.sort(7); // guardrails: 2 < 9 < 10 (as text, "10" < "2" < "9")
    expect(page.names()).toEqual(['a', 'b', 'd', 'c']);
    expect(page.ariaSort()).toEqual([
      'none',
      'none',
      'none',
      'none',
      'none',
      'none',
      'none',
      'ascending',
      'none',
      'none',
    ]);
    page.sort(7);
    expect(page.names()).toEqual(['d', 'c', 'b', 'a']);
    page.sort(6); // value: worst first
    expect(page.names()).toEqual(['d', 'c', 'a', 'b']);
  });

  it('filters by text, readiness and value together, and counts what it shows', () => {
    const page = portfolioDom(renderPortfolio(data));
    page.filter('  ANA ');
    expect(page.names()).toEqual(['b']);
    expect(page.shown()).toBe('1 of 4 models');
    page.filter('mlops.yaml');
    expect(page.names()).toEqual(['d', 'b', 'c', 'a']);
    page.readiness('invalid');
    expect(page.names()).toEqual(['a']);
    page.readiness('ready');
    expect(page.names()).toEqual(['d', 'b', 'c']);
    page.value('at_risk');
    expect(page.names()).toEqual(['c']);
    page.filter('nothing like it');
    expect(page.names()).toEqual([]);
    expect(page.shown()).toBe('0 of 4 models');
  });
});

describe('a model page', () => {
  const data = report([churnModel(), forecastModel(), invalidModel()]);
  const churn = data.models[0]!;
  const html = renderModelPage(churn, data);
  const tags = tagsOf(html);

  it('draws a point per version with a value, and a gap per version without', () => {
    for (const v of churn.values) {
      const fig = figure(html, v.id);
      expect(points(fig)).toEqual(
        v.history
          .filter((p) => p.value !== undefined)
          .map((p) => ({ date: p.date, value: JSON.stringify(p.value) })),
      );
      expect(gaps(fig)).toEqual(v.history.filter((p) => p.value === undefined).map((p) => p.date));
      // a row per version in its data table, with the commit's short hash
      const table = fig.slice(fig.indexOf('<table class="chart-data">'));
      expect([...table.matchAll(/<tr><th scope="row"[^>]*>/g)].length).toBe(v.history.length);
      expect(table).toContain(`<td>${v.history[0]!.commit.slice(0, 7)}</td>`);
      expect(fig).toMatch(/<svg [^>]*role="img" aria-labelledby="c\d+-t"/);
      expect(fig).toMatch(/<title id="c\d+-t">/);
    }
    const revenue = figure(html, 'retention-revenue');
    // values print as JSON prints them: 400 + 9 * 1.5
    expect(points(revenue)).toContainEqual({ date: '2025-10-15', value: '413.5' });
    expect(gaps(revenue)).toEqual(['2025-08-15', '2025-09-15']);
    expect(revenue).toContain('no value: the file could not be read');
    expect(figure(html, 'churn-rate')).toContain('no value: no number at its place in the file');
    // the line breaks at a gap: one path, a move for each run of values
    const d = /<path class="line" d="([^"]*)"/.exec(revenue)![1]!;
    expect(d.match(/M/g)!.length).toBe(2);
    expect(d.match(/L/g)!.length).toBe(24 - 2 - 2);
    // reference lines, labelled, and the target date near the range
    for (const label of ['baseline 400', 'minimum 430', 'target 470', 'target date 2027-06-30'])
      expect(revenue).toContain(label);
  });

  it('says what a chart shows in words, and folds a long data table', () => {
    const revenue = figure(html, 'retention-revenue');
    const caption = /<figcaption id="c\d+-s">([^<]*)<\/figcaption>/.exec(
      `${revenue}</figure>`,
    )?.[1];
    expect(caption).toBe(
      'Observed 434.5 kEUR/month on 2026-12-15, target 470 kEUR/month by 2027-06-30, minimum 430 kEUR/month, baseline 400 kEUR/month; 24 committed versions since 2025-01-15 (2 without a value).',
    );
    expect(revenue).toContain('<details><summary>Data: 24 versions</summary>');
  });

  it('charts monitor guardrails with history, bounds as lines; a single point still draws', () => {
    const psi = figure(html, 'live-psi');
    expect(points(psi).length).toBe(10);
    expect(gaps(psi)).toEqual(['2026-05-15']);
    expect(psi).toContain('max 0.2');
    const parity = figure(html, 'live-parity');
    expect(points(parity)).toEqual([{ date: '2026-11-15', value: '0.9' }]);
    expect(parity).toContain('min 0.8');
    expect(parity).not.toContain('<path');
    // build guardrails are in the scoreboard, not charted
    expect(html).not.toContain('data-series="fair-parity"');
    const board = html.slice(html.indexOf('<table class="scoreboard">'));
    expect(board).toContain('<th scope="row">fair-parity</th>');
    expect(board).toContain('0.8 to 1.25');
    expect(board).toContain('age&lt;30: 0.88');
  });

  it('shows the timeline, the risk grid and the findings with their fixes', () => {
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('Helena Marsh (cco)');
    expect(text).toContain('stale: what it signed changed since');
    expect(text).toContain('recorded, not committed yet');
    expect(text).toContain('in force');
    expect(text).toContain('not in force: expired');
    // the grid: impact 3 (row), likelihood 4 (column) holds R1 and R3
    const grid = html.slice(
      html.indexOf('<table class="risk-grid">'),
      html.indexOf('</table>', html.indexOf('<table class="risk-grid">')),
    );
    const row3 = grid.slice(grid.indexOf('<th scope="row">Impact 3</th>'));
    const cells = [
      ...row3.slice(0, row3.indexOf('</tr>')).matchAll(/<td class="\w+">([^<]*)<\/td>/g),
    ].map((m) => m[1]);
    expect(cells).toEqual(['', '', '', 'R1, R3', '']);
    expect(text).toContain('Not on the grid (likelihood or impact not stated as 1 to 5): R4.');
    expect(html).toContain('guardrail <code>live-psi</code>: psi 0.27 is over its bound 0.2');
    expect(html).toContain(
      '<p class="fix">retrain, then commit <code>reports/drift.json</code></p>',
    );
    expect(text).toContain('line 120:9');
  });

  it('is accessible in structure: one h1, headings in order, landmarks, captions, labelled charts', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const levels = tags.filter((t) => /^h\d$/.test(t.name)).map((t) => Number(t.name[1]));
    expect(levels.filter((l) => l === 1).length).toBe(1);
    for (let i = 1; i < levels.length; i++)
      expect(levels[i]!).toBeLessThanOrEqual(levels[i - 1]! + 1);
    for (const landmark of ['header', 'nav', 'main', 'footer'])
      expect(tags.some((t) => t.name === landmark)).toBe(true);
    const tables = tags.filter((t) => t.name === 'table').length;
    expect(tags.filter((t) => t.name === 'caption').length).toBe(tables);
    expect(tags.filter((t) => t.name === 'th').every((t) => attr(t, 'scope') !== undefined)).toBe(
      true,
    );
    // every svg has a title that labels it
    const svgs = tags.filter((t) => t.name === 'svg');
    expect(svgs.length).toBe(4);
    for (const s of svgs) {
      expect(attr(s, 'role')).toBe('img');
      expect(html).toContain(`<title id="${attr(s, 'aria-labelledby')}">`);
    }
    expect(tags.filter((t) => t.name === 'a').map((t) => attr(t, 'href'))).toEqual([
      '../index.html',
    ]);
  });

  it('of a manifest that does not validate: says so, with its findings and metadata', () => {
    const broken = renderModelPage(invalidModel(), data);
    tagsOf(broken);
    const text = broken.replace(/<[^>]+>/g, '');
    expect(text).toContain('Could not be judged');
    expect(text).toContain(
      'metadata.riskTier: &quot;hgh&quot; is not one of low, medium, high, critical',
    );
    expect(broken).toContain(
      '<p class="fix">set <code>metadata.riskTier</code> to <code>&quot;high&quot;</code></p>',
    );
    expect(text).toContain('line 8:13');
    expect(text).toContain('models/broken/mlops.yaml');
    expect(broken).not.toContain('<figure');
    expect(broken).not.toContain('Business value');
  });

  it('of a model with no history, no risks, no values and no guardrails', () => {
    const forecast = renderModelPage(forecastModel(), data);
    tagsOf(forecast);
    expect(forecast).not.toContain('<figure');
    expect(forecast).toContain('Observed 5.8% in the build evaluation, target 6% by 2027-12-31');
    expect(forecast).toContain('The manifest names no risk.');
    expect(forecast).toContain('The manifest names no guardrail.');
    expect(forecast).toContain('No approval is recorded.');
    expect(forecast).toContain('No open finding.');
    const bare: ModelData = {
      ...forecastModel(),
      name: undefined,
      title: undefined,
      owner: undefined,
      euAiAct: undefined,
      envision: undefined,
      values: [],
      readiness: [],
    };
    const page = renderModelPage(bare, data);
    tagsOf(page);
    expect(page).toContain('<h1>models/forecast/mlops.yaml</h1>');
    expect(page).toContain('The manifest names no business value metric.');
    expect(page).toContain('The manifest states no hypothesis, problem or objective.');
  });

  it('a history of gaps only, or of one date, still draws within its frame', () => {
    const v = revenue();
    const model: ModelData = {
      ...churnModel(),
      values: [
        { ...v, id: 'gaps', history: monthly('2026-01', 3, () => undefined) },
        {
          ...v,
          id: 'same-day',
          targetBy: '2026-09-30',
          history: [1, 2, 3].map((n) => ({ commit: hex(`d${n}`), date: '2026-02-01', value: n })),
        },
        {
          ...v,
          id: 'flat',
          baseline: undefined,
          minimumAcceptable: undefined,
          target: undefined,
          history: monthly('2026-01', 4, () => 7),
        },
        { ...v, id: 'huge', history: monthly('2026-01', 3, (i) => 1e300 * (1 + i * 1e-16)) },
      ],
    };
    const page = renderModelPage(model, data);
    tagsOf(page);
    expect(points(figure(page, 'gaps'))).toEqual([]);
    expect(gaps(figure(page, 'gaps')).length).toBe(3);
    expect(points(figure(page, 'same-day')).length).toBe(3);
    expect(points(figure(page, 'flat')).length).toBe(4);
    expect(points(figure(page, 'huge')).length).toBe(3);
    // the target date is marked when near the versions: 2026-09-30 is, 2035-01-01 is not
    expect(figure(page, 'same-day')).toContain('target date 2026-09-30');
    const far = renderModelPage(
      { ...model, values: [{ ...v, id: 'far', targetBy: '2035-01-01', history: v.history }] },
      data,
    );
    expect(figure(far, 'far')).not.toContain('target date');
    // a version dated before the one it follows is drawn in its place by date, the line too
    const shuffled = [monthly('2026-01', 3, (i) => i + 1)].map(([a, b, c]) => [b!, a!, c!])[0]!;
    const order = renderModelPage(
      { ...model, values: [{ ...v, id: 'order', history: shuffled }] },
      data,
    );
    expect(points(figure(order, 'order')).map((p) => p.date)).toEqual([
      '2026-01-15',
      '2026-02-15',
      '2026-03-15',
    ]);
    const d = /<path class="line" d="([^"]*)"/.exec(figure(order, 'order'))![1]!;
    const xs = [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const rows = figure(order, 'order').match(/<th scope="row">[^<]*/g)!;
    expect(rows.map((r) => r.slice(-10))).toEqual(['2026-02-15', '2026-01-15', '2026-03-15']);
    // every coordinate is a number inside the drawing
    for (const m of page.matchAll(/ (cx|cy|x1|x2|y1|y2)="([^"]*)"/g)) {
      const n = Number(m[2]);
      expect(Number.isFinite(n), `${m[1]}=${m[2]}`).toBe(true);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(640);
    }
  });
});

describe('hostile strings', () => {
  const HOSTILE = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '</style><script>alert(2)</script>',
    'javascript:alert(3)',
    ']]><!--',
    '{{constructor.constructor("alert(4)")()}}',
    'esc\u001b[31m bel\u0007 nul\u0000 csi\u009b del\u007f cr\rlf',
    'bidi \u202eevil\u202c \u2066iso\u2069',
    'lone \ud800 surrogate \udfff',
    `${'x'.repeat(100_000)}<b>`,
    'https://evil.example/x.js',
    '__proto__',
  ];

  /** Every string of `value` replaced by one of HOSTILE, in turn. */
  function poison<T>(value: T, counter = { n: 0 }): T {
    if (typeof value === 'string') return HOSTILE[counter.n++ % HOSTILE.length] as T;
    if (Array.isArray(value)) return value.map((v) => poison(v, counter)) as T;
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, poison(v, counter)]),
      ) as T;
    return value;
  }

  const clean = report([churnModel(), forecastModel(), invalidModel()]);
  // every string: names, titles, ids, files, pages, dates, statuses, messages, the root, the tool
  const data: ReportData = { ...poison(clean), schemaVersion: 1 };
  const pages = [
    ['index.html', renderPortfolio(data)] as const,
    ...data.models.map((m, i) => [`model ${i}`, renderModelPage(m, data)] as const),
  ];

  it('never reach a page raw: no element, attribute or script of theirs', () => {
    for (const [name, html] of pages) {
      const tags = tagsOf(html); // throws at anything that is not a tag of ours
      expect(tags.filter((t) => t.name === 'script').length, name).toBe(
        name === 'index.html' ? 1 : 0,
      );
      expect(tags.filter((t) => t.name === 'style').length, name).toBe(1);
      expect(html.match(/<script/gi)?.length ?? 0, name).toBe(name === 'index.html' ? 1 : 0);
      expect(html.match(/<\/style/gi)?.length, name).toBe(1);
      expect(html, name).not.toMatch(/<img|<b>|<!--|<svg onload/i);
      // no handler attribute: every attribute of every tag is one of ours (tagsOf), none `on...`
      expect(tags.flatMap((t) => t.attrs.map((a) => a[0])).filter((a) => /^on/i.test(a))).toEqual(
        [],
      );
      // links only to pages of the report, made of [a-z0-9-./]
      for (const t of tags)
        for (const [a, v] of t.attrs) if (a === 'href') expect(v, name).toMatch(/^[a-z0-9./-]+$/);
    }
    // shown as text, whole
    const all = pages.map((p) => p[1]).join('');
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(all).toContain('&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(all).toContain(`${'x'.repeat(100_000)}&lt;b&gt;`);
  });

  it('hold no control character, lone surrogate or bidi control', () => {
    for (const [name, html] of pages) {
      expect(html, name).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      expect(html, name).not.toMatch(
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
      );
      expect(html, name).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    }
    const all = pages.map((p) => p[1]).join('');
    const R = '&#xFFFD;';
    expect(all).toContain(`esc${R}[31m bel${R} nul${R} csi${R} del${R} cr\nlf`);
    expect(all).toContain('bidi [U+202E]evil[U+202C] [U+2066]iso[U+2069]');
    expect(all).toContain(`lone ${R} surrogate ${R}`);
  });

  it('a hostile page path makes no link', () => {
    for (const page of [
      'javascript:alert(1)',
      '//evil.example/x.html',
      'models/../../x.html',
      'Models/A.html',
      'models/a b.html',
      '/etc/passwd',
      'models/./a.html',
    ])
      expect(relHref(page), page).toBeUndefined();
    for (const page of ['models/churn-propensity.html', '../index.html', 'models/a.b.html'])
      expect(relHref(page), page).toBe(page);
    const html = renderPortfolio(data);
    expect(tagsOf(html).filter((t) => t.name === 'a')).toEqual([]);
  });
});

describe('the Content Security Policy', () => {
  const data = report([churnModel(), forecastModel(), invalidModel()]);
  const sha = (s: string): string => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

  for (const [name, html, script] of [
    ['the portfolio', renderPortfolio(data), true],
    ['a model page', renderModelPage(data.models[0]!, data), false],
  ] as const)
    it(`of ${name} allows exactly its own inline style${script ? ' and script' : ''}`, () => {
      const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(
        html,
      )?.[1];
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const code = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
      expect(code !== undefined).toBe(script);
      expect(policy).toBe(
        `default-src 'none'; style-src ${sha(style)}; script-src ${code !== undefined ? sha(code) : "'none'"}; img-src 'none'; base-uri 'none'; form-action 'none'`,
      );
      // the policy comes before the style it allows, and nothing needs what it forbids
      expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/https?:|url\(|@import|\ssrc=/i);
    });
});

describe('the same data gives the same bytes', () => {
  it('for every page, from a copy of the data too', () => {
    const a = report([churnModel(), forecastModel(), invalidModel()]);
    const b = JSON.parse(JSON.stringify(a)) as ReportData;
    expect(renderPortfolio(b)).toBe(renderPortfolio(a));
    for (let i = 0; i < a.models.length; i++)
      expect(renderModelPage(b.models[i]!, b)).toBe(renderModelPage(a.models[i]!, a));
  });
});

describe('escaping', () => {
  it('one rule for text, attributes and SVG', () => {
    expect(esc(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
    expect(esc('plain text, caf\u00e9')).toBe('plain text, caf\u00e9');
    // above U+00FF as a character reference, a surrogate pair as one
    expect(esc('0.91 \u2192 0.85 \u65e5\u672c \ud83d\ude00')).toBe(
      '0.91 &#x2192; 0.85 &#x65E5;&#x672C; &#x1F600;',
    );
    expect(esc('a\r\nb\rc\td')).toBe('a\nb\nc\td');
    expect(esc('\u0000\u001b\u007f\u0085\ud800x\udc00\ufffe')).toBe(
      '&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;x&#xFFFD;&#xFFFD;',
    );
    expect(esc('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069')).toBe(
      '[U+202A][U+202B][U+202C][U+202D][U+202E][U+2066][U+2067][U+2068][U+2069]',
    );
  });

  it('keeps every page one byte a character, whatever the data holds', () => {
    const model = churnModel();
    model.title = 'Churn \u2014 r\u00e9tention \u2192 \u65e5\u672c \ud83d\ude00';
    model.owner = { name: 'Tomasz W\u00f3jcik' };
    const data = report([model]);
    for (const html of [renderPortfolio(data), renderModelPage(model, data)]) {
      expect(html).not.toMatch(/[^\u0000-\u00ff]/);
      expect(html).toContain('Churn &#x2014; r\u00e9tention &#x2192; &#x65E5;&#x672C; &#x1F600;');
      expect(html).toContain('Tomasz W\u00f3jcik');
    }
  });
});

describe('numbers for people', () => {
  it('follow one rule whatever the locale', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [438, '438'],
      [1250, '1250'],
      [12500, '12,500'],
      [1234567.89, '1,234,570'],
      [0.912345678, '0.912346'],
      [-3.5, '&#8722;3.5'],
      [0.0001, '0.0001'],
      [0.00001234, '1.234e-5'],
      [1e15, '1e15'],
      [0.1 + 0.2, '0.3'],
      [Number.NaN, 'n/a'],
    ];
    for (const [n, s] of cases) expect(fmtNumber(n), String(n)).toBe(s);
  });
});

describe('the palette', () => {
  /** The custom properties of the first block after `at` in the stylesheet. */
  function properties(block: string): Map<string, string> {
    return new Map([...block.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
  }
  const luminance = (hex6: string): number => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex6.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a: string, b: string): number => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
    return (x + 0.05) / (y + 0.05);
  };

  it('meets WCAG AA in light and dark: 4.5:1 for text, 3:1 for chart lines and marks', () => {
    const dark = STYLE.indexOf('@media screen and (prefers-color-scheme: dark)');
    expect(dark).toBeGreaterThan(0);
    const light = properties(STYLE.slice(0, dark));
    const darkProps = properties(STYLE.slice(dark, STYLE.indexOf('}\n}', dark)));
    expect(light.size).toBeGreaterThan(15);
    expect([...darkProps.keys()].sort()).toEqual([...light.keys()].sort());
    const failing: string[] = [];
    for (const [scheme, props] of [
      ['light', light],
      ['dark', darkProps],
    ] as const)
      for (const { fg, bg, min } of CONTRAST_PAIRS) {
        const r = ratio(props.get(fg)!, props.get(bg)!);
        if (!(r >= min)) failing.push(`${scheme} ${fg} on ${bg}: ${r.toFixed(2)} < ${min}`);
      }
    expect(failing).toEqual([]);
    // every colour the stylesheet uses is one of its properties
    expect(STYLE.replace(/--[\w-]+:\s*#[0-9a-f]{6}/g, '')).not.toMatch(/#[0-9a-f]{3,8}\b/i);
  });

  it('prints on A4 without the filter controls, charts and rows kept whole', () => {
    expect(STYLE).toContain('@page { size: A4; margin: 15mm; }');
    const print = STYLE.slice(STYLE.indexOf('@media print'));
    expect(print).toMatch(/\.controls[^{]*\{ display: none/);
    expect(print).toMatch(/svg\.plot, tr[^{]*\{ break-inside: avoid; \}/);
  });
});
