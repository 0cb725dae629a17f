/**
 * Value proven, not asserted, through the built CLI in a temporary repository: rule E2 asks each
 * value metric for the least the model must deliver and its date, and rule B2 reads the
 * projected value of the selected and the baseline candidate from committed reports.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, writeFiles } from '../helpers/gitdir.js';

const M = 'models/churn/mlops.yaml';
const TODAY = '2026-11-27';
/** Each case runs git and the CLI several times, on a machine that may be busy. */
const SLOW = 120_000;

interface Metric {
  direction?: string;
  baseline?: number;
  target?: string;
  minimum?: string;
}

/**
 * A tier-low churn model whose envision and build pass every other rule: six guarded
 * dimensions, a committed model card and guardrail report, and two candidates, each with a
 * value evaluation in its own report.
 */
function manifest(metric: Metric = {}, build: { selected?: string; evaluations?: string } = {}) {
  const evaluations =
    build.evaluations ??
    [
      '    - { id: gbm-churn, candidate: gbm, metric: projected_churn, kind: value, valueMetric: churn-rate, evidence: reports/backtest-gbm.json }',
      '    - { id: rules-churn, candidate: rules-v3, metric: projected_churn, kind: value, valueMetric: churn-rate, evidence: reports/backtest-rules.json }',
    ].join('\n');
  const guard = (id: string, metricName: string, bound: string): string =>
    `      guardrails:\n        - { id: ${id}, metric: ${metricName}, ${bound}, phases: [build], evidence: reports/metrics.json }`;
  return `apiVersion: mlops/v1
kind: ModelManifest
metadata:
  name: churn
  version: 1.0.0
  owner: { name: Ana Example }
  riskTier: low
  status: build
envision:
  hypothesis: If we call the customers most likely to leave, then fewer of them leave, measured by churn-rate.
  stakeholders:
    - { id: cco, name: Chief Commercial Officer, role: decision_maker, email: test@example.com }
    - { id: pm, name: Product Manager, role: ai_product_manager }
    - { id: ds, name: Data Scientist, role: data_science }
    - { id: agent, name: Retention Agent, role: end_user }
  valueMetrics:
    - id: churn-rate
      name: Monthly churn
      unit: percent
      direction: ${metric.direction ?? 'decrease'}
      baseline: { value: ${metric.baseline ?? 1.9} }
      target: ${metric.target ?? '{ value: 1.6, by: 2027-06-30 }'}
${metric.minimum ?? '      minimumAcceptable: 1.8'}
      owner: cco
      cadence: monthly
  risks:
    - { id: wrong-calls, title: Loyal customers are called needlessly, dimension: business, likelihood: 2, impact: 2, treatment: accept, mitigation: Calls are short., owner: pm, lineOfDefense: 1 }
  trustworthyAI:
    fairImpartial:
      rigor: standard
${guard('parity', 'disparate_impact_ratio', 'min: 0.8')}
    robustReliable:
      rigor: standard
${guard('auc', 'roc_auc', 'min: 0.7')}
    transparentExplainable:
      rigor: standard
${guard('reasons', 'explanation_coverage', 'min: 0.9')}
    privacy:
      rigor: standard
${guard('pii', 'pii_feature_count', 'max: 0')}
    safeSecure:
      rigor: standard
${guard('bad-input', 'invalid_input_acceptance_rate', 'max: 0')}
    responsibleAccountable:
      rigor: standard
${guard('log', 'decision_log_completeness', 'min: 0.99')}
build:
  candidates:
    - { id: rules-v3, baseline: true }
    - { id: gbm }
  selected: { candidate: ${build.selected ?? 'gbm'}, rationale: Lowest projected churn. }
  evaluations:
${evaluations}
  modelCard: docs/model-card.md
`;
}

const METRICS = JSON.stringify({
  metrics: {
    disparate_impact_ratio: 0.9,
    roc_auc: 0.8,
    explanation_coverage: 0.95,
    pii_feature_count: 0,
    invalid_input_acceptance_rate: 0,
    decision_log_completeness: 1,
  },
});

const backtests = (gbm: unknown, rules: unknown): Record<string, string> => ({
  'models/churn/reports/backtest-gbm.json': `${JSON.stringify({ projected_churn: gbm })}\n`,
  'models/churn/reports/backtest-rules.json': `${JSON.stringify({ projected_churn: rules })}\n`,
});

/**
 * A repository with the manifest and its evidence committed, envision and build signed off by
 * cco and committed as cco (the email git commits with).
 */
