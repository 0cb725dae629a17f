/**
 * The monitor part of "value proven, not asserted", through the built CLI in a temporary
 * repository: the monitoring plan at deploy (D5), drift checks required and judged by what their
 * number is (M1, validate), live guardrail evidence that is not build evidence (M1) and fresh
 * (M2), and a dated governance review at tier high (M4).
 */
import { describe, expect, it, vi } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, writeFiles } from '../helpers/gitdir.js';

// each case builds a repository and runs the CLI several times
vi.setConfig({ testTimeout: 120_000 });

const TODAY = '2026-11-27';
const RECENT = '2026-11-24T09:00:00Z';
const M = 'models/churn/mlops.yaml';

const DRIFT_PSI =
  '    - { id: score-psi, type: prediction, method: psi, bins: 10, warn: 0.1, max: 0.25, cadence: weekly, evidence: reports/drift.json }\n';

const MONITOR = `monitor:
  drift:
${DRIFT_PSI}  valueTracking: { evidence: reports/value-tracking.json, cadence: monthly }
  triggers:
    - { on: drift_alert, action: retrain, owner: ds }
    - { on: value_below_minimum, action: reassess, owner: dm }
    - { on: incident, action: rollback, owner: pm }
  governance: { body: Model board, reviewCadence: quarterly, nextReview: 2099-01-01 }
`;

/** A manifest complete for every rule of every phase, at tier medium, with `monitor` as given. */
function manifest(monitor = MONITOR, tier = 'medium', parityMonitor = PARITY_LIVE): string {
  return `apiVersion: mlops/v1
kind: ModelManifest

metadata:
  name: churn
  version: 1.0.0
  owner: { name: Ann Lee }
  riskTier: ${tier}
  status: monitor

envision:
  hypothesis: If we call the customers most likely to leave, then fewer of them leave, measured by monthly churn.
  stakeholders:
    - { id: dm, name: Dana Miles, role: decision_maker, email: dana@example.com }
    - { id: pm, name: Pat Moss, role: ai_product_manager }
    - { id: ds, name: Sam Diaz, role: data_science }
    - { id: expert, name: Eve Ray, role: domain_expert }
    - { id: risk, name: Rob Ito, role: risk_2nd_line, email: rob@example.com }
  valueMetrics:
    - id: churn
      name: Monthly churn
      unit: percent
      direction: decrease
      baseline: { value: 1.9 }
      target: { value: 1.6, by: 2099-12-31 }
      minimumAcceptable: 1.8
      owner: dm
      cadence: monthly
  risks:
    - id: unfair-offers
      title: Retention offers favour some age groups
      dimension: fairImpartial
      likelihood: 2
      impact: 3
      treatment: mitigate
      mitigation: Parity is measured in build and in production.
      owner: ds
      lineOfDefense: 1
      guardrails: [parity]
  trustworthyAI:
    fairImpartial:
      rigor: standard
      guardrails:
        - id: parity
          metric: disparate_impact_ratio
          min: 0.8
          evidence: reports/backtest.json
${parityMonitor}    robustReliable:
      rigor: standard
      guardrails:
        - { id: auc, metric: roc_auc, min: 0.7, phases: [build], evidence: reports/backtest.json }
    transparentExplainable:
      rigor: standard
      excluded: true
      justification: Agents see the reasons of every call list.
    privacy:
      rigor: standard
      excluded: true
      justification: Aggregated contract data only; no personal data leaves the warehouse.
    safeSecure:
      rigor: standard
      excluded: true
      justification: Internal batch scoring behind the CRM.
    responsibleAccountable:
      rigor: standard
      excluded: true
      justification: Agents decide every call.

build:
  candidates:
    - { id: rules, baseline: true }
    - { id: gbm }
  selected: { candidate: gbm, rationale: Lowest projected churn. }
  evaluations:
    - { id: gbm-churn, candidate: gbm, metric: projected_churn, kind: value, valueMetric: churn, evidence: reports/backtest.json }
    - { id: rules-churn, candidate: rules, metric: rules_projected_churn, kind: value, valueMetric: churn, evidence: reports/backtest.json }
  datasets:
    - { id: contracts, role: train, uri: 's3://churn/contracts', personalData: false }
  modelCard: docs/model-card.md

deploy:
  dataProtection: { personalData: false }
  securityReview:
    threatModel: docs/threat-model.md
    openFindings: { critical: 0, high: 0 }
  integration:
    runbook: docs/runbook.md
    rollback: Switch the call list back to the rules.
    humanOversight: { mode: on_loop, procedure: docs/runbook.md }
  valueMeasurement:
    - { valueMetric: churn, design: holdout }

${monitor}`;
}

