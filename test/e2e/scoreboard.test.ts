/**
 * The scoreboard through the built CLI in a temporary repository: `check` shows every
 * guardrail's, drift check's and value metric's observed value with its bounds, where it was
 * read and how it stands, passing or not: compact in text, every one with --verbose, all in
 * json and the failing ones in markdown.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, gitDir } from '../helpers/gitdir.js';

const TODAY = ['--today', '2026-11-27'];
/** Each case runs git and the CLI several times, on a machine that may be busy. */
const SLOW = 120_000;

/**
 * A churn model in monitor that the whole of readiness can judge: a value metric with its
 * minimum and date, both candidates' projections, guardrails with build and live evidence, a
 * distance and a p-value drift check, the monitoring plan and governance.
 */
const MANIFEST = `apiVersion: mlops/v1
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
deploy:
  dataProtection: { personalData: false }
  securityReview:
    threatModel: docs/threat-model.md
    openFindings: { critical: 0, high: 0 }
  integration:
    runbook: docs/runbook.md
    rollback: Route the queue back to the rules.
  valueMeasurement:
    - { valueMetric: churn, design: ab_test }
monitor:
  drift:
    - { id: score-drift, type: prediction, method: psi, bins: 10, max: 0.25, warn: 0.1, cadence: weekly, evidence: reports/live.json }
    - { id: tenure-ks, type: data, method: ks, statistic: pvalue, min: 0.01, warn: 0.05, cadence: weekly, evidence: reports/live.json }
  valueTracking: { cadence: monthly, evidence: reports/value.json }
  triggers:
    - { on: drift_alert, action: retrain, owner: ds }
    - { on: value_below_minimum, action: reassess, owner: pm }
    - { on: incident, action: rollback, owner: ds }
  governance: { body: Retention AI board, reviewCadence: quarterly, nextReview: 2027-03-01 }
`;

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

interface Reports {
  metrics?: unknown;
  live?: unknown;
  gbm?: number;
  value?: unknown;
}

/** A repository with the model under models/churn, everything committed on 2026-11-20. */
function repo(reports: Reports = {}): string {
  const dir = gitDir();
  const files: Record<string, string> = {
    'models/churn/mlops.yaml': MANIFEST,
    'models/churn/reports/metrics.json': json(
      reports.metrics ?? {
        metrics: {
          disparate_impact_ratio: 0.86,
          roc_auc: 0.81,
          explanation_coverage: 0.95,
          pii_feature_count: 0,
          invalid_input_acceptance_rate: 0,
        },
      },
    ),
    'models/churn/reports/live.json': json(
      reports.live ?? {
        metrics: { disparate_impact_ratio: 0.84, decision_log_completeness: 0.995 },
        'score-drift': 0.05,
        'tenure-ks': 0.3,
      },
    ),
    'models/churn/reports/gbm-value.json': json({
      metrics: { projected_churn: reports.gbm ?? 1.7 },
    }),
    'models/churn/reports/rules-value.json': json({ metrics: { projected_churn: 1.88 } }),
    'models/churn/reports/value.json': json(reports.value ?? { churn: 1.75 }),
    'models/churn/docs/model-card.md': '# Model card\n',
    'models/churn/docs/threat-model.md': '# Threat model\n',
    'models/churn/docs/runbook.md': '# Runbook\n',
  };
  commitFiles(dir, files, 'churn model', '2026-11-20T12:00:00Z');
  return dir;
}

interface Source {
  path: string;
  pointer?: string;
  date?: string;
}
interface Board {
  observed?: number;
  bounds: Record<string, number>;
  source?: Source;
  status: string;
}
interface CheckJson {
  manifests: {
    phases: {
      phase: string;
      rules: { id: string; status: string; findings: { code: string }[] }[];
    }[];
    values: (Board & { id: string; projections?: Record<string, unknown> })[];
    guardrails: (Board & { id: string; phase: string; dimension: string; metric: string })[];
    drift: (Board & { id: string; method: string; statistic: string })[];
  }[];
}

function checkJson(dir: string, args: string[] = [], cwd = dir): CheckJson['manifests'][number] {
  const r = runBin(['check', '--format', 'json', ...TODAY, ...args], cwd);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as CheckJson).manifests[0]!;
}

