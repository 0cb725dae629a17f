/**
 * The monitor part of "value proven, not asserted" on plain data: the monitoring plan at deploy
 * (D5), drift checks required and judged by what their number is (M1, and validate's drift
 * bounds), live guardrail evidence (M1, M2, G1) and a dated governance review at tier high (M4).
 */
import { describe, expect, it } from 'vitest';
import { checkReadiness, collectEvidence, historyEvidence } from '../../src/core/check/index.js';
import type { ManifestReport, RuleResult } from '../../src/core/check/index.js';
import type { Finding } from '../../src/core/findings.js';
import { checkConsistency } from '../../src/core/manifest/consistency.js';
import { driftStatistic } from '../../src/core/manifest/drift.js';
import type { DriftCheck, Guardrail, Manifest, Phase } from '../../src/core/manifest.js';
import { describeFinding } from '../../src/report/messages/words.js';

const said = (f: Finding | undefined): string | undefined => f && describeFinding(f).message;
const fixOf = (f: Finding | undefined): string | undefined => f && describeFinding(f).hint;

const DIR = 'models/churn';
const PARITY: Guardrail = {
  id: 'parity',
  metric: 'disparate_impact_ratio',
  min: 0.8,
  evidence: 'reports/backtest.json',
  monitor: { evidence: 'reports/live-fairness.json', cadence: 'monthly' },
};
const PSI: DriftCheck = {
  id: 'score-psi',
  type: 'prediction',
  method: 'psi',
  bins: 10,
  warn: 0.1,
  max: 0.25,
  cadence: 'weekly',
  evidence: 'reports/drift.json',
};

/** A manifest with what the monitor rules read; `edit` changes it before it is judged. */
function manifest(edit: (m: Manifest) => void = () => {}): Manifest {
  const m = {
    apiVersion: 'mlops/v1',
    kind: 'ModelManifest',
    metadata: { name: 'churn', version: '1.0.0', owner: { name: 'Ann' }, riskTier: 'medium' },
    envision: {
      hypothesis: 'If we call the customers likely to leave, then fewer leave.',
      stakeholders: [{ id: 'dm', name: 'Dana', role: 'decision_maker' }],
      trustworthyAI: {
        fairImpartial: { rigor: 'standard', guardrails: [structuredClone(PARITY)] },
        robustReliable: {
          rigor: 'standard',
          guardrails: [
            {
              id: 'auc',
              metric: 'roc_auc',
              min: 0.7,
              phases: ['build'],
              evidence: 'reports/backtest.json',
            },
          ],
        },
      },
    },
    build: {
      candidates: [{ id: 'rules', baseline: true }, { id: 'gbm' }],
      selected: { candidate: 'gbm' },
      evaluations: [
        {
          id: 'gbm-churn',
          candidate: 'gbm',
          metric: 'projected_churn',
          kind: 'value',
          valueMetric: 'churn',
          evidence: 'reports/eval.json',
        },
      ],
    },
    monitor: {
      drift: [structuredClone(PSI)],
      valueTracking: { evidence: 'reports/value-tracking.json', cadence: 'monthly' },
      triggers: [
        { on: 'drift_alert', action: 'retrain', owner: 'dm' },
        { on: 'value_below_minimum', action: 'reassess', owner: 'dm' },
        { on: 'incident', action: 'rollback', owner: 'dm' },
      ],
      governance: { body: 'Model board', nextReview: '2099-01-01' },
    },
  } as unknown as Manifest;
  edit(m);
  return m;
}

const REPORTS: Record<string, unknown> = {
  'reports/backtest.json': { metrics: { disparate_impact_ratio: 0.91, roc_auc: 0.8 } },
  'reports/eval.json': { metrics: { projected_churn: 1.7 } },
  'reports/live-fairness.json': { disparate_impact_ratio: 0.86 },
  'reports/drift.json': { metrics: { 'score-psi': 0.05, 'score-ks': 0.2 } },
  'reports/value-tracking.json': { metrics: { churn: 1.7 } },
};

