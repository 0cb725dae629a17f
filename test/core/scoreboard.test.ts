import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkReadiness, readScoreboard, requiredPhases } from '../../src/core/check/index.js';
import type { DriftLine, GuardrailLine, ManifestReport } from '../../src/core/check/index.js';
import { packScoreboard } from '../../src/core/check/scoreboard.js';
import type { Manifest } from '../../src/core/manifest.js';
import { checkReporters } from '../../src/report/check.js';
import type { CheckResult } from '../../src/report/check.js';

/**
 * A manifest that the whole of readiness can judge: a value metric with its minimum and date,
 * both candidates' projections, guardrails in build and live in monitor (fairness per group),
 * a distance and a p-value drift check.
 */
const BASE = `apiVersion: mlops/v1
kind: ModelManifest
metadata:
  name: churn
  version: 1.0.0
  owner: { name: Ada Example }
  riskTier: medium
  status: monitor
envision:
  hypothesis: If we rank customers by churn risk, then retention keeps more of them, measured by monthly churn.
  stakeholders:
    - { id: cco, name: Chief Commercial Officer, role: decision_maker }
    - { id: pm, name: Product Manager, role: ai_product_manager }
    - { id: ds, name: Data Scientist, role: data_science }
    - { id: agent, name: Retention Agent, role: end_user }
  valueMetrics:
    - id: churn
      name: Monthly churn rate
      unit: percent
      direction: decrease
      baseline: { value: 1.9 }
      target: { value: 1.6, by: 2027-06-30 }
      minimumAcceptable: 1.8
      owner: cco
      cadence: monthly
  risks:
    - { id: unfair, title: Offers skew by age, dimension: fairImpartial, likelihood: 2, impact: 3, treatment: mitigate, mitigation: Parity checks., owner: ds, lineOfDefense: 1, guardrails: [parity] }
  trustworthyAI:
    fairImpartial:
      rigor: standard
      guardrails:
        - id: parity
          metric: disparate_impact_ratio
          min: 0.8
          groups: [age_18_34, age_65_plus]
          evidence: reports/metrics.json
          monitor: { evidence: reports/live.json, cadence: weekly }
    robustReliable:
      rigor: standard
      guardrails:
        - { id: auc, metric: roc_auc, min: 0.7, phases: [build], evidence: reports/metrics.json }
    transparentExplainable:
      rigor: standard
      guardrails:
        - { id: reasons, metric: explanation_coverage, min: 0.9, phases: [build], evidence: reports/metrics.json }
    privacy:
      rigor: standard
      guardrails:
        - { id: pii, metric: pii_feature_count, max: 0, phases: [build], evidence: reports/metrics.json }
    safeSecure:
      rigor: standard
      guardrails:
        - { id: bad-input, metric: invalid_input_acceptance_rate, max: 0, phases: [build], evidence: reports/metrics.json }
    responsibleAccountable:
      rigor: standard
      guardrails:
        - { id: log, metric: decision_log_completeness, min: 0.99, phases: [monitor], monitor: { evidence: reports/live.json, cadence: weekly } }
build:
  candidates:
    - { id: rules, baseline: true }
    - { id: gbm }
  selected: { candidate: gbm, rationale: Lowest projected churn. }
  evaluations:
    - { id: gbm-churn, candidate: gbm, metric: projected_churn, kind: value, valueMetric: churn, evidence: reports/gbm-value.json }
    - { id: rules-churn, candidate: rules, metric: projected_churn, kind: value, valueMetric: churn, evidence: reports/rules-value.json }
  modelCard: docs/model-card.md
monitor:
  drift:
    - { id: score-drift, type: prediction, method: psi, bins: 10, max: 0.25, warn: 0.1, cadence: weekly, evidence: reports/live.json }
    - { id: tenure-ks, type: data, method: ks, statistic: pvalue, min: 0.01, warn: 0.05, cadence: weekly, evidence: reports/live.json }
  valueTracking: { cadence: monthly, evidence: reports/value.json }
`;

