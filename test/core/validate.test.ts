import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestName, readManifest } from '../../src/core/manifest/reader.js';
import { duplicateNames } from '../../src/core/manifest/repository.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { validator } from '../helpers/validator.js';

/** The findings of a manifest's text, each with its message and hint in words. */
const validateText = (text: string, file: string, v: typeof validator) =>
  readManifest(text, file, v).findings.map((f) => ({ ...f, ...describeFinding(f) }));

const MINIMAL = readFileSync(
  new URL('../fixtures/validate/minimal/mlops.yaml', import.meta.url),
  'utf8',
);

const STAKEHOLDERS = `  stakeholders:
    - id: ann
      name: Ann Decider
      role: decision_maker
    - id: bo
      name: Bo Builder
      role: data_science
`;

function findings(text: string) {
  return validateText(text, 'mlops.yaml', validator).map(
    ({ code, severity, line, column, message }) => ({
      code,
      severity,
      line,
      column,
      message,
    }),
  );
}

describe('validate: schema findings in plain words, at the offending key or value', () => {
  it('accepts a minimal manifest: only apiVersion, kind, metadata and the hypothesis are required', () => {
    expect(findings(MINIMAL)).toEqual([]);
  });

  it('names the allowed values of an enum and suggests the closest', () => {
    expect(findings(MINIMAL.replace('riskTier: low', 'riskTier: hgh'))).toEqual([
      {
        code: 'SCHEMA_ENUM',
        severity: 'error',
        line: 8,
        column: 13,
        message:
          'metadata.riskTier: "hgh" is not one of low, medium, high, critical (did you mean "high"?)',
      },
    ]);
  });

  it('points at an unknown key and suggests the known one', () => {
    expect(findings(`${MINIMAL}  valueMetric: []\n`)).toEqual([
      {
        code: 'SCHEMA_UNKNOWN_KEY',
        severity: 'error',
        line: 11,
        column: 3,
        message: 'envision: unknown key "valueMetric" (did you mean "valueMetrics"?)',
      },
    ]);
  });

  it('keeps x- keys anywhere', () => {
    expect(findings(`${MINIMAL}  x-jira: ML-42\nx-team:\n  slack: "#ml"\n`)).toEqual([]);
  });

  it('points a missing key at its parent mapping', () => {
    expect(findings(MINIMAL.replace('  riskTier: low\n', ''))).toEqual([
      expect.objectContaining({
        code: 'SCHEMA_REQUIRED',
        line: 3,
        column: 1,
        message: 'metadata: missing required key "riskTier"',
      }),
    ]);
    expect(findings(MINIMAL.replace('kind: ModelManifest\n', ''))).toEqual([
      expect.objectContaining({
        code: 'SCHEMA_REQUIRED',
        line: 1,
        column: 1,
        message: '(top level): missing required key "kind"',
      }),
    ]);
  });

  it('names the supported apiVersions', () => {
    expect(findings(MINIMAL.replace('mlops/v1', 'mlops/v2'))).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_API_VERSION',
        line: 1,
        column: 13,
        message: 'apiVersion: "mlops/v2" is not supported; supported versions: mlops/v1',
      }),
    ]);
  });

  it('names the one value a fixed key takes', () => {
    expect(findings(MINIMAL.replace('kind: ModelManifest', 'kind: Model'))).toEqual([
      expect.objectContaining({
        code: 'SCHEMA_CONST',
        line: 2,
        column: 7,
        message: 'kind: "Model" must be "ModelManifest"',
      }),
    ]);
  });

  it('says when a value has the wrong type, and that versions need quotes', () => {
    const out = validateText(
      MINIMAL.replace('version: 0.1.0', 'version: 1.0'),
      'mlops.yaml',
      validator,
    );
    expect(out).toEqual([
      expect.objectContaining({
        code: 'SCHEMA_TYPE',
        line: 5,
        column: 12,
        message: 'metadata.version: expected text, got the number 1',
      }),
    ]);
    expect(out[0]?.hint).toContain('"1.0.0"');
  });

  it('explains badly formed ids, names, versions, dates and ranges', () => {
    const text = MINIMAL.replace('name: minimal-model', 'name: Minimal Model')
      .replace('version: 0.1.0', 'version: "1.0"')
      .concat(
        STAKEHOLDERS.replace('id: bo', 'id: Bo'),
        '  valueMetrics:\n    - id: conv\n      name: Conversion\n      baseline: {value: 1, asOf: 2026-02-30}\n',
        '  risks:\n    - id: r1\n      title: Leads misrouted\n      likelihood: 6\n',
      );
    expect(findings(text).map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ['SCHEMA_PATTERN', 4, 9, 'metadata.name: "Minimal Model" is not a valid model name'],
      ['SCHEMA_PATTERN', 5, 12, 'metadata.version: "1.0" is not a semantic version'],
      ['SCHEMA_PATTERN', 15, 11, 'envision.stakeholders[1].id: "Bo" is not a valid id'],
      [
        'SCHEMA_FORMAT',
        21,
        34,
        'envision.valueMetrics[0].baseline.asOf: "2026-02-30" is not a valid date (YYYY-MM-DD)',
      ],
      ['SCHEMA_RANGE', 25, 19, 'envision.risks[0].likelihood: 6 is above the maximum 5'],
    ]);
  });

  it('reports an empty hypothesis and a repeated list item', () => {
    const text = MINIMAL.replace(/hypothesis: .*/, 'hypothesis: ""').concat(
      '  trustworthyAI:\n    privacy:\n      guardrails:\n        - {id: k, metric: k_anonymity, min: 5, phases: [build, build]}\n',
    );
    expect(findings(text).map((f) => f.code)).toEqual(['SCHEMA_EMPTY', 'SCHEMA_DUPLICATE_ITEM']);
  });

  it('collapses a guardrail without bounds into one finding', () => {
    const text = `${MINIMAL}  trustworthyAI:\n    fairImpartial:\n      guardrails:\n        - id: di\n          metric: disparate_impact_ratio\n`;
    expect(findings(text)).toEqual([
      expect.objectContaining({
        code: 'GUARDRAIL_NO_BOUND',
        line: 14,
        column: 11,
        message:
          'envision.trustworthyAI.fairImpartial.guardrails[0]: a guardrail needs a bound: add min and/or max',
      }),
    ]);
  });

  it('reports evidence problems for the form the user wrote, once', () => {
    const guard = (evidence: string) =>
      `${MINIMAL}  trustworthyAI:\n    fairImpartial:\n      guardrails:\n        - id: di\n          metric: dir\n          min: 0.8\n          evidence: ${evidence}\n`;
    expect(findings(guard('{pth: reports/f.json}')).map((f) => [f.code, f.line, f.column])).toEqual(
      [
        ['SCHEMA_REQUIRED', 17, 11],
        ['SCHEMA_UNKNOWN_KEY', 17, 22],
      ],
    );
    expect(findings(guard('""')).map((f) => f.code)).toEqual(['SCHEMA_EMPTY']);
    expect(findings(guard('42'))).toEqual([
      expect.objectContaining({
        code: 'SCHEMA_TYPE',
        message: expect.stringContaining('expected a file path or a mapping'),
      }),
    ]);
  });
});

