/**
 * Rule M3's target date and reassessments, and `mlops approve --reassessment`, through the
 * built CLI in a temporary repository: a model in monitor whose churn target was due a year
 * ago, reassessed, approved, changed and retired.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, gitDir } from '../helpers/gitdir.js';

const TODAY = '2026-11-30';
const M = 'models/churn/mlops.yaml';

/**
 * A manifest complete for every rule, in monitor: churn down from 1.9 to 1.6 by 2025-11-30 (a
 * year before TODAY), at least 1.8; the value report says 1.75. Approvals of the phases are
 * added by `approve` in `repo()`.
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
  hypothesis: If we call customers likely to leave, then fewer leave, measured by monthly churn.
  stakeholders:
    - { id: cco, name: Chief Commercial Officer, role: decision_maker, email: test@example.com }
    - { id: pm, name: Product Manager, role: ai_product_manager }
    - { id: ds, name: Data Scientist, role: data_science }
    - { id: agent, name: Retention Agent, role: end_user }
  valueMetrics:
    - id: churn-rate
      name: Monthly churn
      unit: percent
      direction: decrease
      baseline: { value: 1.9 }
      target: { value: 1.6, by: 2025-11-30 }
      minimumAcceptable: 1.8
      owner: cco
      cadence: monthly
  risks:
    - { id: unfair, title: Some customers get fewer offers, dimension: fairImpartial, likelihood: 2, impact: 3, treatment: mitigate, mitigation: Parity test in build and monitor., owner: ds, lineOfDefense: 1, guardrails: [parity] }
  trustworthyAI:
    fairImpartial:
      rigor: standard
      guardrails:
        - { id: parity, metric: disparate_impact_ratio, min: 0.8, evidence: reports/metrics.json, monitor: { evidence: reports/live.json, cadence: monthly } }
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
        - { id: log, metric: decision_log_completeness, min: 0.99, phases: [monitor], monitor: { evidence: reports/live.json, cadence: monthly } }
build:
  candidates:
    - { id: rules, baseline: true }
    - { id: gbm }
  selected: { candidate: gbm, rationale: Lowest churn in the backtest. }
  evaluations:
    - { id: gbm-value, candidate: gbm, metric: projected_churn, kind: value, valueMetric: churn-rate, evidence: { path: reports/metrics.json, pointer: /candidates/gbm/churn } }
    - { id: rules-value, candidate: rules, metric: projected_churn, kind: value, valueMetric: churn-rate, evidence: { path: reports/metrics.json, pointer: /candidates/rules/churn } }
  datasets:
    - { id: crm, role: train, uri: s3://crm/customers, personalData: false }
  modelCard: docs/model-card.md
deploy:
  dataProtection: { personalData: false }
  securityReview:
    threatModel: docs/threat-model.md
    openFindings: { critical: 0, high: 0 }
  integration:
    runbook: docs/runbook.md
    rollback: Switch back to the rules.
    humanOversight: { mode: on_loop }
  valueMeasurement:
    - { valueMetric: churn-rate, design: ab_test }
monitor:
  drift:
    - { id: score-drift, type: prediction, method: psi, bins: 10, max: 0.25, warn: 0.1, cadence: monthly, evidence: reports/live.json }
  valueTracking:
    cadence: monthly
    evidence: reports/value.json
  triggers:
    - { on: drift_alert, action: retrain, owner: ds }
    - { on: value_below_minimum, action: reassess, owner: pm }
    - { on: incident, action: rollback, owner: ds }
  governance:
    body: Retention AI board
    reviewCadence: quarterly
    nextReview: 2027-03-01
`;

const FILES: Record<string, string> = {
  'models/churn/reports/metrics.json': JSON.stringify({
    metrics: {
      disparate_impact_ratio: 0.91,
      roc_auc: 0.78,
      explanation_coverage: 0.97,
      pii_feature_count: 0,
      invalid_input_acceptance_rate: 0,
    },
    candidates: { gbm: { churn: 1.62 }, rules: { churn: 1.88 } },
  }),
  'models/churn/reports/live.json': JSON.stringify({
    metrics: {
      disparate_impact_ratio: 0.88,
      decision_log_completeness: 0.995,
      'score-drift': 0.04,
    },
  }),
  'models/churn/reports/value.json': JSON.stringify({ metrics: { 'churn-rate': 1.75 } }),
  'models/churn/docs/model-card.md': '# Model card\n',
  'models/churn/docs/threat-model.md': '# Threat model\n',
  'models/churn/docs/runbook.md': '# Runbook\n',
};

/**
 * The repository: the model and its evidence committed ten days before TODAY, its phases
 * signed (in-process: the setup, not what is tested).
 */