const METRICS = {
  metrics: {
    disparate_impact_ratio: 0.86,
    roc_auc: 0.81,
    explanation_coverage: 0.95,
    pii_feature_count: 0,
    invalid_input_acceptance_rate: 0,
  },
  groups: {
    age_18_34: { disparate_impact_ratio: 0.91 },
    age_65_plus: { disparate_impact_ratio: 0.83 },
  },
};

const LIVE = {
  metrics: { disparate_impact_ratio: 0.84, decision_log_completeness: 0.995 },
  groups: {
    age_18_34: { disparate_impact_ratio: 0.9 },
    age_65_plus: { disparate_impact_ratio: 0.82 },
  },
  'score-drift': 0.05,
  'tenure-ks': 0.3,
};

const D = 'models/churn';

interface Setup {
  /** Evidence files by their path under the model's folder; `null` leaves one out. */
  files?: Record<string, unknown>;
  /** Files that exist but are not committed. */
  untracked?: string[];
  /** The value-tracking report's committed versions, newest first; none by default. */
  value?: unknown[];
}

function judge(m: Manifest, setup: Setup = {}): ManifestReport {
  const given: Record<string, unknown> = {
    'reports/metrics.json': METRICS,
    'reports/live.json': LIVE,
    'reports/gbm-value.json': { metrics: { projected_churn: 1.7 } },
    'reports/rules-value.json': { metrics: { projected_churn: 1.88 } },
    'docs/model-card.md': '# Model card\n',
    ...setup.files,
  };
  const files = new Map<string, string>();
  for (const [p, v] of Object.entries(given))
    if (v !== null) files.set(`${D}/${p}`, typeof v === 'string' ? v : JSON.stringify(v));
  const tracked = new Set(files.keys());
  for (const p of setup.untracked ?? []) tracked.delete(`${D}/${p}`);
  const valuePath = `${D}/reports/value.json`;
  return checkReadiness(m, {
    manifestPath: `${D}/mlops.yaml`,
    tracked,
    workingState: new Map(),
    evidence: (p) => (files.has(p) ? { kind: 'file', text: files.get(p)! } : { kind: 'missing' }),
    // git gathers commit dates for monitoring evidence only
    lastCommitDates: new Map(
      [`${D}/reports/live.json`].filter((p) => files.has(p)).map((p) => [p, '2026-11-20']),
    ),
    committedVersions: new Map(
      setup.value
        ? [
            [
              valuePath,
              setup.value.map((v, i) => ({
                commit: `c${i}`,
                date: `2026-11-${21 - i}`,
                text: JSON.stringify(v),
              })),
            ],
          ]
        : [],
    ),
    today: '2026-11-27',
  });
}

const base = (): Manifest => parse(BASE) as Manifest;

/** The guardrail and drift lines of a report. */
const lines = (report: ManifestReport) => readScoreboard(report.scoreboard);

/** A guardrail's line in one phase. */
function guardrail(report: ManifestReport, id: string, phase: 'build' | 'monitor') {
  const line = lines(report).guardrails.find((g) => g.id === id && g.phase === phase);
  if (!line) throw new Error(`no line for guardrail ${id} in ${phase}`);
  return line;
}

