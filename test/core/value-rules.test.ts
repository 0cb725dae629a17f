/**
 * Value proven, not asserted: rule E2 (a value metric states the least the model must deliver,
 * and by when) and rule B2 (the selected candidate's projected value is read from committed
 * evidence, no worse than the minimum and better than the baseline candidate's), on plain data.
 */
import { describe, expect, it } from 'vitest';
import type { CheckInput } from '../../src/core/check/context.js';
import { createFacts } from '../../src/core/check/facts.js';
import { projectedValue } from '../../src/core/check/projection.js';
import { b2 } from '../../src/core/check/rules/b2.js';
import { e2 } from '../../src/core/check/rules/e2.js';
import { atTarget, belowMinimum, classifyValue, toleranceOf } from '../../src/core/check/values.js';
import type { Finding } from '../../src/core/findings.js';
import type { Manifest, ValueMetric } from '../../src/core/manifest.js';
import { describeFinding } from '../../src/report/messages/words.js';

const DIR = 'models/churn';

/** A manifest's value metric and build, with each candidate's projection in its own report. */
function manifest(
  metric: Partial<ValueMetric> = {},
  build: Partial<NonNullable<Manifest['build']>> = {},
): Manifest {
  return {
    apiVersion: 'mlops/v1',
    kind: 'ModelManifest',
    metadata: { name: 'churn', version: '1.0.0', owner: { name: 'Ana' }, riskTier: 'medium' },
    envision: {
      hypothesis: 'If we call customers at risk, then churn falls, measured by churn-rate.',
      valueMetrics: [
        {
          id: 'churn-rate',
          name: 'Monthly churn',
          unit: '%',
          direction: 'decrease',
          baseline: { value: 1.9 },
          target: { value: 1.6, by: '2027-06-30' },
          minimumAcceptable: 1.8,
          owner: 'cco',
          cadence: 'monthly',
          ...metric,
        },
      ],
    },
    build: {
      candidates: [{ id: 'rules-v3', baseline: true }, { id: 'gbm' }],
      selected: { candidate: 'gbm', rationale: 'best lift' },
      evaluations: [
        {
          id: 'gbm-churn',
          candidate: 'gbm',
          metric: 'projected_churn',
          kind: 'value',
          valueMetric: 'churn-rate',
          evidence: 'reports/value-gbm.json',
        },
        {
          id: 'rules-churn',
          candidate: 'rules-v3',
          metric: 'projected_churn',
          kind: 'value',
          valueMetric: 'churn-rate',
          evidence: 'reports/value-rules.json',
        },
      ],
      ...build,
    },
  } as Manifest;
}

/** Committed reports: `files` by their path under the model's folder. */
function input(files: Record<string, string>, untracked: string[] = []): CheckInput {
  const all = new Map(Object.entries(files).map(([p, t]) => [`${DIR}/${p}`, t]));
  return {
    manifestPath: `${DIR}/mlops.yaml`,
    tracked: new Set([...all.keys()].filter((p) => !untracked.includes(p.slice(DIR.length + 1)))),
    workingState: new Map(),
    evidence: (p) => (all.has(p) ? { kind: 'file', text: all.get(p)! } : { kind: 'missing' }),
    lastCommitDates: new Map(),
    committedVersions: new Map(),
    today: '2026-11-27',
  };
}

const reports = (gbm: unknown, rules: unknown): Record<string, string> => ({
  'reports/value-gbm.json': JSON.stringify({ projected_churn: gbm }),
  'reports/value-rules.json': JSON.stringify({ projected_churn: rules }),
});

const judgeB2 = (m: Manifest, files: Record<string, string>, untracked?: string[]): Finding[] =>
  b2.evaluate(createFacts(m, input(files, untracked)), 'build');
const judgeE2 = (m: Manifest): Finding[] => e2.evaluate(createFacts(m, input({})), 'envision');
const codes = (fs: Finding[]): string[] => fs.map((f) => f.code);
const said = (f: Finding | undefined): string => (f ? describeFinding(f).message : '');
const fix = (f: Finding | undefined): string => (f ? (describeFinding(f).hint ?? '') : '');