interface Setup {
  reports?: Record<string, unknown>;
  /** Repository paths git does not track. */
  untracked?: string[];
  /** Last commit dates by path under the model's folder (default: all on 2026-11-24). */
  dates?: Record<string, string>;
  today?: string;
}

function judge(m: Manifest, setup: Setup = {}): ManifestReport {
  const reports = { ...REPORTS, ...setup.reports };
  const files = new Map(
    Object.entries(reports).map(([p, data]) => [`${DIR}/${p}`, JSON.stringify(data)]),
  );
  const untracked = new Set(setup.untracked ?? []);
  const dates =
    setup.dates ?? Object.fromEntries(Object.keys(reports).map((p) => [p, '2026-11-24']));
  return checkReadiness(m, {
    manifestPath: `${DIR}/mlops.yaml`,
    tracked: new Set([...files.keys()].filter((p) => !untracked.has(p))),
    workingState: new Map(),
    evidence: (p) => (files.has(p) ? { kind: 'file', text: files.get(p)! } : { kind: 'missing' }),
    lastCommitDates: new Map(Object.entries(dates).map(([p, d]) => [`${DIR}/${p}`, d])),
    committedVersions: new Map([
      [
        `${DIR}/reports/value-tracking.json`,
        [
          {
            commit: 'c1',
            date: '2026-11-24',
            text: JSON.stringify(reports['reports/value-tracking.json']),
          },
        ],
      ],
    ]),
    today: setup.today ?? '2026-11-27',
  });
}