describe('the scoreboard of guardrails', () => {
  it('shows every guardrail in every phase it is active in, passing or not, with bounds, source and status', () => {
    const report = judge(base());
    expect(lines(report).guardrails.map((g) => [g.id, g.phase, g.observed, g.status])).toEqual([
      ['parity', 'build', 0.86, 'pass'],
      ['parity', 'monitor', 0.84, 'pass'],
      ['auc', 'build', 0.81, 'pass'],
      ['reasons', 'build', 0.95, 'pass'],
      ['pii', 'build', 0, 'pass'],
      ['bad-input', 'build', 0, 'pass'],
      ['log', 'monitor', 0.995, 'pass'],
    ]);
    // the case: a disparate impact of 0.86 within its bound, and where it was read
    expect(guardrail(report, 'parity', 'build')).toEqual({
      id: 'parity',
      dimension: 'fairImpartial',
      metric: 'disparate_impact_ratio',
      phase: 'build',
      observed: 0.86,
      bounds: { min: 0.8 },
      source: {
        path: `${D}/reports/metrics.json`,
        pointer: '/metrics/disparate_impact_ratio',
      },
      status: 'pass',
      groups: [
        { group: 'age_18_34', observed: 0.91, status: 'pass' },
        { group: 'age_65_plus', observed: 0.83, status: 'pass' },
      ],
    });
    // live evidence in monitor, with the date of its last commit
    expect(guardrail(report, 'parity', 'monitor').source).toEqual({
      path: `${D}/reports/live.json`,
      pointer: '/metrics/disparate_impact_ratio',
      date: '2026-11-20',
    });
    expect(guardrail(report, 'pii', 'build').bounds).toEqual({ max: 0 });
  });

  it('fails a value out of bounds, bounds being inclusive', () => {
    const report = judge(base(), {
      files: {
        'reports/metrics.json': {
          ...METRICS,
          metrics: { ...METRICS.metrics, roc_auc: 0.7, pii_feature_count: 1 },
        },
      },
    });
    expect(guardrail(report, 'auc', 'build')).toMatchObject({ observed: 0.7, status: 'pass' });
    expect(guardrail(report, 'pii', 'build')).toMatchObject({ observed: 1, status: 'fail' });
  });

  it('fails a guardrail when one group is out of bounds, and does not know it when a group is unobserved', () => {
    const live = {
      ...LIVE,
      groups: {
        age_18_34: { disparate_impact_ratio: 0.9 },
        age_65_plus: { disparate_impact_ratio: 0.74 },
      },
    };
    const metrics = { ...METRICS, groups: { age_18_34: { disparate_impact_ratio: 0.91 } } };
    const report = judge(base(), {
      files: { 'reports/live.json': live, 'reports/metrics.json': metrics },
    });
    expect(guardrail(report, 'parity', 'monitor')).toMatchObject({
      observed: 0.84,
      status: 'fail',
      groups: [
        { group: 'age_18_34', observed: 0.9, status: 'pass' },
        { group: 'age_65_plus', observed: 0.74, status: 'fail' },
      ],
    });
    expect(guardrail(report, 'parity', 'build')).toMatchObject({
      observed: 0.86,
      status: 'unknown',
      groups: [
        { group: 'age_18_34', observed: 0.91, status: 'pass' },
        { group: 'age_65_plus', status: 'unknown' },
      ],
    });
  });

  it('reads monitor values from live evidence only, never from the build report', () => {
    const m = base();
    const parity = m.envision.trustworthyAI!.fairImpartial!.guardrails![0]!;
    delete parity.monitor;
    const none = judge(m);
    expect(guardrail(none, 'parity', 'monitor')).toEqual({
      id: 'parity',
      dimension: 'fairImpartial',
      metric: 'disparate_impact_ratio',
      phase: 'monitor',
      bounds: { min: 0.8 },
      status: 'unknown',
    });
    parity.monitor = { evidence: 'reports/metrics.json', cadence: 'weekly' };
    const build = judge(m);
    expect(guardrail(build, 'parity', 'monitor')).toMatchObject({
      source: { path: `${D}/reports/metrics.json` },
      status: 'unknown',
    });
    expect(guardrail(build, 'parity', 'monitor').observed).toBeUndefined();
  });

  it('reads only evidence that counts: a file not committed has no observed value', () => {
    const report = judge(base(), { untracked: ['reports/metrics.json'] });
    expect(guardrail(report, 'auc', 'build')).toMatchObject({
      source: { path: `${D}/reports/metrics.json` },
      status: 'unknown',
    });
    expect(guardrail(report, 'auc', 'build').observed).toBeUndefined();
    expect(guardrail(report, 'log', 'monitor').status).toBe('pass');
  });

  it('shows no line for a guardrail with `phases: []`, and none in a phase it is not active in', () => {
    const m = base();
    m.envision.trustworthyAI!.robustReliable!.guardrails![0]!.phases = [];
    const report = judge(m);
    expect(lines(report).guardrails.filter((g) => g.id === 'auc')).toEqual([]);
    expect(
      lines(report)
        .guardrails.filter((g) => g.id === 'log')
        .map((g) => g.phase),
    ).toEqual(['monitor']);
  });
});

