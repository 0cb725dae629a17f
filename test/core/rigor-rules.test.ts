import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkReadiness } from '../../src/core/check/index.js';
import type { ManifestReport, RuleResult } from '../../src/core/check/index.js';
import type { Finding } from '../../src/core/findings.js';
import {
  findPlaceholders,
  isPlaceholder,
  placeholderPhase,
} from '../../src/core/manifest/placeholders.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import type { Manifest, Phase } from '../../src/core/manifest.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { validator } from '../helpers/validator.js';

/**
 * A manifest at tier high that meets every rule of this file: fairness, privacy and security at
 * dialUp, each with a guardrail watched live, fairness measured per group, one risk.
 */
const BASE = `apiVersion: mlops/v1
kind: ModelManifest
metadata:
  name: churn
  version: 1.0.0
  owner: { name: Ada Example }
  riskTier: high
  status: monitor
envision:
  hypothesis: If we predict churn, then retention improves, measured by the churn rate.
  stakeholders:
    - { id: dm, name: Head of Retention, role: decision_maker }
    - { id: pm, name: Product Manager, role: ai_product_manager }
    - { id: ds, name: Data Scientist, role: data_science }
    - { id: agent, name: Retention Agent, role: end_user }
    - { id: risk, name: Risk Officer, role: risk_2nd_line }
  valueMetrics:
    - id: churn
      name: Monthly churn rate
      unit: percent
      direction: decrease
      baseline: { value: 2.5 }
      target: { value: 1.6, by: 2099-12-31 }
      minimumAcceptable: 2.2
      owner: dm
      cadence: monthly
  risks:
    - id: unfair-offers
      title: Older customers get fewer offers
      dimension: fairImpartial
      likelihood: 2
      impact: 3
      treatment: mitigate
      mitigation: Parity tests per age band in build and production.
      owner: ds
      lineOfDefense: 2
      guardrails: [di]
  trustworthyAI:
    fairImpartial:
      rigor: dialUp
      guardrails:
        - id: di
          metric: disparate_impact
          min: 0.8
          groups: [age_18_34, age_65_plus]
          evidence: reports/build.json
          monitor: { evidence: reports/live.json, cadence: monthly }
    robustReliable:
      rigor: standard
      guardrails:
        - { id: auc, metric: roc_auc, min: 0.7, phases: [build], evidence: reports/build.json }
    transparentExplainable:
      rigor: standard
      guardrails:
        - { id: reasons, metric: explanation_coverage, min: 0.9, phases: [build], evidence: reports/build.json }
    privacy:
      rigor: dialUp
      guardrails:
        - { id: pii, metric: pii_feature_count, max: 0, evidence: reports/build.json, monitor: { evidence: reports/live.json, cadence: monthly } }
    safeSecure:
      rigor: dialUp
      guardrails:
        - { id: bad-input, metric: invalid_input_acceptance_rate, max: 0, evidence: reports/build.json, monitor: { evidence: reports/live.json, cadence: monthly } }
    responsibleAccountable:
      rigor: standard
      guardrails:
        - { id: log, metric: decision_log_completeness, min: 0.99, phases: [monitor], monitor: { evidence: reports/live.json, cadence: monthly } }
build:
  candidates:
    - { id: rules, baseline: true }
    - { id: gbm }
  selected: { candidate: gbm, rationale: Lowest projected churn. }
  evaluations:
    - { id: gbm-value, candidate: gbm, metric: projected_churn, kind: value, valueMetric: churn, evidence: reports/build.json }
    - { id: rules-value, candidate: rules, metric: projected_churn, kind: value, valueMetric: churn, evidence: { path: reports/build.json, pointer: /baseline/projected_churn } }
  modelCard: docs/model-card.md
monitor:
  drift:
    - { id: score-drift, type: prediction, method: psi, bins: 10, max: 0.25, cadence: monthly, evidence: reports/live.json }
  valueTracking: { cadence: monthly, evidence: reports/value.json }
`;