const PARITY_LIVE =
  '          monitor: { evidence: reports/live-fairness.json, cadence: monthly }\n';

/** The evidence of the manifest, each report holding what its rules read. */
const EVIDENCE: Record<string, string> = {
  'models/churn/reports/backtest.json': JSON.stringify({
    metrics: {
      projected_churn: 1.7,
      rules_projected_churn: 1.88,
      disparate_impact_ratio: 0.91,
      roc_auc: 0.81,
    },
  }),
  'models/churn/reports/drift.json': JSON.stringify({ metrics: { 'score-psi': 0.05 } }),
  'models/churn/reports/value-tracking.json': JSON.stringify({ metrics: { churn: 1.7 } }),
  'models/churn/docs/model-card.md': '# Model card\n',
  'models/churn/docs/threat-model.md': '# Threat model\n',
  'models/churn/docs/runbook.md': '# Runbook\n',
};
const LIVE = { 'models/churn/reports/live-fairness.json': '{"disparate_impact_ratio": 0.86}' };

/** The git identity of each approver: an approval counts when its approver committed it. */
const SIGNERS: Record<string, { name: string; email: string }> = {
  dm: { name: 'Dana Miles', email: 'dana@example.com' },
  risk: { name: 'Rob Ito', email: 'rob@example.com' },
};

/**
 * A repository holding the manifest and its evidence, committed recently and, when `sign`,
 * signed off for envision, build and deploy, each approver committing their own approvals;
 * the live fairness report committed on `liveDate`.
 */
function repo(text = manifest(), liveDate = RECENT, sign = true): string {
  const dir = gitDir();
  commitFiles(dir, LIVE, 'live fairness report', liveDate);
  commitFiles(dir, { ...EVIDENCE, [M]: text }, 'churn model', RECENT);
  if (!sign) return dir;
  const signers = text.includes('riskTier: high') ? ['dm', 'risk'] : ['dm'];
  for (const by of signers) {
    for (const phase of ['envision', 'build', 'deploy']) {
      const r = runBin(['approve', M, '--phase', phase, '--by', by, '--date', '2026-11-24'], dir);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    const { name, email } = SIGNERS[by]!;
    git(dir, ['commit', '-q', '-am', `sign off by ${by}`], {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_AUTHOR_DATE: RECENT,
      GIT_COMMITTER_DATE: RECENT,
    });
  }
  return dir;
}

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  fix?: string;
  at: (string | number)[];
  args: Record<string, unknown>;
}
interface JsonRule {
  id: string;
  status: string;
  findings: JsonFinding[];
}
interface JsonReport {
  manifests: { phases: { phase: string; ready: boolean; rules: JsonRule[] }[] }[];
}