describe('the scoreboard of drift checks', () => {
  const drift = (live: Record<string, unknown>) =>
    lines(judge(base(), { files: { 'reports/live.json': { ...LIVE, ...live } } })).drift.map(
      (d) => [d.id, d.observed, d.status],
    );

  it('bounds a distance above (warn above warn) and a p-value below (warn below warn)', () => {
    const report = judge(base());
    expect(lines(report).drift).toEqual([
      {
        id: 'score-drift',
        method: 'psi',
        statistic: 'distance',
        observed: 0.05,
        bounds: { max: 0.25, warn: 0.1 },
        source: { path: `${D}/reports/live.json`, pointer: '/score-drift', date: '2026-11-20' },
        status: 'pass',
      },
      {
        id: 'tenure-ks',
        method: 'ks',
        statistic: 'pvalue',
        observed: 0.3,
        bounds: { min: 0.01, warn: 0.05 },
        source: { path: `${D}/reports/live.json`, pointer: '/tenure-ks', date: '2026-11-20' },
        status: 'pass',
      },
    ]);
    expect(drift({ 'score-drift': 0.12, 'tenure-ks': 0.03 })).toEqual([
      ['score-drift', 0.12, 'warn'],
      ['tenure-ks', 0.03, 'warn'],
    ]);
    expect(drift({ 'score-drift': 0.31, 'tenure-ks': 0.004 })).toEqual([
      ['score-drift', 0.31, 'fail'],
      ['tenure-ks', 0.004, 'fail'],
    ]);
    // on the bound itself: within
    expect(drift({ 'score-drift': 0.25, 'tenure-ks': 0.01 })).toEqual([
      ['score-drift', 0.25, 'warn'],
      ['tenure-ks', 0.01, 'warn'],
    ]);
  });

  it('does not know a drift check without a number', () => {
    const live = { ...LIVE } as Record<string, unknown>;
    delete live['tenure-ks'];
    expect(lines(judge(base(), { files: { 'reports/live.json': live } })).drift[1]).toEqual({
      id: 'tenure-ks',
      method: 'ks',
      statistic: 'pvalue',
      bounds: { min: 0.01, warn: 0.05 },
      source: { path: `${D}/reports/live.json`, date: '2026-11-20' },
      status: 'unknown',
    });
  });
});