function rule(report: ManifestReport, phase: Phase, id: string): RuleResult {
  const r = report.phases.find((p) => p.phase === phase)?.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id} in ${phase}`);
  return r;
}
const codes = (r: RuleResult): string[] => r.findings.map((f) => f.code);

describe('the rules of this part on a complete manifest', () => {
  it('D5, M1, M2 and M4 pass', () => {
    const report = judge(manifest());
    expect(rule(report, 'deploy', 'D5').findings).toEqual([]);
    for (const id of ['M1', 'M2', 'M4']) expect(rule(report, 'monitor', id).findings).toEqual([]);
  });
});

describe('D5: monitoring planned before deploy', () => {
  it('fails without a monitor section, with the whole plan to add', () => {
    const d5 = rule(judge(manifest((m) => delete m.monitor)), 'deploy', 'D5');
    expect(d5.status).toBe('fail');
    expect(codes(d5)).toEqual(['MONITOR_PLAN_MISSING']);
    expect(d5.findings[0]!.path).toEqual([]);
    expect(said(d5.findings[0])).toMatch(/^no monitor section/);
    expect(fixOf(d5.findings[0])).toMatch(
      /^add to `monitor`: `\{valueTracking: \{evidence: "VALUE_REPORT_FILE", cadence: "CADENCE"\}, drift: \[\{id: "DRIFT_ID", .*\}\], triggers: \[\{on: drift_alert, .*\}\]\}`/,
    );
  });

  it('names each missing part of the plan, and the edits that add them', () => {
    const none = rule(
      judge(manifest((m) => (m.monitor = { governance: { body: 'Board' } }))),
      'deploy',
      'D5',
    );
    expect(none.findings.map((f) => [f.code, f.path, f.args.missing])).toEqual([
      [
        'MONITOR_PLAN_INCOMPLETE',
        ['monitor'],
        ['valueTracking.evidence', 'valueTracking.cadence', 'drift', 'triggers'],
      ],
    ]);
    expect(said(none.findings[0])).toBe(
      'the monitoring plan is incomplete: no value-tracking evidence, no value-tracking cadence, no drift check, no triggers',
    );
    expect(fixOf(none.findings[0])).toMatch(
      /^add to `monitor\.valueTracking`: `\{evidence: "VALUE_REPORT_FILE", cadence: "CADENCE"\}`; add to `monitor\.drift`: `\{.*\}`; add to `monitor\.triggers`: `\[.*\]` \(/,
    );
    const noCadence = rule(
      judge(manifest((m) => delete m.monitor!.valueTracking!.cadence)),
      'deploy',
      'D5',
    );
    expect(noCadence.findings.map((f) => f.args.missing)).toEqual([['valueTracking.cadence']]);
    expect(fixOf(noCadence.findings[0])).toBe(
      'set `monitor.valueTracking.cadence` to `"CADENCE"` (cadence: daily, weekly, monthly or quarterly)',
    );
  });

  it('is a plan: reports that are not committed yet do not fail it', () => {
    const report = judge(manifest(), {
      untracked: [`${DIR}/reports/drift.json`, `${DIR}/reports/value-tracking.json`],
    });
    expect(rule(report, 'deploy', 'D5').status).toBe('pass');
    expect(rule(report, 'monitor', 'G1').status).toBe('fail');
  });
});

describe('M1: drift', () => {
  it('needs at least one drift check', () => {
    for (const edit of [
      (m: Manifest) => (m.monitor!.drift = []),
      (m: Manifest) => delete m.monitor!.drift,
    ]) {
      const m1 = rule(judge(manifest(edit)), 'monitor', 'M1');
      expect(m1.status).toBe('fail');
      expect(codes(m1)).toEqual(['DRIFT_NONE']);
    }
    const m1 = rule(judge(manifest((m) => delete m.monitor)), 'monitor', 'M1');
    expect(codes(m1)).toContain('DRIFT_NONE');
  });

  it('judges a p-value from below: under min fails, under warn warns', () => {
    const ks = (m: Manifest): void => {
      m.monitor!.drift = [
        {
          id: 'score-ks',
          type: 'prediction',
          method: 'ks',
          statistic: 'pvalue',
          min: 0.05,
          warn: 0.1,
          cadence: 'weekly',
          evidence: 'reports/drift.json',
        },
      ];
    };
    const at = (p: number): RuleResult =>
      rule(
        judge(manifest(ks), { reports: { 'reports/drift.json': { metrics: { 'score-ks': p } } } }),
        'monitor',
        'M1',
      );
    expect(at(0.2).status).toBe('pass');
    expect(at(0.05).status).toBe('warning');
    const warned = at(0.07);
    expect(warned.findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['DRIFT_BELOW_WARN', 'warning', ['monitor', 'drift', 0, 'warn']],
    ]);
    expect(said(warned.findings[0])).toBe(
      'drift check `score-ks`: the ks p-value is 0.07 in models/churn/reports/drift.json#/metrics/score-ks, below warn 0.1 (min 0.05)',
    );
    const failed = at(0.01);
    expect(failed.status).toBe('fail');
    expect(failed.findings.map((f) => [f.code, f.path])).toEqual([
      ['DRIFT_BELOW_MIN', ['monitor', 'drift', 0, 'min']],
    ]);
    expect(fixOf(failed.findings[0])).toBe(
      'investigate the drift and act on the drift_alert trigger (retrain or reassess); then commit the new report: `git add models/churn/reports/drift.json && git commit -m "Update evidence of churn"`',
    );
  });

  it('still judges a distance from above', () => {
    const at = (v: number): string[] =>
      codes(
        rule(
          judge(manifest(), { reports: { 'reports/drift.json': { metrics: { 'score-psi': v } } } }),
          'monitor',
          'M1',
        ),
      );
    expect(at(0.05)).toEqual([]);
    expect(at(0.15)).toEqual(['DRIFT_ABOVE_WARN']);
    expect(at(0.3)).toEqual(['DRIFT_ABOVE_MAX']);
  });
});

describe('M1: live guardrail evidence', () => {
  it('reads a guardrail in monitor from its live report, never from its build evidence', () => {
    const low = judge(manifest(), {
      reports: { 'reports/live-fairness.json': { disparate_impact_ratio: 0.7 } },
    });
    expect(rule(low, 'build', 'B3').status).toBe('pass');
    const m1 = rule(low, 'monitor', 'M1');
    expect(m1.findings.map((f) => [f.code, f.args.value, f.args.path])).toEqual([
      ['GUARDRAIL_OUT_OF_BOUNDS', 0.7, 'models/churn/reports/live-fairness.json'],
    ]);
  });

  it('fails a guardrail active in monitor without live evidence, and reads nothing for it', () => {
    const m = manifest(
      (x) => delete x.envision.trustworthyAI!.fairImpartial!.guardrails![0]!.monitor,
    );
    const m1 = rule(judge(m), 'monitor', 'M1');
    expect(m1.findings.map((f) => [f.code, f.path, f.args.id])).toEqual([
      [
        'GUARDRAIL_NO_LIVE_EVIDENCE',
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0],
        'parity',
      ],
    ]);
    expect(said(m1.findings[0])).toBe(
      'guardrail `parity` (disparate_impact_ratio) is active in monitor but has no live evidence: nothing shows how it holds in production',
    );
    expect(fixOf(m1.findings[0])).toBe(
      'add to `envision.trustworthyAI.fairImpartial.guardrails[0]`: `{monitor: {evidence: "LIVE_EVIDENCE_FILE", cadence: "CADENCE"}}` (evidence: the committed report production refreshes, holding disparate_impact_ratio; cadence: daily, weekly, monthly or quarterly), or, if it guards the build only, set `envision.trustworthyAI.fairImpartial.guardrails[0].phases` to `[build]`',
    );
    // a guardrail of monitor only whose evidence was its live report: the hint moves it
    const old = manifest((x) => {
      const g = x.envision.trustworthyAI!.fairImpartial!.guardrails![0]!;
      delete g.monitor;
      g.phases = ['monitor'];
      g.evidence = 'reports/live-fairness.json';
    });
    const moved = rule(judge(old), 'monitor', 'M1').findings;
    expect(moved.map((f) => f.code)).toEqual(['GUARDRAIL_NO_LIVE_EVIDENCE']);
    expect(fixOf(moved[0])).toBe(
      'it guards monitor only, where `evidence` is not read: name its live report under `monitor`: add to `envision.trustworthyAI.fairImpartial.guardrails[0]`: `{monitor: {evidence: reports/live-fairness.json, cadence: "CADENCE"}}` (cadence: daily, weekly, monthly or quarterly); its `evidence` is then read by nothing and can go',
    );
    // followed without removing `evidence`, it passes: no phase reads that as build evidence
    old.envision.trustworthyAI!.fairImpartial!.guardrails![0]!.monitor = {
      evidence: 'reports/live-fairness.json',
      cadence: 'monthly',
    };
    expect(rule(judge(old), 'monitor', 'M1').findings).toEqual([]);
    // a guardrail of build only needs none
    const buildOnly = manifest((x) => {
      const g = x.envision.trustworthyAI!.fairImpartial!.guardrails![0]!;
      delete g.monitor;
      g.phases = ['build'];
    });
    expect(rule(judge(buildOnly), 'monitor', 'M1').findings).toEqual([]);
  });

  it('fails live evidence that a guardrail or a build evaluation names as build evidence', () => {
    const own = manifest((x) => {
      x.envision.trustworthyAI!.fairImpartial!.guardrails![0]!.monitor!.evidence =
        './reports/backtest.json';
    });
    const m1 = rule(judge(own), 'monitor', 'M1');
    expect(m1.findings.map((f) => [f.code, f.path])).toEqual([
      [
        'GUARDRAIL_LIVE_IS_BUILD_EVIDENCE',
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0, 'monitor', 'evidence'],
      ],
    ]);
    expect(said(m1.findings[0])).toBe(
      'guardrail `parity`: its live evidence models/churn/reports/backtest.json is its own build evidence; monitor reads a report refreshed in production, not a build report',
    );
    expect(fixOf(m1.findings[0])).toBe(
      'set `envision.trustworthyAI.fairImpartial.guardrails[0].monitor.evidence` to `"LIVE_EVIDENCE_FILE"`: the report production refreshes monthly, holding disparate_impact_ratio, in a file no build evidence names; commit it',
    );
    const evaluation = manifest((x) => {
      x.envision.trustworthyAI!.fairImpartial!.guardrails![0]!.monitor!.evidence = {
        path: 'reports/eval.json',
        pointer: '/fairness',
      };
    });
    expect(said(rule(judge(evaluation), 'monitor', 'M1').findings[0])).toBe(
      'guardrail `parity`: its live evidence models/churn/reports/eval.json is the evidence of build evaluation `gbm-churn`; monitor reads a report refreshed in production, not a build report',
    );
    // the build evidence of another guardrail counts; the `evidence` of one of monitor only, which
    // no phase reads, does not
    const other = (phases: ('build' | 'monitor')[]) =>
      manifest((x) => {
        const auc = x.envision.trustworthyAI!.robustReliable!.guardrails![0]!;
        auc.phases = phases;
        auc.evidence = 'reports/live-fairness.json';
        auc.monitor = { evidence: 'reports/drift.json', cadence: 'weekly' };
      });
    const o = rule(judge(other(['build'])), 'monitor', 'M1').findings;
    expect(o.map((f) => [f.code, f.args.id, f.args.siteItem])).toEqual([
      ['GUARDRAIL_LIVE_IS_BUILD_EVIDENCE', 'parity', 'auc'],
    ]);
    expect(said(o[0])).toBe(
      'guardrail `parity`: its live evidence models/churn/reports/live-fairness.json is the build evidence of guardrail `auc`; monitor reads a report refreshed in production, not a build report',
    );
    expect(
      rule(judge(other(['monitor'])), 'monitor', 'M1').findings.map((f) => [f.code, f.args.id]),
    ).toEqual([['GUARDRAIL_UNOBSERVED', 'auc']]);
  });
});

describe('live guardrail evidence: collected, judged by G1 and dated for M2', () => {
  it('is the evidence of the guardrail in monitor, and its history is read', () => {
    const refs = collectEvidence(manifest(), `${DIR}/mlops.yaml`);
    const parity = refs.filter((r) => r.item === 'parity');
    expect(parity.map((r) => [r.phase, r.repoPath, r.at])).toEqual([
      [
        'build',
        `${DIR}/reports/backtest.json`,
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0, 'evidence'],
      ],
      [
        'monitor',
        `${DIR}/reports/live-fairness.json`,
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0, 'monitor', 'evidence'],
      ],
    ]);
    expect(historyEvidence(manifest(), refs).dates).toContain(`${DIR}/reports/live-fairness.json`);
    expect(historyEvidence(manifest(), refs).dates).not.toContain(`${DIR}/reports/backtest.json`);
  });

  it('G1 judges live evidence in monitor', () => {
    const report = judge(manifest(), { untracked: [`${DIR}/reports/live-fairness.json`] });
    expect(rule(report, 'build', 'G1').status).toBe('pass');
    expect(rule(report, 'monitor', 'G1').findings.map((f) => [f.code, f.path])).toEqual([
      [
        'EVIDENCE_UNTRACKED',
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0, 'monitor', 'evidence'],
      ],
    ]);
  });

  it('M2: live evidence committed longer ago than its cadence fails', () => {
    const dates: Record<string, string> = {
      ...Object.fromEntries(Object.keys(REPORTS).map((p) => [p, '2026-11-24'])),
      'reports/live-fairness.json': '2024-12-27',
    };
    const m2 = rule(judge(manifest(), { dates }), 'monitor', 'M2');
    expect(m2.status).toBe('fail');
    expect(m2.findings.map((f) => [f.code, f.path, f.args])).toEqual([
      [
        'MONITORING_STALE',
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0, 'monitor', 'evidence'],
        expect.objectContaining({
          subject: 'guardrail',
          id: 'parity',
          dimension: 'fairImpartial',
          index: 0,
          date: '2024-12-27',
          age: 700,
          cadence: 'monthly',
          days: 31,
        }),
      ],
    ]);
    const never = { ...dates };
    delete never['reports/live-fairness.json'];
    expect(codes(rule(judge(manifest(), { dates: never }), 'monitor', 'M2'))).toEqual([
      'MONITORING_NEVER_COMMITTED',
    ]);
    const fresh = { ...dates, 'reports/live-fairness.json': '2026-11-01' };
    expect(rule(judge(manifest(), { dates: fresh }), 'monitor', 'M2').status).toBe('pass');
  });
});

describe('M4: a dated governance review at tier high and critical', () => {
  const undated = (tier: string) =>
    manifest((m) => {
      m.metadata.riskTier = tier as Manifest['metadata']['riskTier'];
      delete m.monitor!.governance!.nextReview;
    });

  it('fails at high and critical without nextReview, and not below', () => {
    for (const tier of ['high', 'critical']) {
      const m4 = rule(judge(undated(tier)), 'monitor', 'M4');
      expect(m4.findings.map((f) => [f.code, f.path, f.args.tier])).toEqual([
        ['GOVERNANCE_REVIEW_UNDATED', ['monitor', 'governance'], tier],
      ]);
      expect(m4.status).toBe('fail');
    }
    for (const tier of ['low', 'medium'])
      expect(rule(judge(undated(tier)), 'monitor', 'M4').findings).toEqual([]);
  });

  it('a review date that has passed is overdue at any tier', () => {
    const m = manifest((x) => (x.monitor!.governance!.nextReview = '2026-11-01'));
    expect(codes(rule(judge(m), 'monitor', 'M4'))).toEqual(['GOVERNANCE_OVERDUE']);
  });
});

describe('validate: drift bounds by what the number is', () => {
  const drift = (...checks: Record<string, unknown>[]) =>
    checkConsistency({ monitor: { drift: checks } }).map((p) => ({
      code: p.code,
      path: p.path,
      message: describeFinding(p).message,
      hint: describeFinding(p).hint,
      ...(p.fix ? { fix: p.fix } : {}),
    }));

  it('knows the statistic of each method', () => {
    for (const method of ['psi', 'jensenshannon', 'wasserstein', 'hellinger', 'kl'])
      expect(driftStatistic({ method })).toBe('distance');
    expect(driftStatistic({ method: 'ks' })).toBeUndefined();
    expect(driftStatistic({ method: 'chi2' })).toBeUndefined();
    expect(driftStatistic({ method: 'ks', statistic: 'pvalue' })).toBe('pvalue');
    expect(driftStatistic({ method: 'psi', statistic: 'pvalue' })).toBe('pvalue');
  });

  it('`method: ks, max: 0.05` must say what its number is, and the fix says how', () => {
    expect(drift({ id: 'd', type: 'data', method: 'ks', max: 0.05 })).toEqual([
      {
        code: 'DRIFT_STATISTIC_UNSTATED',
        path: ['monitor', 'drift', 0, 'method'],
        message:
          'monitor.drift[0]: ks reports either a distance or a p-value; say which with `statistic`: read as a p-value, max 0.05 would alert while the data is stable and pass when it has drifted',
        hint: "if the number is the test's p-value, set `monitor.drift[0].statistic` to `pvalue` and use `min: 0.05` instead of `max: 0.05` (alert when the p-value falls below it), or, if it is the ks distance, set `monitor.drift[0].statistic` to `distance` and keep `max`",
      },
    ]);
    expect(drift({ id: 'd', type: 'data', method: 'chi2', min: 0.01 })).toEqual([
      expect.objectContaining({
        code: 'DRIFT_STATISTIC_UNSTATED',
        fix: {
          kind: 'edit',
          op: 'set',
          path: ['monitor', 'drift', 0, 'statistic'],
          value: 'pvalue',
        },
      }),
    ]);
    expect(drift({ id: 'd', type: 'data', method: 'ks' })[0]!.hint).toBe(
      'add to `monitor.drift[0]`: `{statistic: pvalue, min: "MIN"}` (the p-value below which to alert, e.g. 0.05), or, if the number is the ks distance, add to `monitor.drift[0]`: `{statistic: distance, max: "MAX"}`',
    );
    expect(drift({ id: 'd', type: 'data', method: 'ks', statistic: 'pvalue', min: 0.05 })).toEqual(
      [],
    );
    expect(drift({ id: 'd', type: 'data', method: 'ks', statistic: 'distance', max: 0.1 })).toEqual(
      [],
    );
  });

  it('a bound on the wrong side is an error with the bound to use instead', () => {
    const [psiMin] = drift({ id: 'd', type: 'data', method: 'psi', bins: 10, min: 0.2 });
    expect(psiMin).toEqual({
      code: 'DRIFT_BOUND_WRONG_SIDE',
      path: ['monitor', 'drift', 0, 'min'],
      message:
        'monitor.drift[0].min: psi is a distance (the higher, the more drift), which alerts above `max`; min 0.2 would alert while the data is stable and pass when it has drifted',
      hint: 'use `max: 0.2` instead of `min: 0.2` (alert when the distance rises above it)',
    });
    const [pMax] = drift({ id: 'd', type: 'data', method: 'ks', statistic: 'pvalue', max: 0.05 });
    expect(pMax!.code).toBe('DRIFT_BOUND_WRONG_SIDE');
    expect(pMax!.hint).toBe(
      'use `min: 0.05` instead of `max: 0.05` (alert when the p-value falls below it), or, if the number is a distance, set `monitor.drift[0].statistic` to `distance` and keep `max`',
    );
    const [both] = drift({ id: 'd', type: 'data', method: 'hellinger', min: 0.1, max: 0.3 });
    expect(both!.hint).toBe('remove `min` from `monitor.drift[0]`: max 0.3 is its alert bound');
  });

  it('a drift check without an alert bound, or warning beyond it, is an error', () => {
    expect(
      drift({ id: 'd', type: 'data', method: 'wasserstein' }).map((p) => [p.code, p.hint]),
    ).toEqual([
      [
        'DRIFT_BOUND_MISSING',
        'add to `monitor.drift[0]`: `{max: "MAX"}` (the wasserstein above which to alert)',
      ],
    ]);
    expect(drift({ id: 'd', type: 'data', method: 'chi2', statistic: 'pvalue' })[0]!.code).toBe(
      'DRIFT_BOUND_MISSING',
    );
    expect(
      drift(
        { id: 'a', type: 'data', method: 'kl', max: 0.2, warn: 0.3 },
        { id: 'b', type: 'data', method: 'ks', statistic: 'pvalue', min: 0.05, warn: 0.01 },
        { id: 'c', type: 'data', method: 'kl', max: 0.2, warn: 0.2 },
        { id: 'e', type: 'data', method: 'ks', statistic: 'pvalue', min: 0.05, warn: 0.1 },
      ).map((p) => [p.code, p.path, p.message]),
    ).toEqual([
      [
        'DRIFT_WARN_BEYOND_ALERT',
        ['monitor', 'drift', 0, 'warn'],
        'monitor.drift[0].warn: warn 0.3 is above max 0.2, so the alert comes before the warning',
      ],
      [
        'DRIFT_WARN_BEYOND_ALERT',
        ['monitor', 'drift', 1, 'warn'],
        'monitor.drift[1].warn: warn 0.01 is below min 0.05, so the alert comes before the warning',
      ],
    ]);
  });

  it('PSI still states its bins', () => {
    expect(drift({ id: 'd', type: 'data', method: 'psi', max: 0.25 }).map((p) => p.code)).toEqual([
      'PSI_BINS_MISSING',
    ]);
  });
});