describe('B2: the projected value, proven', () => {
  it('passes when the selected projection beats the minimum and the baseline candidate', () => {
    expect(judgeB2(manifest(), reports(1.7, 1.88))).toEqual([]);
  });

  it('fails churn 2.4 against a baseline of 1.9 and a target of 1.6, side by side', () => {
    const out = judgeB2(manifest(), reports(2.4, 1.88));
    expect(codes(out)).toEqual(['VALUE_PROJECTION_BELOW_MINIMUM', 'VALUE_PROJECTION_NOT_BETTER']);
    const [below] = out;
    expect(below!.args).toMatchObject({
      id: 'churn-rate',
      candidate: 'gbm',
      selected: 2.4,
      baselineCandidateId: 'rules-v3',
      baselineCandidate: 1.88,
      minimum: 1.8,
      baseline: 1.9,
      target: 1.6,
      path: `${DIR}/reports/value-gbm.json`,
      pointer: '/projected_churn',
    });
    expect(below!.path).toEqual(['build', 'evaluations', 0, 'evidence']);
    expect(said(below)).toBe(
      'value metric `churn-rate`: selected gbm projects 2.4, worse than the minimum 1.8 (baseline candidate rules-v3 1.88, baseline 1.9, target 1.6)',
    );
    expect(fix(below)).toMatch(
      /^improve gbm or select a candidate that projects at least the minimum 1\.8/,
    );
    expect(fix(below)).toContain(
      'or waive rule B2: add to `waivers`: `{id: "WAIVER_ID", rule: B2, target: churn-rate, ',
    );
    // a waiver counts once approved
    expect(fix(below)).toContain(
      'and have it approved: `mlops approve models/churn/mlops.yaml --waiver "WAIVER_ID" --by "STAKEHOLDER_ID"`',
    );
  });

  it('fails a selected 2.1 against the baseline candidate 1.88, though above the minimum', () => {
    const m = manifest({ baseline: { value: 2.3 }, minimumAcceptable: 2.2 });
    const out = judgeB2(m, reports(2.1, 1.88));
    expect(codes(out)).toEqual(['VALUE_PROJECTION_NOT_BETTER']);
    expect(said(out[0])).toBe(
      'value metric `churn-rate`: selected gbm projects 2.1, not better than the baseline candidate rules-v3 at 1.88 (minimum 2.2, baseline 2.3, target 1.6)',
    );
    // equal is not better
    expect(codes(judgeB2(m, reports(1.88, 1.88)))).toEqual(['VALUE_PROJECTION_NOT_BETTER']);
    // increase: higher is better
    const up = manifest({
      direction: 'increase',
      baseline: { value: 10 },
      target: { value: 14, by: '2027-01-01' },
      minimumAcceptable: 11,
    });
    expect(codes(judgeB2(up, reports(12, 12.5)))).toEqual(['VALUE_PROJECTION_NOT_BETTER']);
    expect(codes(judgeB2(up, reports(10.5, 10)))).toEqual(['VALUE_PROJECTION_BELOW_MINIMUM']);
    expect(judgeB2(up, reports(12.6, 12.5))).toEqual([]);
  });

  it('holds the projection to the baseline until minimumAcceptable is set', () => {
    const m = manifest({ minimumAcceptable: undefined });
    const out = judgeB2(m, reports(2.4, 1.88));
    expect(codes(out)).toEqual(['VALUE_PROJECTION_BELOW_MINIMUM', 'VALUE_PROJECTION_NOT_BETTER']);
    expect(out[0]!.args).toMatchObject({ minimum: 1.9, minimumFrom: 'baseline' });
    expect(said(out[0])).toBe(
      'value metric `churn-rate`: selected gbm projects 2.4, worse than the baseline 1.9, the floor while minimumAcceptable is not set (baseline candidate rules-v3 1.88, target 1.6)',
    );
    expect(judgeB2(m, reports(1.85, 1.88))).toEqual([]);
  });

  it('passes a projection exactly at the minimum', () => {
    expect(judgeB2(manifest(), reports(1.8, 1.88))).toEqual([]);
  });

  it('fails when the report holds no number, naming the evaluation and the pointers tried', () => {
    const out = judgeB2(manifest(), {
      'reports/value-gbm.json': JSON.stringify({ note: 'no observation' }),
      'reports/value-rules.json': JSON.stringify({ projected_churn: 1.88 }),
    });
    expect(codes(out)).toEqual(['VALUE_PROJECTION_UNOBSERVED']);
    expect(out[0]!.args).toMatchObject({
      role: 'selected',
      candidate: 'gbm',
      evaluation: 'gbm-churn',
      problem: 'absent',
      pointers: ['/projected_churn', '/metrics/projected_churn'],
    });
    expect(said(out[0])).toBe(
      'value metric `churn-rate`: no projected value for the selected candidate gbm (evaluation `gbm-churn`): models/churn/reports/value-gbm.json has no value at /projected_churn or /metrics/projected_churn',
    );
    expect(fix(out[0])).toBe(
      'write the projected churn-rate of gbm as a number at /projected_churn or /metrics/projected_churn of models/churn/reports/value-gbm.json and commit it (`git add models/churn/reports/value-gbm.json && git commit -m "Update evidence of churn"`), or give `build.evaluations[0].evidence` a pointer to where it is',
    );
  });

  it('fails a projection that is text, or whose report is not committed, with that fix', () => {
    const text = judgeB2(manifest(), reports('2.4', 1.88));
    expect(said(text[0])).toContain('holds "2.4" at /projected_churn, not a number');
    const untracked = judgeB2(manifest(), reports(1.7, 1.88), ['reports/value-gbm.json']);
    expect(codes(untracked)).toEqual(['VALUE_PROJECTION_UNOBSERVED']);
    expect(said(untracked[0])).toBe(
      'value metric `churn-rate`: no projected value for the selected candidate gbm (evaluation `gbm-churn`): models/churn/reports/value-gbm.json exists but is not committed (rule G1)',
    );
    expect(fix(untracked[0])).toBe(
      'commit it: `git add models/churn/reports/value-gbm.json && git commit -m "Add evidence of churn"`',
    );
  });

  it('fails an evaluation that names no evidence', () => {
    const m = manifest();
    delete m.build!.evaluations![0]!.evidence;
    const out = judgeB2(m, reports(1.7, 1.88));
    expect(codes(out)).toEqual(['VALUE_PROJECTION_UNOBSERVED']);
    expect(out[0]!.path).toEqual(['build', 'evaluations', 0]);
    expect(fix(out[0])).toMatch(/^set `build\.evaluations\[0\]\.evidence` to `"EVIDENCE_FILE"`/);
  });

  it('fails when the selected candidate is the baseline', () => {
    const m = manifest({}, { selected: { candidate: 'rules-v3' } });
    const out = judgeB2(m, reports(1.7, 1.75));
    expect(codes(out)).toEqual(['VALUE_SELECTED_IS_BASELINE']);
    expect(out[0]!.path).toEqual(['build', 'selected', 'candidate']);
    expect(said(out[0])).toBe(
      'the selected candidate rules-v3 is the baseline: no model beat what it replaces',
    );
    expect(fix(out[0])).toBe(
      'select the candidate that is not the baseline: set `build.selected.candidate` to `gbm`, once its projected value beats that of rules-v3',
    );
    // still held to the minimum
    expect(codes(judgeB2(m, reports(1.7, 1.88)))).toEqual([
      'VALUE_SELECTED_IS_BASELINE',
      'VALUE_PROJECTION_BELOW_MINIMUM',
    ]);
  });

  it('needs the baseline candidate evaluated too', () => {
    const m = manifest();
    m.build!.evaluations!.pop();
    const out = judgeB2(m, reports(1.7, 1.88));
    expect(codes(out)).toEqual(['VALUE_BASELINE_EVALUATION_MISSING']);
    expect(out[0]!.path).toEqual(['envision', 'valueMetrics', 0, 'id']);
    expect(said(out[0])).toBe(
      'value metric `churn-rate`: the baseline candidate rules-v3 has no evaluation of kind value, so nothing shows that gbm beats it',
    );
    expect(fix(out[0])).toBe(
      'add to `build.evaluations`: `{id: "EVALUATION_ID", candidate: rules-v3, metric: "METRIC", kind: value, valueMetric: churn-rate, evidence: "EVIDENCE_FILE"}` (metric and evidence: where a committed JSON or YAML report holds the projected churn-rate of rules-v3, as evaluation gbm-churn holds that of gbm)',
    );
    // the baseline candidate's report without the number
    const blank = judgeB2(manifest(), {
      ...reports(1.7, 0),
      'reports/value-rules.json': '{}',
    });
    expect(blank.map((f) => [f.code, f.args.role, f.args.candidate])).toEqual([
      ['VALUE_PROJECTION_UNOBSERVED', 'baseline', 'rules-v3'],
    ]);
  });

  it('needs the selected candidate evaluated, and says so for it', () => {
    const m = manifest();
    m.build!.evaluations!.shift();
    const out = judgeB2(m, reports(1.7, 1.88));
    expect(codes(out)).toEqual(['VALUE_EVALUATION_MISSING']);
    expect(said(out[0])).toBe(
      'value metric `churn-rate` has no evaluation of kind value for the selected candidate gbm',
    );
    expect(fix(out[0])).toContain(
      '`{id: "EVALUATION_ID", candidate: gbm, metric: "METRIC", kind: value, valueMetric: churn-rate, evidence: "EVIDENCE_FILE"}`',
    );
  });

  it('without a selected candidate, asks only for a value evaluation (rule B1 asks for the selection)', () => {
    const m = manifest();
    delete m.build!.selected;
    expect(judgeB2(m, reports(2.4, 1.88))).toEqual([]);
    m.build!.evaluations = [];
    expect(codes(judgeB2(m, {}))).toEqual(['VALUE_EVALUATION_MISSING']);
  });

  it('holds maintain to the tolerance band around the target', () => {
    const keep = manifest({
      direction: 'maintain',
      baseline: { value: 95 },
      target: { value: 95, by: '2027-01-01' },
      minimumAcceptable: undefined,
      tolerance: 2,
    });
    expect(judgeB2(keep, reports(96.5, 95.1))).toEqual([]);
    expect(judgeB2(keep, reports(97, 95.1))).toEqual([]);
    const out = judgeB2(keep, reports(97.5, 95.1));
    expect(codes(out)).toEqual(['VALUE_PROJECTION_BELOW_MINIMUM']);
    expect(said(out[0])).toBe(
      'value metric `churn-rate`: selected gbm projects 97.5, outside the band 95 ± 2 around the target (baseline candidate rules-v3 95.1, baseline 95)',
    );
    // a decimal band edge counts as inside
    const edge = manifest({
      direction: 'maintain',
      target: { value: 1.6, by: '2027-01-01' },
      tolerance: 0.1,
    });
    expect(judgeB2(edge, reports(1.7, 1.6))).toEqual([]);
  });
});