describe('the scoreboard of value metrics', () => {
  it('in build: the selected projection beside the baseline candidate’s, the minimum and the target', () => {
    // the case: churn 2.4 projected against a baseline of 1.9 and a target of 1.6
    const report = judge(base(), {
      files: { 'reports/gbm-value.json': { metrics: { projected_churn: 2.4 } } },
    });
    expect(report.values).toEqual([
      {
        id: 'churn',
        name: 'Monthly churn rate',
        unit: 'percent',
        direction: 'decrease',
        baseline: 1.9,
        target: 1.6,
        minimumAcceptable: 1.8,
        observed: 2.4,
        bounds: { baseline: 1.9, minimum: 1.8, target: 1.6 },
        source: {
          kind: 'build',
          evaluation: 'gbm-churn',
          path: `${D}/reports/gbm-value.json`,
          pointer: '/metrics/projected_churn',
        },
        status: 'failing',
        projections: {
          selected: {
            candidate: 'gbm',
            evaluation: 'gbm-churn',
            observed: 2.4,
            source: { path: `${D}/reports/gbm-value.json`, pointer: '/metrics/projected_churn' },
          },
          baseline: {
            candidate: 'rules',
            evaluation: 'rules-churn',
            observed: 1.88,
            source: { path: `${D}/reports/rules-value.json`, pointer: '/metrics/projected_churn' },
          },
        },
      },
    ]);
  });

  it('with no number in the report: no observation, and the baseline candidate still shown', () => {
    const report = judge(base(), { files: { 'reports/gbm-value.json': { metrics: {} } } });
    const [v] = report.values;
    expect(v).toMatchObject({ status: 'unknown' });
    expect(v!.observed).toBeUndefined();
    expect(v!.source).toBeUndefined();
    expect(v!.projections).toEqual({
      selected: { candidate: 'gbm', evaluation: 'gbm-churn' },
      baseline: expect.objectContaining({ candidate: 'rules', observed: 1.88 }),
    });
  });

  it('in monitor: the newest committed value report, with its date; the projections stay', () => {
    const report = judge(base(), { value: [{ churn: 1.75 }, { churn: 1.85 }] });
    expect(report.values[0]).toMatchObject({
      observed: 1.75,
      source: {
        kind: 'monitor',
        path: `${D}/reports/value.json`,
        pointer: '/churn',
        date: '2026-11-21',
      },
      status: 'at_risk',
      projections: { selected: { observed: 1.7 }, baseline: { observed: 1.88 } },
    });
  });

  it('maintain: the tolerance band is among the bounds', () => {
    const m = base();
    const v = m.envision.valueMetrics![0]!;
    v.direction = 'maintain';
    v.target = { value: 1.8, by: '2027-06-30' };
    delete v.minimumAcceptable;
    v.tolerance = 0.1;
    const report = judge(m, { value: [{ churn: 1.75 }] });
    expect(report.values[0]).toMatchObject({
      bounds: { baseline: 1.9, target: 1.8, tolerance: 0.1 },
      observed: 1.75,
      status: 'on_track',
    });
  });
});

describe('the packed scoreboard a report holds', () => {
  it('gives back every line as it was packed: absent numbers, sources and groups included', () => {
    const guardrails: GuardrailLine[] = [
      {
        id: 'parity',
        dimension: 'fairImpartial',
        metric: 'disparate_impact_ratio',
        phase: 'monitor',
        observed: -0.5,
        bounds: { min: 0.8, max: 1.25 },
        source: { path: 'a/live.json', pointer: '/metrics/x', date: '2026-11-20' },
        status: 'fail',
        groups: [
          { group: 'age_18_34', observed: 0.9, status: 'pass' },
          { group: 'age_65_plus', status: 'unknown' },
        ],
      },
      {
        id: 'pii',
        dimension: 'privacy',
        metric: 'pii_feature_count',
        phase: 'build',
        bounds: { max: 0 },
        status: 'unknown',
      },
      {
        id: 'log',
        dimension: 'responsibleAccountable',
        metric: 'decision_log_completeness',
        phase: 'build',
        observed: 1e-300,
        bounds: {},
        source: { path: 'a/live.json' },
        status: 'pass',
      },
    ];
    const drift: DriftLine[] = [
      {
        id: 'ks',
        method: 'ks',
        statistic: 'pvalue',
        observed: 0.03,
        bounds: { min: 0.01, warn: 0.05 },
        source: { path: 'b/drift.json', pointer: '/ks' },
        status: 'warn',
      },
      { id: 'psi', method: 'psi', statistic: 'distance', bounds: { max: 0.25 }, status: 'unknown' },
    ];
    const packed = packScoreboard(guardrails, drift);
    expect(readScoreboard(packed)).toEqual({ guardrails, drift });
    // each path and name once, and a few numbers per item
    expect(packed.paths).toEqual(['a/live.json', 'b/drift.json']);
    expect(packed.names.filter((n) => n === '/metrics/x')).toHaveLength(1);
    expect(packed.cells).toHaveLength(5 * 10 + 2 * 3);
    expect(readScoreboard(packScoreboard([], []))).toEqual({ guardrails: [], drift: [] });
  });

  it('is what a judged report holds: the lines of the whole manifest, as the scoreboard read them', () => {
    const report = judge(base());
    expect(Object.keys(report)).not.toContain('guardrails');
    expect(lines(report).guardrails).toHaveLength(7);
    expect(lines(report).drift).toHaveLength(2);
    expect(report.scoreboard.cells.every((c) => typeof c === 'number')).toBe(true);
  });
});