const BUILD_REPORT = {
  disparate_impact: 0.9,
  groups: {
    age_18_34: { disparate_impact: 0.95 },
    age_65_plus: { disparate_impact: 0.86 },
  },
  roc_auc: 0.81,
  explanation_coverage: 0.97,
  pii_feature_count: 0,
  invalid_input_acceptance_rate: 0,
  projected_churn: 1.7,
  baseline: { projected_churn: 2.5 },
};

const LIVE_REPORT = {
  disparate_impact: 0.88,
  groups: {
    age_18_34: { disparate_impact: 0.93 },
    age_65_plus: { disparate_impact: 0.84 },
  },
  pii_feature_count: 0,
  invalid_input_acceptance_rate: 0,
  decision_log_completeness: 0.999,
  'score-drift': 0.05,
};

const base = (): Manifest => parse(BASE) as Manifest;

interface Reports {
  build?: unknown;
  live?: unknown;
}

/** Judges a manifest at models/churn/mlops.yaml whose reports are committed as given. */
function judge(m: Manifest, reports: Reports = {}): ManifestReport {
  const files = new Map<string, string>([
    ['models/churn/reports/build.json', JSON.stringify(reports.build ?? BUILD_REPORT)],
    ['models/churn/reports/live.json', JSON.stringify(reports.live ?? LIVE_REPORT)],
    ['models/churn/reports/value.json', JSON.stringify({ churn: 1.9 })],
    ['models/churn/docs/model-card.md', '# Model card\n'],
  ]);
  return checkReadiness(m, {
    manifestPath: 'models/churn/mlops.yaml',
    tracked: new Set(files.keys()),
    workingState: new Map(),
    evidence: (p) => (files.has(p) ? { kind: 'file', text: files.get(p)! } : { kind: 'missing' }),
    lastCommitDates: new Map([...files.keys()].map((p) => [p, '2026-11-20'])),
    committedVersions: new Map([
      [
        'models/churn/reports/value.json',
        [{ commit: 'c1', date: '2026-11-20', text: files.get('models/churn/reports/value.json') }],
      ],
    ]),
    today: '2026-11-27',
  });
}