describe('projectedValue', () => {
  it('reads the first value evaluation of the metric and candidate that holds a number', () => {
    const m = manifest();
    m.build!.evaluations!.unshift({
      id: 'gbm-draft',
      candidate: 'gbm',
      metric: 'draft',
      kind: 'value',
      valueMetric: 'churn-rate',
      evidence: 'reports/value-gbm.json',
    });
    const facts = createFacts(m, input(reports(1.7, 1.88)));
    expect(projectedValue(facts, 'churn-rate', 'gbm')).toEqual({
      evaluation: { id: 'gbm-churn', index: 1, metric: 'projected_churn' },
      value: 1.7,
      path: `${DIR}/reports/value-gbm.json`,
      pointer: '/projected_churn',
      repoPath: `${DIR}/reports/value-gbm.json`,
    });
    expect(projectedValue(facts, 'churn-rate', 'nobody')).toEqual({
      problem: { problem: 'no_evaluation' },
    });
    expect(projectedValue(facts, 'other', 'gbm').problem).toEqual({ problem: 'no_evaluation' });
  });

  it("reads at the evidence's pointer and says why there is no number", () => {
    const m = manifest();
    m.build!.evaluations![0]!.evidence = {
      path: 'reports/value-gbm.json',
      pointer: '/candidates/gbm',
    };
    const facts = createFacts(
      m,
      input({ 'reports/value-gbm.json': '{"candidates": {"gbm": 1.72}}' }),
    );
    expect(projectedValue(facts, 'churn-rate', 'gbm')).toMatchObject({
      value: 1.72,
      pointer: '/candidates/gbm',
    });
    expect(projectedValue(facts, 'churn-rate', 'rules-v3')).toMatchObject({
      evaluation: { id: 'rules-churn' },
      problem: { problem: 'evidence', cause: 'EVIDENCE_MISSING' },
    });
  });
});

