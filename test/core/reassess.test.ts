import { describe, expect, it } from 'vitest';
import {
  approvalStates,
  reassessmentApprovalStates,
  reassessmentStandings,
} from '../../src/core/approvals.js';
import { approveManifest } from '../../src/core/approve.js';
import { checkReadiness } from '../../src/core/check/index.js';
import type { RuleResult } from '../../src/core/check/index.js';
import { digestOf } from '../../src/core/digest.js';
import type { Finding } from '../../src/core/findings.js';
import type { Approval, Manifest, Reassessment } from '../../src/core/manifest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { validator } from '../helpers/validator.js';

const VALUE = 'models/churn/reports/value.json';

/** A manifest in monitor with one value metric (churn, down from 1.9 to 1.6) due by `by`. */
function manifest(
  options: {
    tier?: string;
    by?: string;
    direction?: string;
    target?: number;
    tolerance?: number;
    reassessments?: Reassessment[];
    status?: string;
  } = {},
): Manifest {
  const direction = options.direction ?? 'decrease';
  return {
    apiVersion: 'mlops/v1',
    kind: 'ModelManifest',
    metadata: {
      name: 'churn',
      version: '1.0.0',
      owner: { name: 'Ada' },
      riskTier: (options.tier ?? 'medium') as Manifest['metadata']['riskTier'],
      status: (options.status ?? 'monitor') as Manifest['metadata']['status'],
    },
    envision: {
      hypothesis: 'If we call customers likely to leave, then fewer leave.',
      stakeholders: [
        { id: 'cco', name: 'Chief Commercial Officer', role: 'decision_maker' },
        { id: 'cro', name: 'Model Risk', role: 'risk_2nd_line' },
      ],
      valueMetrics: [
        {
          id: 'churn-rate',
          name: 'Monthly churn',
          unit: 'percent',
          direction,
          baseline: { value: direction === 'maintain' ? 1.6 : 1.9 },
          target: { value: options.target ?? 1.6, by: options.by ?? '2025-11-30' },
          ...(direction === 'maintain'
            ? { tolerance: options.tolerance ?? 0.1 }
            : { minimumAcceptable: direction === 'increase' ? 1.2 : 1.8 }),
          owner: 'cco',
          cadence: 'monthly',
        },
      ],
    },
    monitor: {
      valueTracking: { cadence: 'monthly', evidence: 'reports/value.json' },
      ...(options.reassessments ? { reassessments: options.reassessments } : {}),
    },
    approvals: [],
  } as unknown as Manifest;
}

/** Signs reassessment `id` as it is now, as `mlops approve --reassessment` would. */
function sign(m: Manifest, id: string, by = 'cco', extra: Partial<Approval> = {}): Manifest {
  const item = m.monitor!.reassessments!.find((r) => r.id === id);
  const role = by === 'cro' ? 'risk_2nd_line' : 'decision_maker';
  m.approvals!.push({
    reassessment: id,
    role,
    by,
    decision: 'approved',
    date: '2026-11-30',
    digest: digestOf(item),
    ...extra,
  });
  return m;
}

const cont = (id: string, date: string, targetBy: string): Reassessment => ({
  id,
  date,
  decision: 'continue',
  rationale: 'The retention offers launch in Q1.',
  decider: 'cco',
  targetBy,
});

/** M3 of `m` with the value report holding `churn` (newest first). */
function m3(m: Manifest, churn: number[] = [1.75], today = '2026-11-30'): RuleResult {
  const report = checkReadiness(m, {
    manifestPath: 'models/churn/mlops.yaml',
    tracked: new Set([VALUE]),
    workingState: new Map(),
    evidence: (p) =>
      p === VALUE
        ? { kind: 'file', text: JSON.stringify({ metrics: { 'churn-rate': churn[0] } }) }
        : { kind: 'missing' },
    lastCommitDates: new Map([[VALUE, '2026-11-20']]),
    committedVersions: new Map([
      [
        VALUE,
        churn.map((v, i) => ({
          commit: `c${i}`.padEnd(40, '0'),
          date: '2026-11-20',
          text: JSON.stringify({ metrics: { 'churn-rate': v } }),
        })),
      ],
    ]),
    today,
  });
  const rule = report.phases.find((p) => p.phase === 'monitor')!.rules.find((r) => r.id === 'M3');
  if (!rule) throw new Error('no M3');
  return rule;
}

const codes = (r: RuleResult): string[] => r.findings.map((f) => f.code);
const said = (f: Finding | undefined): string => describeFinding(f!).message;
const hint = (f: Finding | undefined): string | undefined => describeFinding(f!).hint;