function ruleOf(m: CheckJson['manifests'][number], phase: string, id: string) {
  const r = m.phases.find((p) => p.phase === phase)!.rules.find((x) => x.id === id)!;
  return { status: r.status, codes: r.findings.map((f) => f.code) };
}

describe('the scoreboard of mlops check', () => {
  it(
    'shows a passing disparate impact of 0.86 in json and with --verbose, and counts it in compact text',
    () => {
      const dir = repo();
      const m = checkJson(dir);
      expect(ruleOf(m, 'build', 'B3')).toEqual({ status: 'pass', codes: [] });
      expect(m.guardrails.find((g) => g.id === 'parity' && g.phase === 'build')).toEqual({
        id: 'parity',
        dimension: 'fairImpartial',
        metric: 'disparate_impact_ratio',
        phase: 'build',
        observed: 0.86,
        bounds: { min: 0.8 },
        source: {
          path: 'models/churn/reports/metrics.json',
          pointer: '/metrics/disparate_impact_ratio',
        },
        status: 'pass',
      });
      expect(m.guardrails.map((g) => [g.id, g.phase, g.observed, g.status])).toEqual([
        ['parity', 'build', 0.86, 'pass'],
        ['parity', 'monitor', 0.84, 'pass'],
        ['auc', 'build', 0.81, 'pass'],
        ['reasons', 'build', 0.95, 'pass'],
        ['pii', 'build', 0, 'pass'],
        ['bad-input', 'build', 0, 'pass'],
        ['log', 'monitor', 0.995, 'pass'],
      ]);
      // live evidence, with the date of its last commit
      expect(m.guardrails[1]!.source).toEqual({
        path: 'models/churn/reports/live.json',
        pointer: '/metrics/disparate_impact_ratio',
        date: '2026-11-20',
      });
      expect(m.drift.map((d) => [d.id, d.statistic, d.observed, d.bounds, d.status])).toEqual([
        ['score-drift', 'distance', 0.05, { max: 0.25, warn: 0.1 }, 'pass'],
        ['tenure-ks', 'pvalue', 0.3, { min: 0.01, warn: 0.05 }, 'pass'],
      ]);

      const verbose = runBin(['check', '--verbose', ...TODAY], dir);
      expect(verbose.stderr).toBe('');
      expect(verbose.stdout).toContain(
        [
          '  guardrails (observed, bounds)',
          '    parity     build    disparate_impact_ratio 0.86      ≥ 0.8   within bounds  (models/churn/reports/metrics.json#/metrics/disparate_impact_ratio)',
          '    parity     monitor  disparate_impact_ratio 0.84      ≥ 0.8   within bounds  (models/churn/reports/live.json#/metrics/disparate_impact_ratio, committed 2026-11-20)',
        ].join('\n'),
      );
      expect(verbose.stdout).toContain(
        '    tenure-ks    ks   0.3   ≥ 0.01, warn below 0.05  within bounds  (models/churn/reports/live.json#/tenure-ks, committed 2026-11-20)',
      );

      const compact = runBin(['check', ...TODAY], dir);
      expect(compact.stdout).not.toContain('0.86');
      expect(compact.stdout).toContain(
        [
          '  guardrails (observed, bounds)',
          '    7 guardrails within bounds (5 in build, 2 in monitor); --verbose lists every one',
          '  drift (observed, bounds)',
          '    2 drift checks within bounds; --verbose lists every one',
        ].join('\n'),
      );
    },
    SLOW,
  );

  it(
    'lists what fails or warns in compact text, as the rules judge it, with where it was read',
    () => {
      const dir = repo({
        live: {
          metrics: { disparate_impact_ratio: 0.79, decision_log_completeness: 0.995 },
          'score-drift': 0.12,
          'tenure-ks': 0.004,
        },
      });
      const m = checkJson(dir);
      expect(ruleOf(m, 'monitor', 'M1')).toEqual({
        status: 'fail',
        codes: ['DRIFT_ABOVE_WARN', 'DRIFT_BELOW_MIN', 'GUARDRAIL_OUT_OF_BOUNDS'],
      });
      expect(m.guardrails.filter((g) => g.status !== 'pass').map((g) => [g.id, g.phase])).toEqual([
        ['parity', 'monitor'],
      ]);
      expect(m.drift.map((d) => d.status)).toEqual(['warn', 'fail']);

      const r = runBin(['check', ...TODAY], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        [
          '  guardrails (observed, bounds)',
          '    parity  monitor  disparate_impact_ratio 0.79  ≥ 0.8  out of bounds  (models/churn/reports/live.json#/metrics/disparate_impact_ratio, committed 2026-11-20)',
          '    6 more guardrails within bounds (5 in build, 1 in monitor); --verbose lists every one',
          '  drift (observed, bounds)',
          '    score-drift  psi  0.12   ≤ 0.25, warn above 0.1   warning        (models/churn/reports/live.json#/score-drift, committed 2026-11-20)',
          '    tenure-ks    ks   0.004  ≥ 0.01, warn below 0.05  out of bounds  (models/churn/reports/live.json#/tenure-ks, committed 2026-11-20)',
        ].join('\n'),
      );

      const md = runBin(['check', '--format', 'markdown', ...TODAY], dir);
      expect(md.stdout).toContain(
        [
          '| guardrail or drift check | phase | observed | bounds | |',
          '|---|---|---|---|---|',
          '| guardrail `parity` | monitor | disparate_impact_ratio 0.79 | ≥ 0.8 | ❌ out of bounds |',
          '| drift `score-drift` | monitor | psi 0.12 | ≤ 0.25, warn above 0.1 | ⚠️ warning |',
          '| drift `tenure-ks` | monitor | ks 0.004 | ≥ 0.01, warn below 0.05 | ❌ out of bounds |',
          '',
          '6 more guardrails within bounds (5 in build, 1 in monitor).',
        ].join('\n'),
      );
    },
    SLOW,
  );

  it(
    'shows the selected projection beside the baseline candidate’s, the minimum and the target',
    () => {
      // the case: churn 2.4 projected against a baseline of 1.9 and a target of 1.6,
      // the baseline candidate projecting 1.88; nothing tracked in production yet
      const dir = repo({ gbm: 2.4, value: {} });
      const m = checkJson(dir, ['--phase', 'build']);
      expect(ruleOf(m, 'build', 'B2').codes).toContain('VALUE_PROJECTION_BELOW_MINIMUM');
      expect(m.values).toEqual([
        expect.objectContaining({
          id: 'churn',
          observed: 2.4,
          bounds: { baseline: 1.9, minimum: 1.8, target: 1.6 },
          source: {
            kind: 'build',
            evaluation: 'gbm-churn',
            path: 'models/churn/reports/gbm-value.json',
            pointer: '/metrics/projected_churn',
          },
          status: 'failing',
          projections: {
            selected: {
              candidate: 'gbm',
              evaluation: 'gbm-churn',
              observed: 2.4,
              source: {
                path: 'models/churn/reports/gbm-value.json',
                pointer: '/metrics/projected_churn',
              },
            },
            baseline: {
              candidate: 'rules',
              evaluation: 'rules-churn',
              observed: 1.88,
              source: {
                path: 'models/churn/reports/rules-value.json',
                pointer: '/metrics/projected_churn',
              },
            },
          },
        }),
      ]);
      const r = runBin(['check', '--phase', 'build', ...TODAY], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        '  value metrics (baseline → target → observed)\n    churn  1.9 → 1.6 → 2.4  failing  (minimum 1.8; projected by evaluation gbm-churn; baseline candidate rules 1.88)\n',
      );
    },
    SLOW,
  );

  it(
    'gives json paths from the repository root and text paths from the folder it runs in',
    () => {
      const dir = repo();
      const m = checkJson(dir, [], join(dir, 'models/churn'));
      expect(m.guardrails[0]!.source!.path).toBe('models/churn/reports/metrics.json');
      expect(m.drift[0]!.source!.path).toBe('models/churn/reports/live.json');
      expect(m.values[0]!.source!.path).toBe('models/churn/reports/value.json');
      const projections = m.values[0]!.projections as Record<string, { source: Source }>;
      expect(projections.baseline!.source.path).toBe('models/churn/reports/rules-value.json');
      const r = runBin(['check', '--verbose', ...TODAY], join(dir, 'models/churn'));
      expect(r.stdout).toContain(
        '    auc        build    roc_auc 0.81                     ≥ 0.7   within bounds  (reports/metrics.json#/metrics/roc_auc)',
      );
      expect(r.stdout).toContain(
        '    churn  1.9 → 1.6 → 1.75  at risk  (minimum 1.8; reports/value.json#/churn, committed 2026-11-20)',
      );
    },
    SLOW,
  );
});