function check(dir: string, phase = 'monitor'): { code: number; json: JsonReport; stderr: string } {
  const r = runBin(['check', M, '--phase', phase, '--today', TODAY, '--format', 'json'], dir);
  return { code: r.code, json: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

function ruleOf(json: JsonReport, phase: string, id: string): JsonRule {
  const r = json.manifests[0]!.phases.find((p) => p.phase === phase)!.rules.find(
    (x) => x.id === id,
  );
  if (!r) throw new Error(`no rule ${id} in ${phase}`);
  return r;
}

const codes = (r: JsonRule): string[] => r.findings.map((f) => f.code);

function failing(json: JsonReport, phase: string): string[] {
  return json.manifests[0]!.phases.find((p) => p.phase === phase)!
    .rules.filter((r) => r.status === 'fail')
    .map((r) => r.id);
}

describe('the complete manifest', () => {
  it('passes D5, M1, M2 and M4 with its plan, drift check, live evidence and dated review', () => {
    const dir = repo();
    const { json, stderr } = check(dir);
    expect(stderr).toBe('');
    expect(ruleOf(json, 'deploy', 'D5').status).toBe('pass');
    for (const id of ['M1', 'M2', 'M4']) expect(ruleOf(json, 'monitor', id).status).toBe('pass');
    const all = ['envision', 'build', 'deploy', 'monitor'].map((p) => [p, failing(json, p)]);
    expect(all).toEqual(['envision', 'build', 'deploy', 'monitor'].map((p) => [p, []]));
  });
});

describe('D5: a monitoring plan before deploy', () => {
  it('fails deploy (exit 1) when there is no monitor section, with the section to add', () => {
    const dir = repo(manifest(''));
    const { code, json } = check(dir, 'deploy');
    expect(code).toBe(1);
    const d5 = ruleOf(json, 'deploy', 'D5');
    expect(d5.status).toBe('fail');
    expect(codes(d5)).toEqual(['MONITOR_PLAN_MISSING']);
    expect(d5.findings[0]!.fix).toMatch(/^add to `monitor`: `\{valueTracking: \{evidence: /);
    expect(failing(json, 'deploy')).toEqual(['D5']);
    const text = runBin(['check', M, '--phase', 'deploy', '--today', TODAY], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('D5  Monitoring planned');
    expect(text.stdout).toContain('no monitor section');
  });

  it('names what an incomplete plan lacks, and passes a plan whose reports are not committed yet', () => {
    const partial = `monitor:\n  valueTracking: { evidence: reports/value-tracking.json }\n  governance: { body: Model board, nextReview: 2099-01-01 }\n`;
    const { json } = check(repo(manifest(partial)), 'deploy');
    const d5 = ruleOf(json, 'deploy', 'D5');
    expect(codes(d5)).toEqual(['MONITOR_PLAN_INCOMPLETE']);
    expect(d5.findings[0]!.args.missing).toEqual(['valueTracking.cadence', 'drift', 'triggers']);
    expect(d5.findings[0]!.fix).toContain('set `monitor.valueTracking.cadence` to `"CADENCE"`');

    const planned = MONITOR.replace('reports/drift.json', 'reports/not-yet.json').replace(
      'reports/value-tracking.json',
      'reports/later.json',
    );
    const plan = check(repo(manifest(planned)), 'deploy');
    expect(ruleOf(plan.json, 'deploy', 'D5').status).toBe('pass');
  });
});

describe('drift checks: required, and bounded by what their number is', () => {
  it('M1 fails without a drift check', () => {
    const noDrift = MONITOR.replace(`  drift:\n${DRIFT_PSI}`, '');
    const { json } = check(repo(manifest(noDrift)));
    const m1 = ruleOf(json, 'monitor', 'M1');
    expect(m1.status).toBe('fail');
    expect(codes(m1)).toEqual(['DRIFT_NONE']);
    expect(m1.findings[0]!.fix).toMatch(/^add to `monitor\.drift`: `\{id: "DRIFT_ID"/);
  });

  it('`method: ks, max: 0.05` is a validate error naming the fix, and check judges nothing', () => {
    const ks =
      '    - { id: score-ks, type: prediction, method: ks, max: 0.05, cadence: weekly, evidence: reports/drift.json }\n';
    const dir = repo(manifest(MONITOR.replace(DRIFT_PSI, ks)), RECENT, false);
    const v = runBin(['validate', M], dir);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('DRIFT_STATISTIC_UNSTATED');
    expect(v.stdout).toContain(
      "if the number is the test's p-value, set `monitor.drift[0].statistic` to `pvalue` and use `min: 0.05` instead of `max: 0.05`",
    );
    const json = JSON.parse(runBin(['validate', M, '--format', 'json'], dir).stdout) as {
      diagnostics: { code: string; severity: string; path: unknown[] }[];
    };
    expect(json.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['DRIFT_STATISTIC_UNSTATED', 'error', ['monitor', 'drift', 0, 'method']],
    ]);
    const c = runBin(['check', M, '--today', TODAY], dir);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('monitor.drift[0]: ks reports either a distance or a p-value');
    expect(c.stdout).toContain('invalid manifest: nothing was judged');
  });

  it('a bound on the wrong side, no alert bound and a warning beyond the alert are validate errors', () => {
    const drift = [
      '    - { id: a, type: data, method: psi, bins: 10, min: 0.2 }',
      '    - { id: b, type: data, method: ks, statistic: pvalue, max: 0.05 }',
      '    - { id: c, type: data, method: chi2, statistic: pvalue }',
      '    - { id: d, type: data, method: wasserstein, max: 0.2, warn: 0.3 }',
      '    - { id: e, type: data, method: ks, statistic: pvalue, min: 0.05, warn: 0.01 }',
      '    - { id: f, type: data, method: kl, max: 0.1, warn: 0.05 }',
    ].join('\n');
    const dir = repo(manifest(MONITOR.replace(DRIFT_PSI, `${drift}\n`)), RECENT, false);
    const json = JSON.parse(runBin(['validate', M, '--format', 'json'], dir).stdout) as {
      diagnostics: { code: string; path: unknown[]; hint?: string }[];
    };
    expect(json.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['DRIFT_BOUND_WRONG_SIDE', ['monitor', 'drift', 0, 'min']],
      ['DRIFT_BOUND_WRONG_SIDE', ['monitor', 'drift', 1, 'max']],
      ['DRIFT_BOUND_MISSING', ['monitor', 'drift', 2]],
      ['DRIFT_WARN_BEYOND_ALERT', ['monitor', 'drift', 3, 'warn']],
      ['DRIFT_WARN_BEYOND_ALERT', ['monitor', 'drift', 4, 'warn']],
    ]);
    expect(json.diagnostics.map((d) => d.hint)).toEqual([
      'use `max: 0.2` instead of `min: 0.2` (alert when the distance rises above it)',
      'use `min: 0.05` instead of `max: 0.05` (alert when the p-value falls below it), or, if the number is a distance, set `monitor.drift[1].statistic` to `distance` and keep `max`',
      'add to `monitor.drift[2]`: `{min: "MIN"}` (the p-value below which to alert, e.g. 0.05)',
      'set `monitor.drift[3].warn` to `"WARN"` (at most max 0.2: the level that warns before the alert), or remove `warn`',
      'set `monitor.drift[4].warn` to `"WARN"` (at least min 0.05: the level that warns before the alert), or remove `warn`',
    ]);
  });

  it('M1 judges a p-value from below: 0.2 with min 0.05 passes, 0.07 under warn 0.1 warns, 0.01 fails', () => {
    const ks =
      '    - { id: score-ks, type: prediction, method: ks, statistic: pvalue, min: 0.05, warn: 0.1, cadence: weekly, evidence: reports/drift.json }\n';
    const dir = repo(manifest(MONITOR.replace(DRIFT_PSI, ks)));
    const at = (p: number): { code: number; m1: JsonRule } => {
      commitFiles(
        dir,
        { 'models/churn/reports/drift.json': JSON.stringify({ metrics: { 'score-ks': p } }) },
        `drift ${p}`,
        RECENT,
      );
      const { code, json } = check(dir);
      return { code, m1: ruleOf(json, 'monitor', 'M1') };
    };
    const stable = at(0.2);
    expect(stable.m1.status).toBe('pass');
    expect(stable.code).toBe(0);

    const close = at(0.07);
    expect(close.m1.status).toBe('warning');
    expect(codes(close.m1)).toEqual(['DRIFT_BELOW_WARN']);

    const drifted = at(0.01);
    expect(drifted.code).toBe(1);
    expect(drifted.m1.status).toBe('fail');
    expect(codes(drifted.m1)).toEqual(['DRIFT_BELOW_MIN']);
    expect(drifted.m1.findings[0]!.message).toBe(
      'drift check `score-ks`: the ks p-value is 0.01 in models/churn/reports/drift.json#/metrics/score-ks, below min 0.05: the data has drifted',
    );
    expect(drifted.m1.findings[0]!.at).toEqual(['monitor', 'drift', 0, 'min']);
  });
});

describe('live guardrail evidence', () => {
  it('M1 reads the live report, not the build one', () => {
    const dir = repo();
    commitFiles(
      dir,
      { 'models/churn/reports/live-fairness.json': '{"disparate_impact_ratio": 0.74}' },
      'live',
      RECENT,
    );
    const m1 = ruleOf(check(dir).json, 'monitor', 'M1');
    expect(m1.status).toBe('fail');
    expect(m1.findings.map((f) => [f.code, f.args.value, f.args.path])).toEqual([
      ['GUARDRAIL_OUT_OF_BOUNDS', 0.74, 'models/churn/reports/live-fairness.json'],
    ]);
  });

  it('a build backtest named as live evidence fails M1', () => {
    const asBuild = '          monitor: { evidence: reports/backtest.json, cadence: monthly }\n';
    const { code, json } = check(repo(manifest(MONITOR, 'medium', asBuild)));
    expect(code).toBe(1);
    const m1 = ruleOf(json, 'monitor', 'M1');
    expect(m1.status).toBe('fail');
    expect(codes(m1)).toEqual(['GUARDRAIL_LIVE_IS_BUILD_EVIDENCE']);
    expect(m1.findings[0]!.at).toEqual([
      'envision',
      'trustworthyAI',
      'fairImpartial',
      'guardrails',
      0,
      'monitor',
      'evidence',
    ]);
    expect(m1.findings[0]!.message).toBe(
      'guardrail `parity`: its live evidence models/churn/reports/backtest.json is its own build evidence; monitor reads a report refreshed in production, not a build report',
    );
    expect(m1.findings[0]!.fix).toMatch(
      /^set `envision\.trustworthyAI\.fairImpartial\.guardrails\[0\]\.monitor\.evidence` to `"LIVE_EVIDENCE_FILE"`/,
    );
  });

  it('a guardrail active in monitor without live evidence fails M1 with the keys to add', () => {
    const { json } = check(repo(manifest(MONITOR, 'medium', '')));
    const m1 = ruleOf(json, 'monitor', 'M1');
    expect(codes(m1)).toEqual(['GUARDRAIL_NO_LIVE_EVIDENCE']);
    expect(m1.findings[0]!.fix).toMatch(
      /^add to `envision\.trustworthyAI\.fairImpartial\.guardrails\[0\]`: `\{monitor: \{evidence: "LIVE_EVIDENCE_FILE", cadence: "CADENCE"\}\}`/,
    );
    // the build evidence alone still serves build
    expect(ruleOf(json, 'build', 'B3').status).toBe('pass');
  });

  it('live evidence that is not committed fails G1 in monitor, not in build', () => {
    const dir = gitDir();
    commitFiles(dir, { ...EVIDENCE, [M]: manifest() }, 'churn model', RECENT);
    writeFiles(dir, LIVE);
    const { json } = check(dir);
    expect(ruleOf(json, 'build', 'G1').status).toBe('pass');
    const g1 = ruleOf(json, 'monitor', 'G1');
    expect(g1.findings.map((f) => [f.code, f.at])).toEqual([
      [
        'EVIDENCE_UNTRACKED',
        ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0, 'monitor', 'evidence'],
      ],
    ]);
  });

  it('a live guardrail report committed 23 months ago fails M2', () => {
    const { code, json } = check(repo(manifest(), '2024-12-27T09:00:00Z'));
    expect(code).toBe(1);
    const m2 = ruleOf(json, 'monitor', 'M2');
    expect(m2.status).toBe('fail');
    expect(
      m2.findings.map((f) => [f.code, f.args.subject, f.args.id, f.args.date, f.args.cadence]),
    ).toEqual([['MONITORING_STALE', 'guardrail', 'parity', '2024-12-27', 'monthly']]);
    expect(m2.findings[0]!.message).toContain(
      'models/churn/reports/live-fairness.json was last committed on 2024-12-27, 700 days before 2026-11-27',
    );
    // the same report, committed within its cadence, is fresh
    expect(ruleOf(check(repo()).json, 'monitor', 'M2').status).toBe('pass');
  });
});