describe('E2: the least the model must deliver, and by when', () => {
  it('passes a complete metric', () => {
    expect(judgeE2(manifest())).toEqual([]);
  });

  it('reports minimumAcceptable and target.by missing, with an edit for each', () => {
    const out = judgeE2(
      manifest({ minimumAcceptable: undefined, target: { value: 1.6 } as ValueMetric['target'] }),
    );
    expect(codes(out)).toEqual(['VALUE_METRIC_INCOMPLETE']);
    expect(out[0]!.args.missing).toEqual(['target.by', 'minimumAcceptable']);
    expect(said(out[0])).toBe(
      'value metric `churn-rate` has no target date (target.by), minimumAcceptable',
    );
    expect(fix(out[0])).toBe(
      'add to `envision.valueMetrics[0]`: `{minimumAcceptable: "MINIMUM"}`, and add to `envision.valueMetrics[0].target`: `{by: "YYYY-MM-DD"}` (by: the date the target is due; minimumAcceptable: the worst value at which the model still pays for itself, from the baseline (included) to the target)',
    );
  });

  it('asks for the whole target, date included, when there is none', () => {
    const out = judgeE2(manifest({ target: undefined }));
    expect(out[0]!.args.missing).toEqual(['target']);
    expect(fix(out[0])).toBe(
      'add to `envision.valueMetrics[0]`: `{target: {value: "TARGET", by: "YYYY-MM-DD"}}` (target: numbers; by: the date the target is due)',
    );
  });

  it('asks maintain for a tolerance instead of minimumAcceptable', () => {
    const keep = manifest({
      direction: 'maintain',
      baseline: { value: 95 },
      target: { value: 95, by: '2027-01-01' },
      minimumAcceptable: undefined,
    });
    const out = judgeE2(keep);
    expect(out.map((f) => f.args.missing)).toEqual([['tolerance']]);
    expect(fix(out[0])).toContain('`{tolerance: "TOLERANCE"}`');
    expect(
      judgeE2({
        ...keep,
        envision: {
          ...keep.envision!,
          valueMetrics: [{ ...keep.envision!.valueMetrics![0]!, tolerance: 0 }],
        },
      }),
    ).toEqual([]);
  });

  it('reports a minimum outside baseline..target, the baseline included', () => {
    const worse = judgeE2(manifest({ minimumAcceptable: 2.0 }));
    expect(codes(worse)).toEqual(['VALUE_MINIMUM_OUT_OF_RANGE']);
    expect(worse[0]!.path).toEqual(['envision', 'valueMetrics', 0, 'minimumAcceptable']);
    expect(said(worse[0])).toBe(
      'value metric `churn-rate`: minimumAcceptable 2 is worse than the baseline 1.9, so the model would be accepted doing worse than today (target 1.6)',
    );
    expect(fix(worse[0])).toBe(
      'set `envision.valueMetrics[0].minimumAcceptable` to `"MINIMUM"` (the worst value at which the model still pays for itself: a number from the baseline 1.9, included, to the target 1.6)',
    );
    const beyond = judgeE2(manifest({ minimumAcceptable: 1.5 }));
    expect(beyond.map((f) => [f.code, f.args.side])).toEqual([
      ['VALUE_MINIMUM_OUT_OF_RANGE', 'target'],
    ]);
    expect(judgeE2(manifest({ minimumAcceptable: 1.9 }))).toEqual([]);
    expect(judgeE2(manifest({ minimumAcceptable: 1.6 }))).toEqual([]);
    const up = manifest({
      direction: 'increase',
      baseline: { value: 10 },
      target: { value: 14, by: '2027-01-01' },
      minimumAcceptable: 9,
    });
    expect(codes(judgeE2(up))).toEqual(['VALUE_MINIMUM_OUT_OF_RANGE']);
  });
});