describe('M3: the target date', () => {
  it('fails once target.by has passed and the latest value is not at target, saying "reassess"', () => {
    const r = m3(manifest({ by: '2025-11-30' }), [1.75]);
    expect(r.status).toBe('fail');
    expect(codes(r)).toEqual(['VALUE_TARGET_DATE_PASSED']);
    const f = r.findings[0]!;
    expect(f.path).toEqual(['envision', 'valueMetrics', 0, 'target', 'by']);
    expect(said(f)).toBe(
      'value metric `churn-rate` missed its target date 2025-11-30: it is 1.75 in models/churn/reports/value.json (committed 2026-11-20), not at the target 1.6 (baseline 1.9); reassess whether to continue, change or retire the model',
    );
    expect(hint(f)).toBe(
      'reassess: add to `monitor.reassessments`: `{id: reassess-2026-11-30, date: 2026-11-30, decision: continue, rationale: "RATIONALE", decider: cco, targetBy: "YYYY-MM-DD"}`, then sign it off: `mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by cco`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment reassess-2026-11-30"` (decision: continue with a new targetBy; change or retire the model without one)',
    );
  });

  it('passes on the date itself, before it, and at or beyond the target after it', () => {
    expect(m3(manifest({ by: '2026-11-30' }), [1.75]).status).toBe('pass');
    expect(m3(manifest({ by: '2027-06-30' }), [1.75]).status).toBe('pass');
    expect(m3(manifest({ by: '2025-11-30' }), [1.6]).status).toBe('pass');
    expect(m3(manifest({ by: '2025-11-30' }), [1.5]).status).toBe('pass');
    // increase: at or above the target
    const up = manifest({ by: '2025-11-30', direction: 'increase', target: 2 });
    expect(m3(up, [2]).status).toBe('pass');
    expect(codes(m3(up, [1.9]))).toEqual(['VALUE_TARGET_DATE_PASSED']);
  });

  it('asks every role the tier requires to sign the reassessment, adding one nobody holds', () => {
    const r = m3(manifest({ tier: 'critical' }));
    expect(hint(r.findings[0])).toBe(
      'reassess: add to `monitor.reassessments`: `{id: reassess-2026-11-30, date: 2026-11-30, decision: continue, rationale: "RATIONALE", decider: cco, targetBy: "YYYY-MM-DD"}`, then sign it off: `mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by cco`, `mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by cro` and add an internal_audit to the team (add to `envision.stakeholders`: `{id: "STAKEHOLDER_ID", name: "NAME", role: internal_audit}`), then `mlops approve models/churn/mlops.yaml --reassessment reassess-2026-11-30 --by "STAKEHOLDER_ID"`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment reassess-2026-11-30"` (decision: continue with a new targetBy; change or retire the model without one)',
    );
  });

  it('holds maintain to the tolerance band around the target', () => {
    const keep = manifest({ by: '2025-11-30', direction: 'maintain', tolerance: 0.1 });
    expect(m3(keep, [1.69]).status).toBe('pass');
    expect(m3(keep, [1.5]).status).toBe('pass');
    // outside the band is below the minimum too, for maintain
    const r = m3(keep, [1.75]);
    expect(codes(r)).toEqual(['VALUE_BELOW_MINIMUM', 'VALUE_TARGET_DATE_PASSED']);
    expect(said(r.findings[1])).toContain('not at the target 1.6 ± 0.1');
  });

  it('judges the latest committed version, and keeps the minimum as it was', () => {
    // the latest is at target: an older miss does not count
    expect(m3(manifest(), [1.6, 2.0]).status).toBe('pass');
    // worse than the minimum and past the date: both are said
    const r = m3(manifest(), [1.85]);
    expect(codes(r)).toEqual(['VALUE_BELOW_MINIMUM', 'VALUE_TARGET_DATE_PASSED']);
    // the minimum alone, before the date
    expect(codes(m3(manifest({ by: '2027-06-30' }), [1.85]))).toEqual(['VALUE_BELOW_MINIMUM']);
  });
});