describe('M4: governance review dated at tier high', () => {
  const undated = MONITOR.replace(', nextReview: 2099-01-01', '');

  it('fails at tier high without governance.nextReview, with the key to set', () => {
    const { code, json } = check(repo(manifest(undated, 'high')));
    expect(code).toBe(1);
    const m4 = ruleOf(json, 'monitor', 'M4');
    expect(m4.status).toBe('fail');
    expect(codes(m4)).toEqual(['GOVERNANCE_REVIEW_UNDATED']);
    expect(m4.findings[0]!.message).toBe(
      'the next governance review by Model board has no date; tier high needs one',
    );
    expect(m4.findings[0]!.fix).toBe(
      'set `monitor.governance.nextReview` to `"YYYY-MM-DD"` (the date of the next review)',
    );
  });

  it('passes at tier medium without it, and at tier high with a date to come', () => {
    expect(ruleOf(check(repo(manifest(undated))).json, 'monitor', 'M4').status).toBe('pass');
    const high = check(repo(manifest(MONITOR, 'high')));
    expect(ruleOf(high.json, 'monitor', 'M4').status).toBe('pass');
    // each approver committed their own sign-off: both count
    for (const phase of ['envision', 'build', 'deploy'])
      expect(ruleOf(high.json, phase, 'G3').status).toBe('pass');
  });
});
