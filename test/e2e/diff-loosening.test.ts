import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, gitDir } from '../helpers/gitdir.js';

const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** A high-risk credit model, as the compliance lead found it on main. */
const BASE = `apiVersion: mlops/v1
kind: ModelManifest
metadata:
  name: credit-model
  version: 1.4.0
  owner: { name: Priya Raman }
  riskTier: high
  euAiAct:
    classification: high
    legalBasis: { annex: III, point: 5(b) }
    role: provider
  status: deploy
envision:
  hypothesis: If we score applications, then defaults fall, measured by default-rate.
  stakeholders:
    - { id: cco, name: Helena Marsh, role: decision_maker }
    - { id: risk, name: Felix Brandt, role: risk_2nd_line }
    - { id: ds, name: Tomasz Wojcik, role: data_science }
  valueMetrics:
    - id: default-rate
      name: Default rate
      unit: percent
      direction: decrease
      baseline: { value: 4.2 }
      target: { value: 3.5, by: 2027-06-30 }
      minimumAcceptable: 4.0
      owner: cco
      cadence: monthly
  risks:
    - { id: age-bias, title: Older applicants refused, dimension: fairImpartial, likelihood: 3, impact: 4, treatment: mitigate, mitigation: parity test, owner: risk, lineOfDefense: 2 }
  trustworthyAI:
    fairImpartial:
      rigor: dialUp
      guardrails:
        - { id: disparate-impact, metric: disparate_impact_ratio, min: 0.8, max: 1.25 }
build:
  candidates:
    - { id: rules, baseline: true }
    - { id: gbm }
  selected: { candidate: gbm, rationale: best on value }
deploy:
  dataProtection:
    personalData: true
    lawfulBasis: contract
    dpia: docs/dpia.md
  securityReview:
    threatModel: docs/threat-model.md
    openFindings: { critical: 0, high: 0 }
  integration:
    runbook: docs/runbook.md
    rollback: switch back to rules
    humanOversight: { mode: in_loop }
monitor:
  valueTracking: { cadence: monthly, evidence: reports/value.json, missesToTrigger: 2 }
  triggers:
    - { on: drift_alert, action: retrain, owner: ds }
    - { on: value_below_minimum, action: reassess, owner: cco }
    - { on: incident, action: rollback, owner: ds }
`;

function edit(text: string, ...edits: [string, string][]): string {
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

interface JsonChange {
  code: string;
  class: string;
  level: string;
  /** Where, by key and by id (never by list position). */
  path: (string | number)[];
  description: string;
  message: string;
  old?: unknown;
  new?: unknown;
}

interface JsonFinding {
  code: string;
  level: string;
  message: string;
}

/** One commit on main, and one on top of it that `edits` the manifest; diffed as JSON. */
function diffOf(
  base: string,
  ...edits: [string, string][]
): { code: number; changes: JsonChange[]; findings: JsonFinding[]; stderr: string } {
  const dir = gitDir();
  commitFiles(dir, { 'models/credit/mlops.yaml': base }, 'credit model');
  commitFiles(dir, { 'models/credit/mlops.yaml': edit(base, ...edits) }, 'the pull request');
  const r = runBin(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], dir, ISOLATED_GIT);
  const out = JSON.parse(r.stdout) as { changes: JsonChange[]; findings?: JsonFinding[] };
  return { code: r.code, changes: out.changes, findings: out.findings ?? [], stderr: r.stderr };
}