/** The check result of one manifest, for the reporters. */
function result(report: ManifestReport): CheckResult {
  const heldTo = requiredPhases(report.status);
  return { today: '2026-11-27', root: '.', manifests: [{ report, heldTo, ok: false }] };
}

const ctx = (verbose: boolean) => ({
  color: new Chalk({ level: 0 }),
  toolVersion: '0.0.0',
  verbose,
});

/** The scoreboard's part of the text report: from the value metrics to the verdict. */
function board(report: ManifestReport, verbose = false): string {
  const out = checkReporters.text(result(report), ctx(verbose));
  const lines = out.split('\n');
  const from = lines.findIndex((l) => l.startsWith('  value metrics'));
  const to = lines.findIndex((l) => /^ {2}[✔✖] /.test(l));
  return lines.slice(from, to).join('\n');
}

describe('the scoreboard in text', () => {
  it('is compact: failing, warning and unobserved items, and a count of the rest', () => {
    const live = {
      ...LIVE,
      metrics: { ...LIVE.metrics, disparate_impact_ratio: 0.79 },
      'score-drift': 0.12,
    };
    const report = judge(base(), {
      files: {
        'reports/live.json': live,
        'reports/gbm-value.json': { metrics: { projected_churn: 2.4 } },
      },
    });
    expect(board(report)).toBe(
      [
        '  value metrics (baseline → target → observed)',
        '    churn  1.9 → 1.6 → 2.4  failing  (minimum 1.8; projected by evaluation gbm-churn; baseline candidate rules 1.88)',
        '  guardrails (observed, bounds)',
        `    parity  monitor  disparate_impact_ratio 0.79  ≥ 0.8  out of bounds  (${D}/reports/live.json#/metrics/disparate_impact_ratio, committed 2026-11-20)`,
        '      groups: age_18_34 0.9, age_65_plus 0.82',
        '    6 more guardrails within bounds (5 in build, 1 in monitor); --verbose lists every one',
        '  drift (observed, bounds)',
        `    score-drift  psi  0.12  ≤ 0.25, warn above 0.1  warning  (${D}/reports/live.json#/score-drift, committed 2026-11-20)`,
        '    1 more drift check within bounds; --verbose lists every one',
      ].join('\n'),
    );
  });

  it('with --verbose, lists every item with its value: the disparate impact of 0.86 too', () => {
    const text = board(judge(base()), true);
    expect(text).toContain(
      `    parity     build    disparate_impact_ratio 0.86      ≥ 0.8   within bounds  (${D}/reports/metrics.json#/metrics/disparate_impact_ratio)\n      groups: age_18_34 0.91, age_65_plus 0.83\n`,
    );
    expect(text.split('\n').filter((l) => l.includes('within bounds'))).toHaveLength(9);
    expect(text).not.toContain('--verbose lists');
    // without --verbose, only the count
    expect(board(judge(base()))).toBe(
      [
        '  value metrics (baseline → target → observed)',
        '    churn  1.9 → 1.6 → 1.7  at risk  (minimum 1.8; projected by evaluation gbm-churn; baseline candidate rules 1.88)',
        '  guardrails (observed, bounds)',
        '    7 guardrails within bounds (5 in build, 2 in monitor); --verbose lists every one',
        '  drift (observed, bounds)',
        '    2 drift checks within bounds; --verbose lists every one',
      ].join('\n'),
    );
  });

  it('leaves out what is not observed in a phase the model has not reached, and counts it', () => {
    const m = base();
    m.metadata.status = 'build';
    const report = judge(m, { files: { 'reports/live.json': null } });
    expect(board(report)).toBe(
      [
        '  value metrics (baseline → target → observed)',
        '    churn  1.9 → 1.6 → 1.7  at risk  (minimum 1.8; projected by evaluation gbm-churn; baseline candidate rules 1.88)',
        '  guardrails (observed, bounds)',
        '    5 guardrails within bounds; 2 in monitor not observed yet; --verbose lists every one',
        '  drift (observed, bounds)',
        '    2 in monitor not observed yet; --verbose lists every one',
      ].join('\n'),
    );
    // held to monitor, the same gaps are listed
    m.metadata.status = 'monitor';
    expect(board(judge(m, { files: { 'reports/live.json': null } }))).toBe(
      [
        '  value metrics (baseline → target → observed)',
        '    churn  1.9 → 1.6 → 1.7  at risk  (minimum 1.8; projected by evaluation gbm-churn; baseline candidate rules 1.88)',
        '  guardrails (observed, bounds)',
        `    parity  monitor  disparate_impact_ratio ?     ≥ 0.8   no observation  (${D}/reports/live.json)`,
        `    log     monitor  decision_log_completeness ?  ≥ 0.99  no observation  (${D}/reports/live.json)`,
        '    5 more guardrails within bounds; --verbose lists every one',
        '  drift (observed, bounds)',
        `    score-drift  psi  ?  ≤ 0.25, warn above 0.1   no observation  (${D}/reports/live.json)`,
        `    tenure-ks    ks   ?  ≥ 0.01, warn below 0.05  no observation  (${D}/reports/live.json)`,
      ].join('\n'),
    );
  });
});