describe('M3: reassessments', () => {
  it('an approved continue moves the date; envision target.by keeps the original', () => {
    const m = sign(manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30')] }), 'r1');
    expect(m3(m, [1.75]).status).toBe('pass');
    expect(m.envision!.valueMetrics![0]!.target!.by).toBe('2025-11-30');
    // once that date passes too, M3 fails at the metric's target, naming the reassessment
    const r = m3(m, [1.75], '2027-07-01');
    expect(codes(r)).toEqual(['VALUE_TARGET_DATE_PASSED']);
    expect(r.findings[0]!.path).toEqual(['envision', 'valueMetrics', 0, 'target']);
    expect(said(r.findings[0])).toContain(
      'missed its target date 2027-06-30 (set by reassessment `r1`)',
    );
    expect(hint(r.findings[0])).toContain('--reassessment reassess-2027-07-01 --by cco');
  });

  it('an unapproved reassessment does not count, and says which sign-off it lacks', () => {
    const m = manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30')] });
    const r = m3(m, [1.75]);
    expect(r.status).toBe('fail');
    expect(codes(r)).toEqual(['REASSESSMENT_UNAPPROVED', 'VALUE_TARGET_DATE_PASSED']);
    const [unapproved, passed] = r.findings;
    expect(unapproved!.severity).toBe('warning');
    expect(unapproved!.path).toEqual(['monitor', 'reassessments', 0]);
    expect(said(unapproved)).toBe(
      'reassessment `r1` (continue, 2026-11-30) does not count until approved: no approval by a decision_maker; envision target.by still holds',
    );
    expect(hint(unapproved)).toBe(
      'sign it off: `mlops approve models/churn/mlops.yaml --reassessment r1 --by cco`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment r1"`',
    );
    expect(unapproved!.fix).toEqual({
      kind: 'command',
      argv: ['mlops', 'approve', 'models/churn/mlops.yaml', '--reassessment', 'r1', '--by', 'cco'],
    });
    // the date's hint approves the reassessment already recorded, rather than add another
    expect(hint(passed)).toBe(
      'reassess: reassessment `r1` continues to 2027-06-30 once approved; sign it off: `mlops approve models/churn/mlops.yaml --reassessment r1 --by cco`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment r1"`',
    );
    expect(passed!.fix).toEqual(unapproved!.fix);
    // with no pending reassessment, what to record is the team's to say: no fix as data
    expect(m3(manifest()).findings[0]!.fix).toBeUndefined();
  });

  it('a rejected, stale or undigested approval does not count either', () => {
    const rejected = sign(
      manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30')] }),
      'r1',
      'cco',
      { decision: 'rejected' },
    );
    const r = m3(rejected);
    expect(codes(r)).toContain('REASSESSMENT_UNAPPROVED');
    expect(said(r.findings[0])).toContain('it was rejected by cco (decision_maker) on 2026-11-30');
    expect(hint(r.findings[0])).toMatch(/^address the reasons of the rejection/);

    const stale = sign(manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30')] }), 'r1');
    stale.monitor!.reassessments![0]!.targetBy = '2028-06-30';
    const s = m3(stale);
    expect(codes(s)).toEqual(['REASSESSMENT_UNAPPROVED', 'VALUE_TARGET_DATE_PASSED']);
    expect(said(s.findings[0])).toContain(
      'the approval by cco (decision_maker) on 2026-11-30 is stale: the reassessment changed since',
    );

    const undigested = sign(
      manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30')] }),
      'r1',
    );
    delete undigested.approvals![0]!.digest;
    expect(codes(m3(undigested))).toContain('REASSESSMENT_UNAPPROVED');
  });

  it('at tier high, the risk_2nd_line signs too (as for a phase)', () => {
    const m = sign(
      manifest({ tier: 'high', reassessments: [cont('r1', '2026-11-30', '2027-06-30')] }),
      'r1',
    );
    const r = m3(m);
    expect(codes(r)).toEqual(['REASSESSMENT_UNAPPROVED', 'VALUE_TARGET_DATE_PASSED']);
    expect(said(r.findings[0])).toContain('no approval by a risk_2nd_line');
    expect(hint(r.findings[0])).toBe(
      'sign it off: `mlops approve models/churn/mlops.yaml --reassessment r1 --by cro`, then commit it: `git add models/churn/mlops.yaml && git commit -m "Sign off reassessment r1"`',
    );
    expect(m3(sign(m, 'r1', 'cro')).status).toBe('pass');
  });

  it('the latest approved decision counts: change and retire fail until a newer continue is approved', () => {
    const change: Reassessment = {
      id: 'r2',
      date: '2026-12-01',
      decision: 'change',
      rationale: 'Offers do not work; retrain on call outcomes.',
      decider: 'cco',
    };
    const m = sign(
      sign(manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30'), change] }), 'r1'),
      'r2',
    );
    const r = m3(m, [1.75], '2026-12-02');
    expect(r.status).toBe('fail');
    expect(codes(r)).toEqual(['REASSESSMENT_DECIDED_CHANGE']);
    expect(r.findings[0]!.path).toEqual(['monitor', 'reassessments', 1, 'decision']);
    expect(said(r.findings[0])).toBe(
      'reassessment `r2` of 2026-12-01 decided to change the model ("Offers do not work; retrain on call outcomes."); monitor is not ready until a newer reassessment that continues is approved',
    );
    expect(hint(r.findings[0])).toContain(
      'add to `monitor.reassessments`: `{id: reassess-2026-12-02, date: 2026-12-02, decision: continue',
    );

    // a newer continue, recorded but not approved, changes nothing yet
    m.monitor!.reassessments!.push(cont('r3', '2027-01-15', '2027-12-31'));
    expect(codes(m3(m, [1.75], '2027-01-16'))).toEqual([
      'REASSESSMENT_UNAPPROVED',
      'REASSESSMENT_DECIDED_CHANGE',
    ]);
    expect(m3(sign(m, 'r3'), [1.75], '2027-01-16').status).toBe('pass');

    const retire = sign(
      manifest({ reassessments: [{ ...change, decision: 'retire', rationale: 'No value.' }] }),
      'r2',
    );
    const retiring = m3(retire, [1.75], '2026-12-02');
    expect(codes(retiring)).toEqual(['REASSESSMENT_DECIDED_RETIRE']);
    expect(retiring.findings[0]!.fix).toEqual({
      kind: 'edit',
      op: 'set',
      path: ['metadata', 'status'],
      value: 'retired',
    });
    expect(hint(retiring.findings[0])).toMatch(
      /^retire it: set `metadata.status` to `retired` \(a retired model is held to no phase\), or record a newer decision that continues: add to `monitor.reassessments`/,
    );
    // carried out: a retired model has nothing left to decide
    retire.metadata.status = 'retired';
    expect(m3(retire, [1.75], '2026-12-02').status).toBe('pass');
  });

  it('orders by date, then by place in the list; an older unapproved one is past', () => {
    const m = manifest({
      reassessments: [
        cont('late', '2026-12-01', '2027-12-31'),
        cont('early', '2026-06-01', '2026-09-30'),
      ],
    });
    expect(reassessmentStandings(m).map((s) => s.reassessment.id)).toEqual(['early', 'late']);
    sign(m, 'late');
    // `early` is older than the approved `late`: approving it would change nothing
    const r = m3(m, [1.75], '2026-12-02');
    expect(r.status).toBe('pass');
    expect(r.findings).toEqual([]);
  });
});

describe('reassessment approvals', () => {
  it('sign the reassessment item, and never count for a phase (nor a phase for them)', () => {
    const m = manifest({ reassessments: [cont('r1', '2026-11-30', '2027-06-30')] });
    m.approvals!.push({
      phase: 'build',
      role: 'decision_maker',
      by: 'cco',
      decision: 'approved',
      date: '2026-11-30',
      digest: digestOf(m.monitor!.reassessments![0]),
    });
    expect(reassessmentApprovalStates(m, 'r1').map((s) => s.status)).toEqual(['missing']);
    sign(m, 'r1');
    expect(reassessmentApprovalStates(m, 'r1').map((s) => s.status)).toEqual(['current']);
    // the build approval is judged against the build section, which it did not sign
    expect(approvalStates(m, 'build').map((s) => [s.status, s.index])).toEqual([['stale', 0]]);
    expect(approvalStates(m, 'envision').map((s) => s.status)).toEqual(['missing']);
  });
});

/** A manifest as text, that validates, with `extra` YAML appended to its monitor section. */
function text(monitorExtra = '', approvals = ''): string {
  return `apiVersion: mlops/v1
kind: ModelManifest
metadata:
  name: churn
  version: 1.0.0
  owner: { name: Ada }
  riskTier: medium
envision:
  hypothesis: If we call customers likely to leave, then fewer leave.
  stakeholders:
    - { id: cco, name: Chief Commercial Officer, role: decision_maker }
monitor:
  valueTracking: { cadence: monthly, evidence: reports/value.json }
${monitorExtra}${approvals ? `approvals:\n${approvals}` : ''}`;
}

const read = (t: string) => readManifest(t, 'mlops.yaml', validator);
const found = (t: string) =>
  read(t).findings.map((f) => [f.code, f.path.join('.'), describeFinding(f).message]);

describe('validate: reassessments', () => {
  it('a decision to continue needs targetBy (REASSESSMENT_NO_DATE), with the edit that adds it', () => {
    const t = text(`  reassessments:
    - { id: r1, date: 2026-11-30, decision: continue, rationale: Offers launch in Q1., decider: cco }
`);
    const f = read(t).findings;
    expect(f.map((x) => [x.code, x.severity, x.path])).toEqual([
      ['REASSESSMENT_NO_DATE', 'error', ['monitor', 'reassessments', 0, 'decision']],
    ]);
    expect(describeFinding(f[0]!)).toEqual({
      message:
        'monitor.reassessments[0]: decision continue needs targetBy, the new date by which the value targets must be reached',
      hint: 'set `monitor.reassessments[0].targetBy` to `"YYYY-MM-DD"`',
    });
    expect(f[0]!.line).toBe(15);
    // change and retire need none
    expect(
      read(
        text(`  reassessments:
    - { id: r1, date: 2026-11-30, decision: retire, rationale: No value., decider: cco }
`),
      ).findings,
    ).toEqual([]);
  });

  it('ids are unique, deciders are stakeholders, approvals name a reassessment', () => {
    const t = text(
      `  reassessments:
    - { id: r1, date: 2026-11-30, decision: retire, rationale: No value., decider: cco }
    - { id: r1, date: 2026-12-30, decision: retire, rationale: No value., decider: coo }
`,
      `  - { id: a1, reassessment: r2, role: decision_maker, by: cco, decision: approved, date: 2026-12-01, digest: "sha256:${'0'.repeat(64)}" }
`,
    );
    expect(found(t)).toEqual([
      [
        'DUPLICATE_ID',
        'monitor.reassessments.1.id',
        'monitor.reassessments[1].id: reassessment id "r1" is already used at monitor.reassessments[0].id',
      ],
      [
        'UNKNOWN_REFERENCE',
        'monitor.reassessments.1.decider',
        'monitor.reassessments[1].decider: no stakeholder has id "coo" (did you mean "cco"?)',
      ],
      [
        'UNKNOWN_REFERENCE',
        'approvals.0.reassessment',
        'approvals[0].reassessment: no reassessment has id "r2" (did you mean "r1"?)',
      ],
    ]);
  });

  it('an approval signs a phase or a reassessment: one of the two', () => {
    const r = `  reassessments:
    - { id: r1, date: 2026-11-30, decision: retire, rationale: No value., decider: cco }
`;
    const sig = `id: a1, role: decision_maker, by: cco, decision: approved, date: 2026-12-01, digest: "sha256:${'0'.repeat(64)}"`;
    expect(read(text(r, `  - { reassessment: r1, ${sig} }\n`)).findings).toEqual([]);
    expect(
      read(
        text(r, `  - { phase: envision, reassessment: r1, ${sig}, evidence: {} }\n`),
      ).findings.map((f) => f.code),
    ).toEqual(['APPROVAL_SUBJECT']);
    expect(read(text(r, `  - { ${sig} }\n`)).findings.map((f) => f.code)).toEqual([
      'APPROVAL_SUBJECT',
    ]);
  });
});

describe('approveManifest of a reassessment', () => {
  const base = text(`  reassessments:
    - { id: r1, date: 2026-11-30, decision: continue, rationale: Offers launch in Q1., decider: cco, targetBy: 2027-06-30 }
`);
  const request = {
    reassessment: 'r1',
    by: 'cco',
    decision: 'approved' as const,
    date: '2026-11-30',
  };

  it('appends `reassessment: <id>` with the digest of the item, every other byte kept', () => {
    const out = approveManifest(base, read, request);
    if (!out.ok) throw new Error(JSON.stringify(out.refusal));
    const item = (read(base).data as unknown as Manifest).monitor!.reassessments![0];
    expect(out.text).toBe(
      `${base}\napprovals:\n  - id: r1-cco-2026-11-30\n    reassessment: r1\n    role: decision_maker\n    by: cco\n    decision: approved\n    date: 2026-11-30\n    digest: ${digestOf(item)}\n`,
    );
    expect(out.approval).not.toHaveProperty('phase');
    // a reassessment binds no evidence
    expect(out.approval).not.toHaveProperty('evidence');
    const signed = read(out.text).data as unknown as Manifest;
    expect(reassessmentApprovalStates(signed, 'r1').map((s) => s.status)).toEqual(['current']);
  });

  it('refuses an unknown id, with the ids there are', () => {
    expect(approveManifest(base, read, { ...request, reassessment: 'r9' })).toEqual({
      ok: false,
      refusal: { kind: 'unknown-reassessment', id: 'r9', ids: ['r1'] },
    });
    expect(approveManifest(text(), read, request)).toEqual({
      ok: false,
      refusal: { kind: 'unknown-reassessment', id: 'r1', ids: [] },
    });
  });
});