describe('validate: consistency findings', () => {
  it('finds duplicate ids and unresolved references, with suggestions', () => {
    const text = `${MINIMAL}${STAKEHOLDERS}    - id: ann\n      name: Ann Again\n      role: end_user\n  valueMetrics:\n    - id: conv\n      name: Conversion\n      owner: anne\n`;
    expect(findings(text).map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      [
        'DUPLICATE_ID',
        18,
        11,
        'envision.stakeholders[2].id: stakeholder id "ann" is already used at envision.stakeholders[0].id',
      ],
      [
        'UNKNOWN_REFERENCE',
        24,
        14,
        'envision.valueMetrics[0].owner: no stakeholder has id "anne" (did you mean "ann"?)',
      ],
    ]);
  });

  it('checks references to guardrails, candidates and value metrics', () => {
    const text = `${MINIMAL}${STAKEHOLDERS}  risks:\n    - id: r1\n      title: Bias\n      guardrails: [di]\nbuild:\n  candidates:\n    - id: gbm\n  selected:\n    candidate: gmb\n  evaluations:\n    - id: e1\n      candidate: gbm\n      metric: auc\n      kind: value\n      valueMetric: conv\n`;
    expect(findings(text).map((f) => [f.code, f.message])).toEqual([
      ['UNKNOWN_REFERENCE', 'envision.risks[0].guardrails[0]: no guardrail has id "di"'],
      [
        'UNKNOWN_REFERENCE',
        'build.selected.candidate: no candidate has id "gmb" (did you mean "gbm"?)',
      ],
      ['UNKNOWN_REFERENCE', 'build.evaluations[0].valueMetric: no value metric has id "conv"'],
    ]);
  });

  it('finds inverted bounds, a target against its direction and a prohibited use', () => {
    const text = MINIMAL.replace(
      '  riskTier: low\n',
      '  riskTier: low\n  euAiAct:\n    classification: prohibited\n',
    ).concat(
      STAKEHOLDERS,
      '  valueMetrics:\n    - id: churn\n      name: Churn\n      direction: decrease\n      baseline: {value: 3.2}\n      target: {value: 3.5}\n',
      '  trustworthyAI:\n    fairImpartial:\n      guardrails:\n        - {id: di, metric: dir, min: 1.25, max: 0.8}\n',
    );
    expect(findings(text).map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ['EU_AI_ACT_PROHIBITED', 10, 21, expect.stringContaining('prohibited by Art. 5')],
      [
        'TARGET_DIRECTION',
        25,
        23,
        'value metric "churn": target 3.5 does not decrease from the baseline 3.2',
      ],
      [
        'BOUNDS_INVERTED',
        29,
        38,
        'envision.trustworthyAI.fairImpartial.guardrails[0].min: min 1.25 is above max 0.8, so no value can pass',
      ],
    ]);
  });

  it('warns about PSI without bins, a minimum beyond the target and an unlinked value evaluation', () => {
    const text = MINIMAL.concat(
      STAKEHOLDERS,
      '  valueMetrics:\n    - id: conv\n      name: Conversion\n      direction: increase\n      baseline: {value: 2}\n      target: {value: 3}\n      minimumAcceptable: 3.5\n',
      'build:\n  candidates: [{id: a}]\n  evaluations:\n    - {id: e, candidate: a, metric: m, kind: value}\n',
      'monitor:\n  drift:\n    - {id: d, type: data, method: psi, max: 0.25, warn: 0.3}\n',
    );
    expect(findings(text).map((f) => [f.code, f.severity])).toEqual([
      ['MINIMUM_BEYOND_TARGET', 'warning'],
      ['VALUE_EVALUATION_UNLINKED', 'warning'],
      ['PSI_BINS_MISSING', 'warning'],
      ['DRIFT_WARN_BEYOND_ALERT', 'error'],
    ]);
  });

  it('reads a drift bound by what the number is: a distance from above, a p-value from below', () => {
    const drift = (...checks: string[]): string =>
      MINIMAL.concat(
        STAKEHOLDERS,
        `monitor:\n  drift:\n${checks.map((c) => `    - ${c}\n`).join('')}`,
      );
    const codes = (text: string) => findings(text).map((f) => [f.code, f.message]);
    // ks reports a distance or a p-value: it must say which; max 0.05 read as a distance would
    // alert when the data is stable and pass when it drifted
    expect(codes(drift('{id: d, type: data, method: ks, max: 0.05}'))).toEqual([
      ['DRIFT_STATISTIC_UNSTATED', expect.stringContaining('ks')],
    ]);
    expect(codes(drift('{id: d, type: data, method: ks, statistic: pvalue, max: 0.05}'))).toEqual([
      ['DRIFT_BOUND_WRONG_SIDE', expect.any(String)],
    ]);
    expect(
      findings(drift('{id: d, type: data, method: ks, statistic: pvalue, min: 0.01, warn: 0.05}')),
    ).toEqual([]);
    expect(codes(drift('{id: d, type: data, method: psi, bins: 10, min: 0.1}'))).toEqual([
      ['DRIFT_BOUND_WRONG_SIDE', expect.any(String)],
    ]);
    expect(codes(drift('{id: d, type: data, method: jensenshannon}'))).toEqual([
      ['DRIFT_BOUND_MISSING', expect.any(String)],
    ]);
    expect(
      codes(drift('{id: d, type: data, method: chi2, statistic: pvalue, min: 0.05, warn: 0.01}')),
    ).toEqual([['DRIFT_WARN_BEYOND_ALERT', expect.any(String)]]);
  });

  it('wants an approval to sign one phase or one reassessment, and a continue to give its date', () => {
    const text = `${MINIMAL}${STAKEHOLDERS}monitor:
  reassessments:
    - {id: r1, date: 2026-10-01, decision: continue, rationale: Still on course., decider: bo}
approvals:
  - {id: a1, phase: envision, reassessment: r1, role: data_science, by: bo, decision: approved, date: 2026-01-05, evidence: {}}
  - {id: a2, role: data_science, by: bo, decision: approved, date: 2026-01-05}
`;
    expect(findings(text).map((f) => [f.code, f.message])).toEqual([
      [
        'REASSESSMENT_NO_DATE',
        'monitor.reassessments[0]: decision continue needs targetBy, the new date by which the value targets must be reached',
      ],
      [
        'APPROVAL_SUBJECT',
        'approvals[0]: an approval signs one phase or one reassessment, not both',
      ],
      ['APPROVAL_SUBJECT', 'approvals[1]: the approval names neither a phase nor a reassessment'],
    ]);
  });

  it('warns of a template placeholder at its position', () => {
    const text = MINIMAL.replace(
      'name: minimal-model',
      'name: minimal-model\n  title: "TODO: a title"',
    );
    expect(findings(text)).toEqual([
      expect.objectContaining({ code: 'PLACEHOLDER', severity: 'warning', line: 5, column: 10 }),
    ]);
  });

  it("checks that an approval carries its approver's role", () => {
    const text = `${MINIMAL}${STAKEHOLDERS}approvals:\n  - {id: a1, phase: envision, role: decision_maker, by: bo, decision: approved, date: 2026-01-05, evidence: {}}\n`;
    expect(findings(text)).toEqual([
      expect.objectContaining({
        code: 'APPROVAL_ROLE_MISMATCH',
        line: 19,
        message: 'approvals[0].role: "decision_maker" but stakeholder "bo" has role "data_science"',
      }),
    ]);
  });
});