async function repo(): Promise<string> {
  const dir = gitDir();
  commitFiles(dir, { [M]: MANIFEST, ...FILES }, 'churn model', '2026-11-20T10:00:00Z');
  for (const phase of ['envision', 'build', 'deploy']) {
    const r = await runCli(
      ['approve', M, '--phase', phase, '--by', 'cco', '--date', '2026-01-15'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
  }
  commitFiles(dir, { [M]: read(dir) }, 'sign off', '2026-11-20T11:00:00Z');
  return dir;
}

const read = (dir: string): string => readFileSync(join(dir, M), 'utf8');

/** Adds YAML lines at the end of the monitor section (before `approvals:`). */
function addToMonitor(dir: string, lines: string): void {
  const text = read(dir);
  const at = text.indexOf('approvals:');
  writeFileSync(join(dir, M), `${text.slice(0, at)}${lines}${text.slice(at)}`);
}

interface Shown {
  code: string;
  severity: string;
  message: string;
  fix?: string;
  action?: unknown;
  line?: number;
  args?: Record<string, unknown>;
}

/**
 * Runs the commit a sign-off hint ends with (`..., then commit it: \`git add ... && git commit
 * ...\``) as the approver: cco's email is the one `git` commits with.
 */
function commitAsHinted(dir: string, fix: string | undefined): void {
  const command = /then commit it: `(git add [^`]+)`$/.exec(fix ?? '')?.[1];
  expect(command, fix).toMatch(/^git add models\/churn\/mlops\.yaml && git commit -m "Sign off /);
  const done = spawnSync('bash', ['-c', command!], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
  expect(done.status, done.stderr).toBe(0);
}

interface Rule {
  id: string;
  status: string;
  findings: Shown[];
}

/** `mlops check --format json` of the model, as of `today`: its M3, and every rule by phase. */
function check(dir: string, today = TODAY): { code: number; m3: Rule; failing: string[] } {
  const r = runBin(['check', M, '--today', today, '--format', 'json'], dir);
  expect(r.stderr).toBe('');
  const json = JSON.parse(r.stdout) as {
    manifests: { phases: { phase: string; rules: Rule[] }[] }[];
  };
  const phases = json.manifests[0]!.phases;
  const rules = phases.flatMap((p) => p.rules.map((x) => ({ ...x, phase: p.phase })));
  return {
    code: r.code,
    m3: rules.find((x) => x.id === 'M3')!,
    failing: rules.filter((x) => x.status === 'fail').map((x) => `${x.phase} ${x.id}`),
  };
}

const codes = (rule: Rule): string[] => rule.findings.map((f) => f.code);

/** The reassessment the hint of VALUE_TARGET_DATE_PASSED asks for, with its blanks filled in. */
const CONTINUE = `  reassessments:
    - { id: reassess-2026-11-30, date: 2026-11-30, decision: continue, rationale: "Churn fell from 1.9 to 1.75; the offers launch in Q1.", decider: cco, targetBy: 2027-06-30 }
`;

describe('M3: a target date that passed', () => {
  it('fails a year after target.by with churn not at target, and says "reassess"', async () => {
    const dir = await repo();
    const { code, m3, failing } = check(dir);
    expect(code).toBe(1);
    // M3 is the only rule that fails: the rest of the manifest is complete
    expect(failing).toEqual(['monitor M3']);
    expect(m3.status).toBe('fail');
    expect(codes(m3)).toEqual(['VALUE_TARGET_DATE_PASSED']);
    expect(m3.findings[0]!.message).toBe(
      'value metric `churn-rate` missed its target date 2025-11-30: it is 1.75 in models/churn/reports/value.json (committed 2026-11-20), not at the target 1.6 (baseline 1.9); reassess whether to continue, change or retire the model',
    );
    expect(m3.findings[0]!.line).toBe(22);
    const text = runBin(['check', M, '--today', TODAY], dir);
    expect(text.stdout).toContain('reassess whether to continue, change or retire the model');
    expect(text.stdout).toContain(
      'add to `monitor.reassessments`: `{id: reassess-2026-11-30, date: 2026-11-30, decision: continue, rationale: "RATIONALE", decider: cco, targetBy: "YYYY-MM-DD"}`, then sign it off: `npx mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by cco`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment reassess-2026-11-30"`',
    );
    // on the date itself it still passes
    expect(check(dir, '2025-11-30').m3.status).toBe('pass');
  }, 60_000);

  it('passes once a reassessment that continues to a new date is recorded and approved with mlops approve', async () => {
    const dir = await repo();
    addToMonitor(dir, CONTINUE);
    // recorded, not yet approved: it does not count
    const before = check(dir);
    expect(before.m3.status).toBe('fail');
    expect(codes(before.m3)).toEqual(['REASSESSMENT_UNAPPROVED', 'VALUE_TARGET_DATE_PASSED']);
    expect(before.m3.findings[0]!.severity).toBe('warning');
    expect(before.m3.findings[0]!.message).toBe(
      'reassessment `reassess-2026-11-30` (continue, 2026-11-30) does not count until approved: no approval by a decision_maker; envision target.by still holds',
    );
    expect(before.m3.findings[1]!.fix).toBe(
      'reassess: reassessment `reassess-2026-11-30` continues to 2027-06-30 once approved; sign it off: `npx mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by cco`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment reassess-2026-11-30"`',
    );

    const approved = runBin(
      ['approve', M, '--reassessment', 'reassess-2026-11-30', '--by', 'cco', '--date', TODAY],
      dir,
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(
      /^recorded in models\/churn\/mlops\.yaml: reassessment reassess-2026-11-30 approved by cco \(decision_maker\) on 2026-11-30; digest sha256:[0-9a-f]{12}…\n  id: reassess-2026-11-30-cco-2026-11-30\n  recorded by: Test <test@example\.com> \(git config user\.name, user\.email\)\n$/,
    );
    expect(read(dir)).toMatch(
      /\n {2}- id: reassess-2026-11-30-cco-2026-11-30\n {4}reassessment: reassess-2026-11-30\n {4}role: decision_maker\n {4}by: cco\n {4}decision: approved\n {4}date: 2026-11-30\n {4}digest: sha256:[0-9a-f]{64}\n {4}recordedBy: Test <test@example\.com>\n$/,
    );
    expect(runBin(['validate', M], dir).code).toBe(0);
    // recorded, not committed yet: it does not count until the approver commits it
    const uncommitted = check(dir);
    expect(uncommitted.code).toBe(1);
    expect(codes(uncommitted.m3)).toEqual(['REASSESSMENT_UNAPPROVED', 'VALUE_TARGET_DATE_PASSED']);
    expect(uncommitted.m3.findings[0]!.args!.statuses).toEqual(['uncommitted']);
    commitAsHinted(dir, uncommitted.m3.findings[0]!.fix);
    const after = check(dir);
    expect(after.m3).toMatchObject({ status: 'pass', findings: [] });
    expect(after.failing).toEqual([]);
    expect(after.code).toBe(0);
    // envision target.by keeps the original date
    expect(read(dir)).toContain('target: { value: 1.6, by: 2025-11-30 }');

    // the new date passes in turn
    const later = check(dir, '2027-07-01');
    expect(codes(later.m3)).toEqual(['VALUE_TARGET_DATE_PASSED']);
    expect(later.m3.findings[0]!.message).toContain(
      'missed its target date 2027-06-30 (set by reassessment `reassess-2026-11-30`)',
    );

    // an edit after the approval makes it stale: it no longer counts
    writeFileSync(join(dir, M), read(dir).replace('launch in Q1', 'launch in Q2'));
    const stale = check(dir);
    expect(codes(stale.m3)).toEqual(['REASSESSMENT_UNAPPROVED', 'VALUE_TARGET_DATE_PASSED']);
    expect(stale.m3.findings[0]!.message).toContain(
      'the approval by cco (decision_maker) on 2026-11-30 is stale: the reassessment changed since',
    );
  }, 60_000);

  it('a latest approved decision to change or retire the model blocks monitor until a newer continue is approved', async () => {
    const dir = await repo();
    addToMonitor(
      dir,
      `${CONTINUE}    - { id: change-2026-12, date: 2026-12-01, decision: change, rationale: "The offers do not lower churn; retrain on call outcomes.", decider: cco }
`,
    );
    for (const id of ['reassess-2026-11-30', 'change-2026-12'])
      expect(runBin(['approve', M, '--reassessment', id, '--by', 'cco'], dir).code).toBe(0);
    // the approvals count once the approver commits them
    commitFiles(dir, { [M]: read(dir) }, 'Sign off the reassessments');
    const changed = check(dir, '2026-12-02');
    expect(changed.code).toBe(1);
    expect(changed.m3.status).toBe('fail');
    expect(codes(changed.m3)).toEqual(['REASSESSMENT_DECIDED_CHANGE']);
    expect(changed.m3.findings[0]!.message).toBe(
      'reassessment `change-2026-12` of 2026-12-01 decided to change the model ("The offers do not lower churn; retrain on call outcomes."); monitor is not ready until a newer reassessment that continues is approved',
    );

    // retire: the same, until the model is retired (then it is held to no phase)
    writeFileSync(join(dir, M), read(dir).replace('decision: change,', 'decision: retire,'));
    expect(
      runBin(['approve', M, '--reassessment', 'change-2026-12', '--by', 'cco'], dir).code,
    ).toBe(0);
    commitFiles(dir, { [M]: read(dir) }, 'Sign off reassessment change-2026-12');
    const retiring = check(dir, '2026-12-02');
    expect(codes(retiring.m3)).toEqual(['REASSESSMENT_DECIDED_RETIRE']);
    expect(retiring.m3.findings[0]!.action).toEqual({
      kind: 'edit',
      op: 'set',
      path: ['metadata', 'status'],
      value: 'retired',
    });
    writeFileSync(join(dir, M), read(dir).replace('status: monitor', 'status: retired'));
    const retired = check(dir, '2026-12-02');
    expect(retired.m3.status).toBe('pass');
    expect(retired.code).toBe(0);
  }, 60_000);
});