describe('values with a tolerance', () => {
  const keep: ValueMetric = {
    id: 'k',
    name: 'k',
    direction: 'maintain',
    baseline: { value: 95 },
    target: { value: 95 },
    tolerance: 1,
  };

  it('classifies maintain by its tolerance band, inclusive', () => {
    expect([95, 96, 94, 96.5].map((v) => classifyValue(keep, v))).toEqual([
      'on_track',
      'on_track',
      'on_track',
      'failing',
    ]);
    expect([belowMinimum(keep, 96), belowMinimum(keep, 96.5)]).toEqual([false, true]);
    expect([atTarget(keep, 95.5), atTarget(keep, 93)]).toEqual([true, false]);
  });

  it('prefers tolerance to the band minimumAcceptable gave before it', () => {
    const both = { ...keep, minimumAcceptable: 90 };
    expect(toleranceOf(both)).toBe(1);
    expect(classifyValue(both, 93)).toBe('failing');
    const legacy = { ...keep, tolerance: undefined, minimumAcceptable: 93 };
    expect(toleranceOf(legacy)).toBe(2);
    expect(classifyValue(legacy, 96.5)).toBe('on_track');
    const neither = { ...keep, tolerance: undefined };
    expect([classifyValue(neither, 95), classifyValue(neither, 95.1)]).toEqual([
      'on_track',
      'at_risk',
    ]);
    expect(belowMinimum(neither, 80)).toBe(false);
  });

  it('is at target at or beyond it in direction', () => {
    const down: ValueMetric = { id: 'c', name: 'c', direction: 'decrease', target: { value: 1.6 } };
    expect([atTarget(down, 1.6), atTarget(down, 1.5), atTarget(down, 1.61)]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