describe('validate: the same bytes read the same everywhere', () => {
  it('reads +.5 as the number yaml reads, so a title of +.5 is not text', () => {
    expect(
      findings(MINIMAL.replace('name: minimal-model', 'name: minimal-model\n  title: +.5')),
    ).toEqual([
      expect.objectContaining({
        code: 'SCHEMA_TYPE',
        message: 'metadata.title: expected text, got the number 0.5',
      }),
    ]);
  });

  it('reads -0x1F and +0o17 as text, as YAML 1.2 does', () => {
    const read = readManifest(
      `${MINIMAL}  x-ticket: -0x1F\n  x-review: +0o17\n`,
      'm.yaml',
      validator,
    );
    expect(read.findings).toEqual([]);
    expect(read.data).toMatchObject({ envision: { 'x-ticket': '-0x1F', 'x-review': '+0o17' } });
  });
});

describe('validate: findings as data', () => {
  it('carries the words as args, and a fix where one is certain', () => {
    const [enumFinding] = readManifest(
      MINIMAL.replace('riskTier: low', 'riskTier: hgh'),
      'mlops.yaml',
      validator,
    ).findings;
    expect(enumFinding).toMatchObject({
      code: 'SCHEMA_ENUM',
      path: ['metadata', 'riskTier'],
      args: { value: 'hgh', kind: 'string', suggestion: 'high' },
      fix: { kind: 'edit', op: 'set', path: ['metadata', 'riskTier'], value: 'high' },
    });
  });

  it('a fix, applied, makes its finding go away', () => {
    const text = `${MINIMAL}${STAKEHOLDERS}  valueMetrics:\n    - id: conv\n      name: Conversion\n      owner: anne\n`;
    const [f] = readManifest(text, 'mlops.yaml', validator).findings;
    expect(f?.fix).toEqual({
      kind: 'edit',
      op: 'set',
      path: ['envision', 'valueMetrics', 0, 'owner'],
      value: 'ann',
    });
    const fixed = text.replace(
      'owner: anne',
      `owner: ${String((f!.fix as { value: string }).value)}`,
    );
    expect(readManifest(fixed, 'mlops.yaml', validator).findings).toEqual([]);
  });

  it('fingerprints stay when the file moves, lines shift or list items are reordered', () => {
    const base = `${MINIMAL}${STAKEHOLDERS}  valueMetrics:\n    - id: conv\n      name: Conversion\n      owner: anne\n    - id: rev\n      name: Revenue\n      owner: bob\n`;
    const prints = (text: string, file: string) =>
      readManifest(text, file, validator)
        .findings.map((f) => `${f.code} ${String(f.args.id)} ${f.fingerprint}`)
        .sort();
    const before = prints(base, 'a/mlops.yaml');
    expect(before).toHaveLength(2);
    const reordered = base.replace(
      '    - id: conv\n      name: Conversion\n      owner: anne\n    - id: rev\n      name: Revenue\n      owner: bob\n',
      '    - id: rev\n      name: Revenue\n      owner: bob\n    - id: conv\n      name: Conversion\n      owner: anne\n',
    );
    expect(reordered).not.toBe(base);
    expect(prints(`# moved\n\n${reordered}`, 'b/c/mlops.yaml')).toEqual(before);
    // another model's finding is another finding
    expect(prints(base.replace('minimal-model', 'other-model'), 'a/mlops.yaml')).not.toEqual(
      before,
    );
  });
});