describe('mlops diff sees every loosening of the compliance lead case', () => {
  it('each change is loosened (an error), exit 1, and the patch bump is refused', () => {
    const r = diffOf(
      BASE,
      ['version: 1.4.0', 'version: 1.4.1'],
      ['    classification: high\n', '    classification: out_of_scope\n'],
      ['    dpia: docs/dpia.md\n', ''],
      ['openFindings: { critical: 0, high: 0 }', 'openFindings: { critical: 0, high: 3 }'],
      ['treatment: mitigate', 'treatment: accept'],
      ['lineOfDefense: 2', 'lineOfDefense: 1'],
      ['missesToTrigger: 2', 'missesToTrigger: 6'],
      ['    - { on: value_below_minimum, action: reassess, owner: cco }\n', ''],
      ['baseline: { value: 4.2 }', 'baseline: { value: 4.8 }'],
      ['by: 2027-06-30', 'by: 2029-12-31'],
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const seen = r.changes.map((c) => [c.code, c.class, c.level, c.path.join('.'), c.description]);
    const loosened = (path: string, words: RegExp): unknown[] => [
      'CHANGE_LOOSENED',
      'loosened',
      'error',
      path,
      expect.stringMatching(words),
    ];
    expect(seen).toEqual(
      expect.arrayContaining([
        loosened(
          'metadata.euAiAct.classification',
          /^metadata: EU AI Act classification high → out_of_scope: a lower EU AI Act class drops its obligations/,
        ),
        loosened(
          'deploy.dataProtection.dpia',
          /^deploy: data protection DPIA removed \(was docs\/dpia\.md\): a document the readiness rules read is gone/,
        ),
        loosened(
          'deploy.securityReview.openFindings.high',
          /open findings high 0 → 3: more open security findings are accepted/,
        ),
        loosened(
          'envision.risks.age-bias.treatment',
          /^risk `age-bias`: treatment mitigate → accept: a weaker treatment/,
        ),
        loosened(
          'envision.risks.age-bias.lineOfDefense',
          /^risk `age-bias`: line of defense 2 → 1: the risk is held by an earlier line of defense/,
        ),
        loosened(
          'monitor.valueTracking.missesToTrigger',
          /misses to trigger 2 → 6: more consecutive misses of the minimum are needed/,
        ),
        loosened(
          'monitor.triggers.value_below_minimum:reassess',
          /^trigger `value_below_minimum → reassess` removed; the event no longer sets off its action/,
        ),
        loosened(
          'envision.valueMetrics.default-rate.baseline.value',
          /^value metric `default-rate`: baseline 4\.2 → 4\.8: a baseline moved this way makes the same result read as a larger improvement/,
        ),
        loosened(
          'envision.valueMetrics.default-rate.target.by',
          /^value metric `default-rate`: target date 2027-06-30 → 2029-12-31: the model has longer to reach its target/,
        ),
      ]),
    );
    // nothing else: each edit of the pull request is one loosened change
    expect(seen.length).toBe(9);
    expect(r.findings).toEqual([
      expect.objectContaining({
        code: 'VERSION_BUMP_TOO_SMALL',
        level: 'error',
        message: expect.stringMatching(
          /1\.4\.0 → 1\.4\.1 is too small a step; the loosened changes need a major bump: 2\.0\.0/,
        ),
      }),
    ]);
  }, 60_000);

  it('the classification written in the earlier shape compares by meaning', () => {
    const limited = edit(BASE, [
      '    classification: high\n    legalBasis: { annex: III, point: 5(b) }\n',
      '    classification: limited\n',
    ]);
    // limited is minimal with Art. 50 duties: rewritten to the current shape, nothing changed
    const same = diffOf(limited, [
      '    classification: limited\n',
      '    classification: minimal\n    art50: true\n',
    ]);
    expect(same.code).toBe(0);
    expect(same.changes).toEqual([]);
    // (the base may be named for its earlier shape; no version rule or change is found)
    expect(same.findings.filter((f) => f.code.startsWith('VERSION_'))).toEqual([]);
    // minimal without art50 drops the Art. 50 duties
    const dropped = diffOf(
      limited,
      ['version: 1.4.0', 'version: 2.0.0'],
      ['    classification: limited\n', '    classification: minimal\n'],
    );
    expect(dropped.code).toBe(1);
    expect(dropped.changes.map((c) => [c.class, c.path.join('.'), c.old, c.new])).toEqual([
      ['loosened', 'metadata.euAiAct.art50', true, false],
    ]);
    expect(dropped.changes[0]!.message).toMatch(
      /earlier `limited` class meant minimal with Art\. 50 duties/,
    );
    expect(dropped.findings).toEqual([]);
  }, 60_000);
});