function rule(report: ManifestReport, phase: Phase, id: string): RuleResult {
  const r = report.phases.find((p) => p.phase === phase)?.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id} in ${phase}`);
  return r;
}

/** A rule's status and its findings as code, path and words. */
function outcome(report: ManifestReport, phase: Phase, id: string) {
  const r = rule(report, phase, id);
  return {
    status: r.status,
    findings: r.findings.map((f: Finding) => ({
      code: f.code,
      at: f.path.join('.'),
      ...describeFinding(f),
    })),
  };
}

const PASS = { status: 'pass', findings: [] };

describe('the base manifest of these tests', () => {
  it('passes G4, E3, E4, E5, B3 and M1, so that each case below fails for its own reason', () => {
    const report = judge(base());
    for (const [phase, id] of [
      ['envision', 'G4'],
      ['envision', 'E3'],
      ['envision', 'E4'],
      ['envision', 'E5'],
      ['build', 'G4'],
      ['build', 'B3'],
      ['deploy', 'G4'],
      ['monitor', 'G4'],
      ['monitor', 'M1'],
    ] as const)
      expect({ phase, id, ...outcome(report, phase, id) }).toEqual({ phase, id, ...PASS });
  });
});

describe('placeholders', () => {
  it('are strings whose trimmed text starts with TODO, then ends, or a colon or whitespace follows', () => {
    for (const s of ['TODO', 'TODO:', 'TODO: name', '  TODO: name  ', 'TODO confirm', 'TODO\n…'])
      expect({ s, placeholder: isPlaceholder(s) }).toEqual({ s, placeholder: true });
    for (const s of ['TODOs', 'Todo: name', 'todo', 'TODO-list', 'TOD', '', 'A TODO: x', 'TODO.'])
      expect({ s, placeholder: isPlaceholder(s) }).toEqual({ s, placeholder: false });
  });

  it('are found at every depth, in lists and mappings, never in keys or numbers', () => {
    const found = findPlaceholders({
      metadata: { owner: { name: 'TODO: the owner' }, TODO: 1 },
      envision: { intendedUse: { primaryUses: ['Retention calls', 'TODO'] } },
      build: { candidates: [{ id: 'gbm', description: ' TODO: describe ' }] },
      'x-notes': { deep: [[{ a: 'TODO: later' }]] },
    });
    expect(found).toEqual([
      { path: ['metadata', 'owner', 'name'], text: 'TODO: the owner' },
      { path: ['envision', 'intendedUse', 'primaryUses', 1], text: 'TODO' },
      { path: ['build', 'candidates', 0, 'description'], text: 'TODO: describe' },
      { path: ['x-notes', 'deep', 0, 0, 'a'], text: 'TODO: later' },
    ]);
  });

  it('are shown on one line and at most 60 characters', () => {
    const [long] = findPlaceholders({ a: `TODO: ${'x'.repeat(100)}` });
    expect(long!.text).toHaveLength(60);
    expect(long!.text.endsWith('…')).toBe(true);
    const [multi] = findPlaceholders({ a: 'TODO: first line\nsecond line' });
    expect(multi!.text).toBe('TODO: first line …');
  });

  it('stand in the phase of their section; approvals, waivers and x- keys in none', () => {
    expect(placeholderPhase(['metadata', 'owner', 'name'])).toBe('envision');
    expect(placeholderPhase(['envision', 'hypothesis'])).toBe('envision');
    expect(placeholderPhase(['build', 'selected', 'rationale'])).toBe('build');
    expect(placeholderPhase(['deploy', 'integration', 'rollback'])).toBe('deploy');
    expect(placeholderPhase(['monitor', 'governance', 'body'])).toBe('monitor');
    expect(placeholderPhase(['approvals', 0, 'conditions'])).toBeUndefined();
    expect(placeholderPhase(['waivers', 0, 'reason'])).toBeUndefined();
    expect(placeholderPhase(['x-team', 'note'])).toBeUndefined();
    expect(placeholderPhase(['envision', 'x-draft', 'hypothesis'])).toBeUndefined();
  });
});

describe('validate: a PLACEHOLDER warning at each placeholder', () => {
  it('points at the value, says which phase it holds back, and how to fill it in', () => {
    const text = BASE.replace(
      'owner: { name: Ada Example }',
      'owner: { name: "TODO: the accountable owner" }',
    )
      .replace('rationale: Lowest projected churn.', 'rationale: "TODO: why this candidate"')
      .concat('x-team:\n  note: TODO\n');
    const { findings } = readManifest(text, 'mlops.yaml', validator);
    const lines = text.split('\n');
    const shown = findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      line: f.line,
      column: f.column,
      ...describeFinding(f),
    }));
    const ownerLine = lines.findIndex((l) => l.includes('TODO: the accountable owner')) + 1;
    const rationaleLine = lines.findIndex((l) => l.includes('TODO: why this candidate')) + 1;
    expect(shown).toEqual([
      {
        code: 'PLACEHOLDER',
        severity: 'warning',
        line: ownerLine,
        column: lines[ownerLine - 1]!.indexOf('"TODO') + 1,
        message:
          'metadata.owner.name: "TODO: the accountable owner" is a template placeholder, not a value (rule G4 fails envision until it is written)',
        hint: 'write what it stands for: set `metadata.owner.name` to `"NAME"`',
      },
      {
        code: 'PLACEHOLDER',
        severity: 'warning',
        line: rationaleLine,
        column: lines[rationaleLine - 1]!.indexOf('"TODO') + 1,
        message:
          'build.selected.rationale: "TODO: why this candidate" is a template placeholder, not a value (rule G4 fails build until it is written)',
        hint: 'write what it stands for: set `build.selected.rationale` to `"RATIONALE"`',
      },
      {
        code: 'PLACEHOLDER',
        severity: 'warning',
        line: lines.length - 1,
        column: 9,
        message: 'x-team.note: "TODO" is a template placeholder, not a value',
        hint: 'write what it stands for: set `x-team.note` to `"NOTE"`',
      },
    ]);
  });

  it('gives the same findings whichever parser reads the file', () => {
    const text = `${BASE}x-team:\n  notes: ["TODO: a", 'TODO b', TODO]\n`;
    const fast = readManifest(text, 'mlops.yaml', validator).findings;
    const slow = readManifest(text, 'mlops.yaml', validator, { parser: 'yaml' }).findings;
    expect(fast.map((f) => [f.code, f.line, f.column, f.fingerprint])).toHaveLength(3);
    expect(fast).toEqual(slow);
  });

  it('names a list item after its list, in the singular', () => {
    const text = BASE.replace('guardrails: [di]', 'guardrails: [di]\n      x-tags: ["TODO: tag"]');
    const [f] = readManifest(text, 'mlops.yaml', validator).findings;
    expect(describeFinding(f!).hint).toBe(
      'write what it stands for: set `envision.risks[0].x-tags[0]` to `"X_TAG"`',
    );
  });
});

describe('rule G4: no placeholders', () => {
  it('fails the phase each placeholder stands in, at its path', () => {
    const m = base() as unknown as Record<string, Record<string, unknown>>;
    (m.metadata!.owner as Record<string, unknown>).name = 'TODO: the accountable owner';
    (m.envision!.stakeholders as Record<string, unknown>[])[0]!.name = 'TODO: name';
    (m.build!.selected as Record<string, unknown>).rationale = 'TODO';
    m.deploy = { integration: { rollback: 'TODO: how to go back' } };
    (m.monitor!.valueTracking as Record<string, unknown>).dataSource = 'TODO: the warehouse';
    const report = judge(m as unknown as Manifest);
    expect(outcome(report, 'envision', 'G4')).toEqual({
      status: 'fail',
      findings: [
        {
          code: 'PLACEHOLDER_UNFILLED',
          at: 'metadata.owner.name',
          message:
            'metadata.owner.name is still the template placeholder "TODO: the accountable owner"',
          hint: 'write what it stands for: set `metadata.owner.name` to `"NAME"`',
        },
        {
          code: 'PLACEHOLDER_UNFILLED',
          at: 'envision.stakeholders.0.name',
          message: 'envision.stakeholders[0].name is still the template placeholder "TODO: name"',
          hint: 'write what it stands for: set `envision.stakeholders[0].name` to `"NAME"`',
        },
      ],
    });
    expect(outcome(report, 'build', 'G4').findings.map((f) => f.at)).toEqual([
      'build.selected.rationale',
    ]);
    expect(outcome(report, 'deploy', 'G4').findings.map((f) => f.at)).toEqual([
      'deploy.integration.rollback',
    ]);
    expect(outcome(report, 'monitor', 'G4').findings.map((f) => f.at)).toEqual([
      'monitor.valueTracking.dataSource',
    ]);
  });

  it('ignores approvals, waivers and x- keys, and cannot be waived', () => {
    const m = base() as unknown as Record<string, unknown>;
    m['x-team'] = { note: 'TODO' };
    (m.envision as Record<string, unknown>)['x-draft'] = 'TODO: a better hypothesis';
    m.waivers = [{ rule: 'G4', reason: 'TODO: why', owner: 'dm', expires: '2099-01-01' }];
    expect(outcome(judge(m as unknown as Manifest), 'envision', 'G4')).toEqual(PASS);
    (m.envision as Record<string, unknown>).hypothesis = 'TODO';
    const g4 = rule(judge(m as unknown as Manifest), 'envision', 'G4');
    expect(g4.status).toBe('fail');
    expect(g4.waived ?? []).toEqual([]);
  });
});

describe('rule E3: a guardrail guards its dimension only when enforced in a phase', () => {
  it('fails a dimension whose only bounded guardrail has phases: []', () => {
    const m = base();
    m.envision!.trustworthyAI!.robustReliable!.guardrails![0]!.phases = [];
    expect(outcome(judge(m), 'envision', 'E3')).toMatchObject({
      status: 'fail',
      findings: [
        {
          code: 'DIMENSION_UNGUARDED',
          at: 'envision.trustworthyAI.robustReliable',
        },
      ],
    });
    const f = rule(judge(m), 'envision', 'E3').findings[0]!;
    expect(f.args).toMatchObject({ dimension: 'robustReliable', unenforced: ['auc'], index: 0 });
  });

  it('passes when phases is left out (both phases) or lists one', () => {
    const m = base();
    delete m.envision!.trustworthyAI!.robustReliable!.guardrails![0]!.phases;
    expect(outcome(judge(m), 'envision', 'E3')).toEqual(PASS);
    m.envision!.trustworthyAI!.robustReliable!.guardrails![0]!.phases = ['monitor'];
    expect(outcome(judge(m), 'envision', 'E3')).toEqual(PASS);
  });
});

describe('rule E4: dialUp asks for more than standard', () => {
  it('a fairness guardrail with phases: [] and no evidence at tier high fails: no monitor evidence, no groups', () => {
    const m = base();
    m.envision!.trustworthyAI!.fairImpartial!.guardrails = [
      { id: 'di', metric: 'disparate_impact', min: 0.8, phases: [] },
    ];
    const report = judge(m);
    expect(outcome(report, 'envision', 'E4')).toEqual({
      status: 'fail',
      findings: [
        {
          code: 'RIGOR_NO_MONITOR',
          at: 'envision.trustworthyAI.fairImpartial',
          message:
            'fairImpartial is at dialUp but none of its guardrails is watched in production (active in monitor, with monitor evidence of its own)',
          hint: 'watch guardrail `di` in production: set `envision.trustworthyAI.fairImpartial.guardrails[0].phases` to `[build, monitor]` and add to `envision.trustworthyAI.fairImpartial.guardrails[0]`: `{monitor: {evidence: "LIVE_EVIDENCE_FILE", cadence: "CADENCE"}}` (evidence: the report refreshed in production that holds disparate_impact, committed on its cadence, not the build report; cadence: daily, weekly, monthly or quarterly)',
        },
        {
          code: 'GUARDRAIL_GROUPS_MISSING',
          at: 'envision.trustworthyAI.fairImpartial.guardrails.0',
          message:
            'guardrail `di` (disparate_impact) names no groups; fairness at dialUp is measured for each group',
          hint: 'add to `envision.trustworthyAI.fairImpartial.guardrails[0]`: `{groups: ["GROUP", "OTHER_GROUP"]}` (the groups the model could treat differently, such as age bands; the evidence then holds each group\'s value at /groups/<group>/disparate_impact)',
        },
      ],
    });
    expect(outcome(report, 'envision', 'E3').findings.map((f) => f.code)).toEqual([
      'DIMENSION_UNGUARDED',
    ]);
  });

  it('a dimension at dialUp whose guardrails have no live evidence fails, whatever the dimension', () => {
    const m = base();
    delete m.envision!.trustworthyAI!.privacy!.guardrails![0]!.monitor;
    const f = rule(judge(m), 'envision', 'E4').findings;
    expect(f.map((x) => [x.code, x.path.join('.')])).toEqual([
      ['RIGOR_NO_MONITOR', 'envision.trustworthyAI.privacy'],
    ]);
    expect(describeFinding(f[0]!).hint).toBe(
      'watch guardrail `pii` in production: add to `envision.trustworthyAI.privacy.guardrails[0]`: `{monitor: {evidence: "LIVE_EVIDENCE_FILE", cadence: "CADENCE"}}` (evidence: the report refreshed in production that holds pii_feature_count, committed on its cadence, not the build report; cadence: daily, weekly, monthly or quarterly)',
    );
  });

  it('a dimension at dialUp without guardrails is told to add one watched live', () => {
    const m = base();
    m.envision!.trustworthyAI!.safeSecure!.guardrails = [];
    const f = rule(judge(m), 'envision', 'E4').findings;
    expect(describeFinding(f[0]!).hint).toMatch(
      /^add to `envision\.trustworthyAI\.safeSecure\.guardrails`: `\{id: "GUARDRAIL_ID", metric: "METRIC", max: "MAX", evidence: "EVIDENCE_FILE", monitor: \{evidence: "LIVE_EVIDENCE_FILE", cadence: "CADENCE"\}\}`/,
    );
  });

  it('standard asks for neither groups nor live evidence', () => {
    const m = base();
    m.metadata.riskTier = 'medium';
    const fair = m.envision!.trustworthyAI!.fairImpartial!;
    fair.rigor = 'standard';
    delete fair.guardrails![0]!.groups;
    delete fair.guardrails![0]!.monitor;
    expect(outcome(judge(m), 'envision', 'E4')).toEqual(PASS);
  });

  it('a justification for dialing down does not excuse what dialUp asks for', () => {
    const m = base();
    const fair = m.envision!.trustworthyAI!.fairImpartial!;
    fair.justification = 'Reviewed by the model board.';
    delete fair.guardrails![0]!.groups;
    expect(rule(judge(m), 'envision', 'E4').findings.map((f) => f.code)).toEqual([
      'GUARDRAIL_GROUPS_MISSING',
    ]);
  });
});

describe('rule E5: risks', () => {
  it('fails at tier medium, high and critical with no risk, and not at tier low', () => {
    for (const tier of ['medium', 'high', 'critical', 'low'] as const) {
      const m = base();
      m.metadata.riskTier = tier;
      m.envision!.risks = [];
      const e5 = outcome(judge(m), 'envision', 'E5');
      if (tier === 'low') {
        expect(e5).toEqual(PASS);
        continue;
      }
      expect({ tier, e5 }).toEqual({
        tier,
        e5: {
          status: 'fail',
          findings: [
            {
              code: 'RISKS_NONE',
              at: 'envision.risks',
              message: `no risk is named; at tier ${tier} at least one is`,
              hint: 'add to `envision.risks`: `{id: "RISK_ID", title: "TITLE", dimension: "DIMENSION", likelihood: "LIKELIHOOD", impact: "IMPACT", treatment: "TREATMENT", mitigation: "MITIGATION", owner: "STAKEHOLDER_ID", lineOfDefense: "LINE_OF_DEFENSE"}` (dimension: fairImpartial, robustReliable, transparentExplainable, privacy, safeSecure, responsibleAccountable or business; likelihood and impact: 1 to 5; treatment: mitigate, transfer, avoid or accept; lineOfDefense: 1, 2 or 3, and 2 or 3 when likelihood x impact is 15 or more)',
            },
          ],
        },
      });
    }
  });

  it('points at envision when there is no risks key at all', () => {
    const m = base();
    delete m.envision!.risks;
    expect(rule(judge(m), 'envision', 'E5').findings.map((f) => f.path)).toEqual([['envision']]);
  });
});

describe('group values in B3 (build evidence) and M1 (live evidence)', () => {
  it('fails B3 for a group below the bound, naming the group, while the overall value passes', () => {
    const build = structuredClone(BUILD_REPORT);
    build.groups.age_65_plus.disparate_impact = 0.72;
    const report = judge(base(), { build });
    expect(outcome(report, 'build', 'B3')).toEqual({
      status: 'fail',
      findings: [
        {
          code: 'GUARDRAIL_GROUP_OUT_OF_BOUNDS',
          at: 'envision.trustworthyAI.fairImpartial.guardrails.0.groups.1',
          message:
            'guardrail `di`, group `age_65_plus`: disparate_impact is 0.72 in models/churn/reports/build.json#/groups/age_65_plus/disparate_impact, below min 0.8',
          hint: 'bring the group within bounds and commit the new report (`git add models/churn/reports/build.json && git commit -m "Update evidence of churn"`), or waive rule B3: add to `waivers`: `{id: "WAIVER_ID", rule: B3, target: di, reason: "WHY", owner: "STAKEHOLDER_ID", expires: "YYYY-MM-DD"}`, commit it, and have it approved: `mlops approve models/churn/mlops.yaml --waiver "WAIVER_ID" --by "STAKEHOLDER_ID"` (the risk_2nd_line at tier high and up, else the decision_maker)',
        },
      ],
    });
    const f = rule(report, 'build', 'B3').findings[0]!;
    expect(f.args).toMatchObject({ group: 'age_65_plus', value: 0.72, bound: 'min', limit: 0.8 });
    expect(outcome(report, 'monitor', 'M1')).toEqual(PASS);
  });

  it('fails B3 for a group with no value, or not a number, with where it was looked for', () => {
    const build = structuredClone(BUILD_REPORT) as Record<string, unknown>;
    build.groups = { age_18_34: { disparate_impact: 'n/a' } };
    const findings = outcome(judge(base(), { build }), 'build', 'B3').findings;
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      [
        'GUARDRAIL_GROUP_UNOBSERVED',
        'guardrail `di`, group `age_18_34`: models/churn/reports/build.json holds "n/a" at /groups/age_18_34/disparate_impact, not a number',
      ],
      [
        'GUARDRAIL_GROUP_UNOBSERVED',
        'guardrail `di`, group `age_65_plus`: models/churn/reports/build.json has no value at /groups/age_65_plus/disparate_impact',
      ],
    ]);
    expect(findings[1]!.hint).toBe(
      'write the disparate_impact of group age_65_plus at /groups/age_65_plus/disparate_impact of models/churn/reports/build.json and commit it: `git add models/churn/reports/build.json && git commit -m "Update evidence of churn"`',
    );
  });

  it('judges each group against both bounds, and escapes group names in the pointer', () => {
    const m = base();
    const g = m.envision!.trustworthyAI!.fairImpartial!.guardrails![0]!;
    g.max = 1.25;
    g.groups = ['65+/retired', 'age_18_34'];
    const build = structuredClone(BUILD_REPORT) as Record<string, unknown>;
    build.groups = {
      '65+/retired': { disparate_impact: 1.3 },
      age_18_34: { disparate_impact: 1.0 },
    };
    const findings = rule(judge(m, { build }), 'build', 'B3').findings;
    expect(findings.map((f) => [f.code, f.args.group, f.args.pointer, f.args.bound])).toEqual([
      [
        'GUARDRAIL_GROUP_OUT_OF_BOUNDS',
        '65+/retired',
        '/groups/65+~1retired/disparate_impact',
        'max',
      ],
    ]);
  });

  it('reads group values from the live evidence in M1, never from the build evidence', () => {
    const live = structuredClone(LIVE_REPORT);
    live.groups.age_18_34.disparate_impact = 0.61;
    const report = judge(base(), { live });
    expect(outcome(report, 'build', 'B3')).toEqual(PASS);
    const m1 = rule(report, 'monitor', 'M1');
    expect(m1.status).toBe('fail');
    expect(m1.findings.map((f) => [f.code, f.args.group, f.args.path, f.args.rule])).toEqual([
      ['GUARDRAIL_GROUP_OUT_OF_BOUNDS', 'age_18_34', 'models/churn/reports/live.json', 'M1'],
    ]);
    expect(describeFinding(m1.findings[0]!).hint).toContain('or waive rule M1:');
  });

  it('says nothing of groups when the evidence itself does not count: the guardrail finding says why', () => {
    const m = base();
    m.envision!.trustworthyAI!.fairImpartial!.guardrails![0]!.evidence = 'reports/gone.json';
    const findings = rule(judge(m), 'build', 'B3').findings;
    expect(findings.map((f) => f.code)).toEqual(['GUARDRAIL_UNOBSERVED']);
  });

  it('still judges the groups when the overall value is missing', () => {
    const build = structuredClone(BUILD_REPORT) as Record<string, unknown>;
    delete build.disparate_impact;
    (build.groups as Record<string, Record<string, number>>).age_65_plus!.disparate_impact = 0.5;
    const findings = rule(judge(base(), { build }), 'build', 'B3').findings;
    expect(findings.map((f) => [f.code, f.args.group])).toEqual([
      ['GUARDRAIL_UNOBSERVED', undefined],
      ['GUARDRAIL_GROUP_OUT_OF_BOUNDS', 'age_65_plus'],
    ]);
  });
});