describe('mlops approve --reassessment', () => {
  it('refuses an unknown id with exit 2, the closest id and the command, and leaves the file unchanged', async () => {
    const dir = await repo();
    addToMonitor(dir, CONTINUE);
    const before = read(dir);
    const r = runBin(['approve', M, '--reassessment', 'reassess-2026-11-3', '--by', 'cco'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'mlops: no reassessment "reassess-2026-11-3" in models/churn/mlops.yaml (did you mean "reassess-2026-11-30"?)\n' +
        'hint: approve it by its id: `npx mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by cco`\n',
    );
    expect(read(dir)).toBe(before);

    // a manifest without reassessments: the hint records one first
    const bare = await repo();
    const unchanged = read(bare);
    const none = runBin(['approve', M, '--reassessment', 'r1', '--by', 'cco'], bare);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'hint: record the reassessment first: add to `monitor.reassessments`: `{id: r1, date: "YYYY-MM-DD", decision: continue, rationale: "RATIONALE", decider: cco, targetBy: "YYYY-MM-DD"}`, then approve it: `npx mlops approve models/churn/mlops.yaml --reassessment r1 --by cco`',
    );
    expect(read(bare)).toBe(unchanged);
  }, 60_000);

  it('takes --phase, --reassessment or --waiver, exactly one', async () => {
    const dir = await repo();
    addToMonitor(dir, CONTINUE);
    const before = read(dir);
    const both = runBin(
      ['approve', M, '--phase', 'build', '--reassessment', 'reassess-2026-11-30', '--by', 'cco'],
      dir,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      "option '--phase <phase>' cannot be used with option '--reassessment <id>'",
    );
    const neither = runBin(['approve', M, '--by', 'cco'], dir);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toBe(
      'mlops: say what the approval signs: --phase, --reassessment or --waiver\n' +
        'hint: add --phase envision, build or deploy to sign that section, --reassessment with the id of a reassessment of monitor.reassessments, or --waiver with the id of a waiver\n',
    );
    expect(read(dir)).toBe(before);
    const help = runBin(['approve', '--help'], dir);
    expect(help.stdout).toContain('--reassessment <id>');
  }, 60_000);

  it('diff names the approval of a reassessment', async () => {
    const dir = await repo();
    addToMonitor(dir, CONTINUE);
    commitFiles(dir, { [M]: read(dir) }, 'reassess', '2026-11-30T10:00:00Z');
    runBin(['approve', M, '--reassessment', 'reassess-2026-11-30', '--by', 'cco'], dir);
    const r = runBin(['diff', 'HEAD', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /added\s+approval of reassessment `reassess-2026-11-30` by `cco` \(decision_maker, \d{4}-\d{2}-\d{2}\) added: approved/,
    );
  }, 60_000);
});

describe('validate: a reassessment that continues', () => {
  it('needs targetBy: REASSESSMENT_NO_DATE at its place, with the edit', async () => {
    const dir = await repo();
    addToMonitor(
      dir,
      `  reassessments:
    - { id: r1, date: 2026-11-30, decision: continue, rationale: "The offers launch in Q1.", decider: cco }
`,
    );
    const r = runBin(['validate', M], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${M}:91:45  error    REASSESSMENT_NO_DATE  monitor.reassessments[0]: decision continue needs targetBy, the new date by which the value targets must be reached`,
    );
    expect(r.stdout).toContain('set `monitor.reassessments[0].targetBy` to `"YYYY-MM-DD"`');
    // check refuses to judge it, as validate does
    expect(runBin(['check', M, '--today', TODAY], dir).code).toBe(1);
    expect(runBin(['approve', M, '--reassessment', 'r1', '--by', 'cco'], dir).code).toBe(2);
  }, 60_000);
});