function repo(text: string, reports: Record<string, string>): string {
  const dir = gitDir();
  commitFiles(
    dir,
    {
      [M]: text,
      'models/churn/docs/model-card.md': '# Churn model card\n',
      'models/churn/reports/metrics.json': `${METRICS}\n`,
      ...reports,
    },
    'churn model',
  );
  for (const phase of ['envision', 'build']) {
    const r = runBin(['approve', M, '--phase', phase, '--by', 'cco', '--date', '2026-11-01'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
  git(dir, ['commit', '-q', '-a', '-m', 'sign-offs']);
  return dir;
}

/** Runs a hinted shell command in `dir` as the approver (the identity of `git`). */
function shell(dir: string, command: string) {
  return spawnSync('bash', ['-c', command], {
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
}

interface JsonFinding {
  code: string;
  message: string;
  fix?: string;
  args: Record<string, unknown>;
}
interface JsonRule {
  id: string;
  status: string;
  findings: JsonFinding[];
}

/** `check --phase <phase> --format json`: the exit code, and each rule of the phase by id. */
function check(dir: string, phase: 'envision' | 'build') {
  const r = runBin(['check', M, '--phase', phase, '--format', 'json', '--today', TODAY], dir);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as {
    manifests: { phases: { phase: string; rules: JsonRule[] }[] }[];
  };
  const rules = out.manifests[0]!.phases.find((p) => p.phase === phase)!.rules;
  const rule = (id: string): { status: string; codes: string[]; findings: JsonFinding[] } => {
    const found = rules.find((x) => x.id === id)!;
    return {
      status: found.status,
      codes: found.findings.map((f) => f.code),
      findings: found.findings,
    };
  };
  return { code: r.code, rule, failing: rules.filter((x) => x.status === 'fail').map((x) => x.id) };
}

describe('B2 through the CLI', { timeout: SLOW }, () => {
  it('passes the build gate when the selected projection beats the minimum and the baseline candidate', () => {
    const dir = repo(manifest(), backtests(1.7, 1.88));
    const r = check(dir, 'build');
    expect(r.failing).toEqual([]);
    expect(r.rule('B2')).toMatchObject({ status: 'pass', codes: [] });
    expect(r.code).toBe(0);
  });

  it('fails build with exit 1 when churn projects 2.4 against a baseline of 1.9 and a target of 1.6', () => {
    const dir = repo(manifest(), backtests(2.4, 1.88));
    const r = check(dir, 'build');
    expect(r.code).toBe(1);
    expect(r.failing).toEqual(['B2']);
    const b2 = r.rule('B2');
    expect(b2.codes).toEqual(['VALUE_PROJECTION_BELOW_MINIMUM', 'VALUE_PROJECTION_NOT_BETTER']);
    expect(b2.findings[0]!.args).toMatchObject({
      selected: 2.4,
      baselineCandidate: 1.88,
      minimum: 1.8,
      baseline: 1.9,
      target: 1.6,
    });
    const text = runBin(['check', M, '--phase', 'build', '--today', TODAY], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'value metric `churn-rate`: selected gbm projects 2.4, worse than the minimum 1.8 (baseline candidate rules-v3 1.88, baseline 1.9, target 1.6)',
    );
  });

  it('fails with no number in the report, and passes once the number is written and the hinted commit run', () => {
    const dir = repo(manifest(), {
      ...backtests(1.7, 1.88),
      'models/churn/reports/backtest-gbm.json': '{ "note": "no observation" }\n',
    });
    const r = check(dir, 'build');
    expect(r.code).toBe(1);
    const b2 = r.rule('B2');
    expect(b2.codes).toEqual(['VALUE_PROJECTION_UNOBSERVED']);
    expect(b2.findings[0]!.message).toBe(
      'value metric `churn-rate`: no projected value for the selected candidate gbm (evaluation `gbm-churn`): models/churn/reports/backtest-gbm.json has no value at /projected_churn or /metrics/projected_churn',
    );
    const command = /\(`(git add [^`]+)`\)/.exec(b2.findings[0]!.fix ?? '')?.[1];
    expect(command).toBe(
      'git add models/churn/reports/backtest-gbm.json && git commit -m "Update evidence of churn"',
    );
    writeFiles(dir, { 'models/churn/reports/backtest-gbm.json': '{ "projected_churn": 1.7 }\n' });
    expect(shell(dir, command!).status).toBe(0);
    const again = check(dir, 'build');
    expect(again.rule('B2')).toMatchObject({ status: 'pass', codes: [] });
    // the build sign-off bound the report as it was: it is stale until build is signed again
    expect(again.failing).toEqual(['G3']);
    const stale = again.rule('G3').findings[0]!;
    expect(stale.code).toBe('APPROVAL_STALE');
    expect(stale.args.evidence).toEqual(['models/churn/reports/backtest-gbm.json']);
    const signAgain = /then `(git add [^`]+)`$/.exec(stale.fix ?? '')?.[1];
    expect(signAgain).toBe(`git add ${M} && git commit -m "Sign off build"`);
    const approve = runBin(['approve', M, '--phase', 'build', '--by', 'cco', '--date', TODAY], dir);
    expect(approve.code).toBe(0);
    expect(shell(dir, signAgain!).status).toBe(0);
    const signed = check(dir, 'build');
    expect(signed.failing).toEqual([]);
    expect(signed.code).toBe(0);
  });

  it('fails a selected 2.1 against the baseline candidate 1.88', () => {
    const dir = repo(
      manifest({ baseline: 2.3, minimum: '      minimumAcceptable: 2.2' }),
      backtests(2.1, 1.88),
    );
    const r = check(dir, 'build');
    expect(r.code).toBe(1);
    expect(r.rule('B2')).toMatchObject({
      status: 'fail',
      codes: ['VALUE_PROJECTION_NOT_BETTER'],
    });
    expect(r.rule('B2').findings[0]!.message).toBe(
      'value metric `churn-rate`: selected gbm projects 2.1, not better than the baseline candidate rules-v3 at 1.88 (minimum 2.2, baseline 2.3, target 1.6)',
    );
  });

  it('fails when the selected candidate is the baseline', () => {
    const dir = repo(manifest({}, { selected: 'rules-v3' }), backtests(1.7, 1.75));
    const r = check(dir, 'build');
    expect(r.code).toBe(1);
    expect(r.rule('B2')).toMatchObject({ status: 'fail', codes: ['VALUE_SELECTED_IS_BASELINE'] });
    expect(r.rule('B2').findings[0]!.fix).toBe(
      'select the candidate that is not the baseline: set `build.selected.candidate` to `gbm`, once its projected value beats that of rules-v3',
    );
  });

  it('fails when the baseline candidate has no value evaluation', () => {
    const only =
      '    - { id: gbm-churn, candidate: gbm, metric: projected_churn, kind: value, valueMetric: churn-rate, evidence: reports/backtest-gbm.json }';
    const dir = repo(manifest({}, { evaluations: only }), backtests(1.7, 1.88));
    const r = check(dir, 'build');
    expect(r.code).toBe(1);
    expect(r.rule('B2')).toMatchObject({
      status: 'fail',
      codes: ['VALUE_BASELINE_EVALUATION_MISSING'],
    });
  });

  it('holds maintain to its tolerance band: inside passes, outside fails', () => {
    const keep: Metric = {
      direction: 'maintain',
      baseline: 95,
      target: '{ value: 95, by: 2027-06-30 }',
      minimum: '      tolerance: 2',
    };
    const inside = check(repo(manifest(keep), backtests(96.5, 95.1)), 'build');
    expect(inside.rule('B2')).toMatchObject({ status: 'pass', codes: [] });
    expect(inside.code).toBe(0);
    const outside = check(repo(manifest(keep), backtests(97.5, 95.1)), 'build');
    expect(outside.code).toBe(1);
    expect(outside.rule('B2')).toMatchObject({
      status: 'fail',
      codes: ['VALUE_PROJECTION_BELOW_MINIMUM'],
    });
    expect(outside.rule('B2').findings[0]!.message).toBe(
      'value metric `churn-rate`: selected gbm projects 97.5, outside the band 95 ± 2 around the target (baseline candidate rules-v3 95.1, baseline 95)',
    );
  });
});

describe('E2 through the CLI', { timeout: SLOW }, () => {
  it('fails envision for a metric without minimumAcceptable and target.by', () => {
    const dir = repo(
      manifest({ target: '{ value: 1.6 }', minimum: '      # no minimum yet' }),
      backtests(1.7, 1.88),
    );
    const r = check(dir, 'envision');
    expect(r.code).toBe(1);
    expect(r.failing).toEqual(['E2']);
    const e2 = r.rule('E2');
    expect(e2.codes).toEqual(['VALUE_METRIC_INCOMPLETE']);
    expect(e2.findings[0]!.args.missing).toEqual(['target.by', 'minimumAcceptable']);
    expect(e2.findings[0]!.fix).toMatch(
      /^add to `envision\.valueMetrics\[0\]`: `\{minimumAcceptable: "MINIMUM"\}`, and add to `envision\.valueMetrics\[0\]\.target`: `\{by: "YYYY-MM-DD"\}`/,
    );
  });

  it('fails envision for a minimum worse than the baseline, and passes with the baseline itself', () => {
    const worse = check(
      repo(manifest({ minimum: '      minimumAcceptable: 2.0' }), backtests(1.7, 1.88)),
      'envision',
    );
    expect(worse.code).toBe(1);
    expect(worse.rule('E2')).toMatchObject({
      status: 'fail',
      codes: ['VALUE_MINIMUM_OUT_OF_RANGE'],
    });
    const at = check(
      repo(manifest({ minimum: '      minimumAcceptable: 1.9' }), backtests(1.7, 1.88)),
      'envision',
    );
    expect(at.rule('E2')).toMatchObject({ status: 'pass', codes: [] });
    expect(at.code).toBe(0);
  });
});