describe('validate: names across manifests (the repository-level pass)', () => {
  it('reports each manifest that shares its name, at its name, naming the others', () => {
    const found = duplicateNames([
      { file: 'a/mlops.yaml', name: 'churn', line: 4, column: 9 },
      { file: 'b/mlops.yaml', name: 'churn', line: 5, column: 9 },
      { file: 'c/mlops.yaml', name: 'other', line: 4, column: 9 },
      { file: 'd/mlops.yaml', name: 'churn', line: 4, column: 9 },
    ]);
    expect(
      found.map((f) => [f.file, f.line, f.column, f.code, describeFinding(f).message]),
    ).toEqual([
      [
        'a/mlops.yaml',
        4,
        9,
        'DUPLICATE_NAME',
        'metadata.name: "churn" is also the name of b/mlops.yaml, d/mlops.yaml',
      ],
      [
        'b/mlops.yaml',
        5,
        9,
        'DUPLICATE_NAME',
        'metadata.name: "churn" is also the name of a/mlops.yaml, d/mlops.yaml',
      ],
      [
        'd/mlops.yaml',
        4,
        9,
        'DUPLICATE_NAME',
        'metadata.name: "churn" is also the name of a/mlops.yaml, b/mlops.yaml',
      ],
    ]);
    expect(duplicateNames([{ file: 'a', name: 'x', line: 1, column: 1 }])).toEqual([]);
    const many = Array.from({ length: 6 }, (_, i) => ({
      file: `m${i}`,
      name: 'x',
      line: 1,
      column: 1,
    }));
    expect(describeFinding(duplicateNames(many)[0]!).message).toBe(
      'metadata.name: "x" is also the name of m1, m2, m3 and 2 more',
    );
  });

  it("takes each manifest's name and its position from the reader", () => {
    expect(manifestName(readManifest(MINIMAL, 'm.yaml', validator))).toEqual({
      name: 'minimal-model',
      line: 4,
      column: 9,
    });
    expect(manifestName(readManifest('a: [\n', 'm.yaml', validator))).toBeUndefined();
  });
});