describe('the scoreboard in markdown', () => {
  it('has a row per failing, warning or unobserved item and counts the rest', () => {
    const live = { ...LIVE, metrics: { ...LIVE.metrics, disparate_impact_ratio: 0.79 } };
    const out = checkReporters.markdown(
      result(judge(base(), { files: { 'reports/live.json': live } })),
      ctx(false),
    );
    expect(out).toContain(
      [
        '| guardrail or drift check | phase | observed | bounds | |',
        '|---|---|---|---|---|',
        '| guardrail `parity` | monitor | disparate_impact_ratio 0.79<br>groups: age_18_34 0.9, age_65_plus 0.82 | ≥ 0.8 | ❌ out of bounds |',
        '',
        '6 more guardrails within bounds (5 in build, 1 in monitor); 2 more drift checks within bounds.',
      ].join('\n'),
    );
  });
});

describe('the scoreboard with hostile names', () => {
  it('escapes control characters in text and keeps markdown rows whole and inert', () => {
    const metric = 'di|\u001b[2J';
    const m = base();
    const parity = m.envision.trustworthyAI!.fairImpartial!.guardrails![0]!;
    parity.metric = metric;
    parity.groups = ['@team', 'a\nb'];
    const metrics = {
      metrics: { ...METRICS.metrics, [metric]: 0.7 },
      groups: { '@team': { [metric]: 0.9 }, 'a\nb': { [metric]: 0.6 } },
    };
    const report = judge(m, { files: { 'reports/metrics.json': metrics } });
    const text = checkReporters.text(result(report), ctx(false));
    // as one space between the columns
    expect(text.replace(/ +/g, ' ')).toContain(
      [
        ` parity build di|\\x1b[2J 0.7 ≥ 0.8 out of bounds (${D}/reports/metrics.json#/metrics/di|\\x1b[2J)`,
        ' groups: @team 0.9, a\\nb 0.6 out of bounds',
      ].join('\n'),
    );
    expect(text).not.toContain('\u001b');
    const md = checkReporters.markdown(result(report), ctx(false));
    const row = md.split('\n').find((l) => l.startsWith('| guardrail `parity` | build'));
    expect(row).toBe(
      '| guardrail `parity` | build | di\\|\\\\x1b\\[2J 0.7<br>groups: @&#8203;team 0.9, a b 0.6 out of bounds | ≥ 0.8 | ❌ out of bounds |',
    );
    expect(md).not.toContain('\u001b');
  });
});
