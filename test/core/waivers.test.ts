/**
 * Waivers, judged in core: which findings a waiver excuses (its rule and target), when it is in
 * force (shape, commit, expiry within the maximum, approval), the warnings about it, and what
 * validate says of one the contract refuses.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SignOffCommit } from '../../src/core/approvals.js';
import { checkReadiness, ruleById } from '../../src/core/check/index.js';
import type {
  CheckInput,
  ManifestReport,
  RuleId,
  WaiverState,
} from '../../src/core/check/index.js';
import {
  applyWaivers,
  waiverFindings,
  waiverStates,
  waiverTargets,
} from '../../src/core/check/waivers.js';
import { digestOf } from '../../src/core/digest.js';
import { finding } from '../../src/core/findings.js';
import type { Finding } from '../../src/core/findings.js';
import { readManifest, readYaml } from '../../src/core/manifest/reader.js';
import type { Approval, Manifest, Waiver } from '../../src/core/manifest.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { validator } from '../helpers/validator.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const TODAY = '2026-11-27';

function fixtureFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else files.set(`models/lead/${prefix}${e.name}`, readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  walk(FIXTURE, '');
  return files;
}

function fixture(): Manifest {
  return readYaml(readFileSync(join(FIXTURE, 'mlops.yaml'), 'utf8'), 'mlops.yaml').data as Manifest;
}

/** The fixture's inputs: every file committed and unchanged, unless `files` says otherwise. */
function input(
  files: Map<string, string> = fixtureFiles(),
  extra: Partial<CheckInput> = {},
): CheckInput {
  const valuePath = 'models/lead/reports/value.json';
  return {
    manifestPath: 'models/lead/mlops.yaml',
    tracked: new Set(files.keys()),
    workingState: new Map(),
    evidence: (p) =>
      files.has(p) ? { kind: 'file', text: files.get(p)! } : { kind: 'missing' as const },
    lastCommitDates: new Map(
      files.has(valuePath)
        ? [
            [valuePath, '2026-11-20'],
            ['models/lead/reports/live.json', '2026-11-25'],
          ]
        : [],
    ),
    committedVersions: new Map(
      files.has(valuePath)
        ? [[valuePath, [{ commit: 'c1', date: '2026-11-20', text: files.get(valuePath) }]]]
        : [],
    ),
    today: TODAY,
    ...extra,
  };
}

/** Every finding of a report, with the rule that reported it, excused ones included. */
function allFindings(report: ManifestReport): { rule: RuleId; f: Finding }[] {
  return report.phases.flatMap((p) =>
    p.rules.flatMap((r) => [
      ...r.findings.map((f) => ({ rule: r.id, f })),
      ...(r.waived ?? []).map((w) => ({ rule: r.id, f: w.finding })),
    ]),
  );
}

const WAIVER: Waiver = {
  id: 'waive-b3-auc',
  rule: 'B3',
  target: 'auc',
  reason: 'Retraining is planned.',
  owner: 'ds',
  expires: '2026-12-15',
};

/** The approval of waiver `w` by `by` (role `role`), over its digest as it is. */
function approvalOf(w: Waiver, by = 'head-sales', role = 'decision_maker'): Approval {
  return {
    id: `${w.id}-${by}-2026-11-21`,
    waiver: w.id!,
    role: role as Approval['role'],
    by,
    decision: 'approved',
    date: '2026-11-21',
    digest: digestOf(w),
  };
}

/** A manifest with `waivers`, each approved by the decision maker unless `approved` is false. */
function withWaivers(list: Waiver[], approved = true): Manifest {
  const m = fixture();
  m.approvals = approved ? list.filter((w) => w.id).map((w) => approvalOf(w)) : [];
  m.waivers = list;
  return m;
}

const commit = (date: string): SignOffCommit => ({
  commit: 'a'.repeat(40),
  short: 'aaaaaaa',
  date,
  authorName: 'Dana Scott',
  authorEmail: 'dana@example.com',
});

/** The states of a manifest's waivers, without git unless `commits` are given. */
function states(
  m: Manifest,
  extra: { today?: string; commits?: Map<string, SignOffCommit | null>; maxDays?: number } = {},
): WaiverState[] {
  return waiverStates(
    m,
    {
      today: extra.today ?? TODAY,
      ...(extra.commits ? { waiverCommits: extra.commits } : {}),
      ...(extra.maxDays !== undefined ? { waiverMaxDays: extra.maxDays } : {}),
    },
    undefined,
  );
}

describe('the findings of rules whose findings name items', () => {
  it('each name the item they are about, among the targets a waiver of the rule may name', () => {
    // broken several ways, so that every targeted rule reports findings
    const reports: { m: Manifest; report: ManifestReport }[] = [];
    const judge = (m: Manifest, files?: Map<string, string>, extra?: Partial<CheckInput>) =>
      reports.push({ m, report: checkReadiness(m, input(files, extra)) });
    // every evidence file missing: G1, B3, B4, M1, M2 and M3 say so
    judge(fixture(), new Map());
    // values out of bounds, stale reports, value below its minimum
    const files = fixtureFiles();
    const metrics = 'models/lead/reports/metrics.json';
    files.set(
      metrics,
      files
        .get(metrics)!
        .replace('"roc_auc": 0.78', '"roc_auc": 0.65')
        .replace('"projected_conversion": 13.1', '"projected_conversion": 9'),
    );
    judge(fixture(), files, { today: '2027-06-01' });
    // empty lists, incomplete items, missing dimensions, dialUp without groups
    const m = fixture();
    m.envision.valueMetrics = [];
    m.envision.risks = [{ id: 'r1' } as never];
    const fair = m.envision.trustworthyAI!.fairImpartial!;
    fair.rigor = 'dialUp';
    m.envision.trustworthyAI = { fairImpartial: fair } as typeof m.envision.trustworthyAI;
    m.monitor!.drift = [];
    judge(m);
    const lone = fixture();
    lone.envision.valueMetrics![0]!.unit = undefined as never;
    lone.deploy!.valueMeasurement = [];
    judge(lone);

    const seen = new Set<string>();
    for (const { m: manifest, report } of reports)
      for (const { rule, f } of allFindings(report)) {
        if (!ruleById(rule).targeted || f.code.startsWith('WAIVER_')) continue;
        seen.add(rule);
        expect({ rule, code: f.code, target: typeof f.args.waiverTarget }).toEqual({
          rule,
          code: f.code,
          target: 'string',
        });
        if (ruleById(rule).waivable)
          expect(waiverTargets(rule, manifest), `${rule} ${f.code}`).toContain(f.args.waiverTarget);
      }
    expect([...seen].sort()).toEqual(
      ['G1', 'E2', 'E3', 'E4', 'E5', 'B2', 'B3', 'B4', 'D4', 'M1', 'M2', 'M3'].sort(),
    );
  });
});

describe('matching: a waiver in force excuses the errors about its target', () => {
  const auc = finding('GUARDRAIL_OUT_OF_BOUNDS', ['x'], { id: 'auc', waiverTarget: 'auc' });
  const parity = finding('GUARDRAIL_OUT_OF_BOUNDS', ['y'], {
    id: 'parity',
    waiverTarget: 'parity',
  });
  const inForce = (w: Partial<WaiverState>): WaiverState => ({
    id: 'w1',
    rule: 'B3',
    target: 'auc',
    reason: '',
    owner: 'ds',
    expires: '2026-12-15',
    status: 'in_force',
    problems: [],
    signOffs: [],
    maxDays: 90,
    index: 0,
    ...w,
  });

  it('excuses only its target: the rule fails while another error stands', () => {
    const judged = applyWaivers(ruleById('B3'), [auc, parity], [inForce({})]);
    expect(judged.status).toBe('fail');
    expect(judged.findings).toEqual([parity]);
    expect(judged.waived).toEqual([{ finding: auc, waiver: 'w1' }]);
  });

  it('is waived when every error is excused, warnings standing', () => {
    const warning = finding('WAIVER_EXPIRING', ['waivers', 0, 'expires'], { id: 'w1' });
    const judged = applyWaivers(
      ruleById('B3'),
      [auc, parity, warning],
      [inForce({}), inForce({ id: 'w2', target: 'parity', index: 1 })],
    );
    expect(judged.status).toBe('waived');
    expect(judged.findings).toEqual([warning]);
    expect(judged.waived.map((w) => w.waiver)).toEqual(['w1', 'w2']);
  });

  it('warns of an expiry only while the waiver excuses something', () => {
    const soon = finding('WAIVER_EXPIRING', ['waivers', 0, 'expires'], { id: 'w1', daysLeft: 3 });
    expect(applyWaivers(ruleById('B3'), [auc, soon], [inForce({})]).findings).toEqual([soon]);
    const fixed = applyWaivers(ruleById('B3'), [soon], [inForce({})]);
    expect(fixed).toEqual({ status: 'pass', findings: [], waived: [] });
  });

  it('never excuses with a waiver not in force, of another rule, or of another target', () => {
    for (const w of [
      inForce({ status: 'unapproved', problems: ['unapproved'] }),
      inForce({ rule: 'M1' }),
      inForce({ target: 'aucc' }),
    ]) {
      const judged = applyWaivers(ruleById('B3'), [auc], [w]);
      expect(judged.status).toBe('fail');
      expect(judged.waived).toEqual([]);
    }
  });

  it('excuses every error of a rule whose findings name no item; never one of a rule that cannot be waived', () => {
    const few = finding('CANDIDATES_TOO_FEW', ['build'], { count: 1 });
    const none = finding('CANDIDATE_BASELINE_MISSING', ['build']);
    expect(
      applyWaivers(ruleById('B1'), [few, none], [inForce({ rule: 'B1', target: undefined })])
        .status,
    ).toBe('waived');
    const missing = finding('APPROVAL_MISSING', ['envision'], {});
    expect(
      applyWaivers(ruleById('G3'), [missing], [inForce({ rule: 'G3', target: undefined })]).status,
    ).toBe('fail');
  });
});

describe('in force: approved, committed, and not past its expiry or its maximum', () => {
  it('needs an approval over the waiver as it is now', () => {
    expect(states(withWaivers([WAIVER], false))[0]).toMatchObject({
      status: 'unapproved',
      signOffs: [{ role: 'decision_maker', status: 'missing' }],
    });
    expect(states(withWaivers([WAIVER]))[0]).toMatchObject({
      status: 'in_force',
      approver: 'head-sales',
      approverRole: 'decision_maker',
      daysLeft: 18,
    });
    // a waiver edited after its approval: the approval is stale
    const m = withWaivers([WAIVER]);
    m.waivers![0] = { ...WAIVER, expires: '2026-12-31' };
    expect(states(m)[0]).toMatchObject({
      status: 'unapproved',
      signOffs: [{ role: 'decision_maker', status: 'stale', by: 'head-sales' }],
    });
  });

  it('at tier high, the second line approves it; the decision maker does not', () => {
    const m = withWaivers([WAIVER]);
    m.metadata.riskTier = 'high';
    expect(states(m)[0]!.status).toBe('unapproved');
    m.approvals = [approvalOf(WAIVER, 'risk', 'risk_2nd_line')];
    expect(states(m)[0]).toMatchObject({ status: 'in_force', approver: 'risk' });
  });

  it('holds through its expiry day, not after', () => {
    const m = withWaivers([WAIVER]);
    expect(states(m, { today: '2026-12-15' })[0]).toMatchObject({
      status: 'in_force',
      daysLeft: 0,
    });
    expect(states(m, { today: '2026-12-16' })[0]).toMatchObject({
      status: 'expired',
      daysLeft: -1,
    });
  });

  it('expires at most maxDays after the commit that added it; not committed, it is not in force', () => {
    const on = (expires: string, commits: Map<string, SignOffCommit | null>, maxDays?: number) => {
      const w = { ...WAIVER, expires };
      return states(withWaivers([w]), { commits, ...(maxDays ? { maxDays } : {}) })[0]!;
    };
    const added = new Map([['waive-b3-auc', commit('2026-11-20')]]);
    expect(on('2027-02-18', added)).toMatchObject({
      status: 'in_force',
      latest: '2027-02-18',
      committed: { commit: 'aaaaaaa', date: '2026-11-20' },
    });
    expect(on('2027-02-19', added)).toMatchObject({
      status: 'beyond_maximum',
      problems: ['beyond_maximum'],
    });
    expect(on('2099-12-31', added).status).toBe('beyond_maximum');
    expect(on('2026-12-15', added, 10)).toMatchObject({
      status: 'beyond_maximum',
      latest: '2026-11-30',
      maxDays: 10,
    });
    // not committed: the earliest commit is today's, and it is not in force meanwhile
    const uncommitted = on('2099-12-31', new Map([['waive-b3-auc', null]]));
    expect(uncommitted.problems).toEqual(['beyond_maximum', 'uncommitted']);
    expect(uncommitted.latest).toBe('2027-02-25');
    // without git, nothing says when it was added: no maximum is judged
    expect(states(withWaivers([{ ...WAIVER, expires: '2099-12-31' }]))[0]!.status).toBe('in_force');
  });

  it('needs an id (its own) and, where the rule names items, a target', () => {
    const noId = { ...WAIVER, id: undefined };
    const noTarget = { ...WAIVER, id: 'w2', target: undefined };
    const untargeted = { ...WAIVER, id: 'w3', rule: 'B1', target: undefined };
    const twice = { ...WAIVER };
    const list = states(withWaivers([noId, noTarget, untargeted, WAIVER, twice]));
    expect(list.map((w) => w.status)).toEqual([
      'earlier_shape',
      'earlier_shape',
      'in_force',
      'in_force',
      'duplicate',
    ]);
  });
});

describe('the warnings about waivers', () => {
  const notes = (m: Manifest, today: string, commits?: Map<string, SignOffCommit | null>) =>
    waiverFindings(states(m, { today, ...(commits ? { commits } : {}) }), m, {
      today,
      manifestPath: 'models/lead/mlops.yaml',
    }).get('B3') ?? [];

  it('warns when 14 days or fewer are left', () => {
    const m = withWaivers([WAIVER]);
    expect(notes(m, '2026-11-30')).toEqual([]);
    const soon = notes(m, '2026-12-01');
    expect(soon.map((f) => [f.code, f.severity, f.path, f.args.daysLeft])).toEqual([
      ['WAIVER_EXPIRING', 'warning', ['waivers', 0, 'expires'], 14],
    ]);
    expect(describeFinding(soon[0]!).message).toBe(
      'waiver waive-b3-auc (B3, target auc) expires on 2026-12-15: 14 days left',
    );
  });

  it('says why one is not in force, with the fix as data', () => {
    const unapproved = notes(withWaivers([WAIVER], false), TODAY);
    expect(unapproved.map((f) => [f.code, f.args.problems, f.fix])).toEqual([
      [
        'WAIVER_NOT_IN_FORCE',
        ['unapproved'],
        {
          kind: 'command',
          argv: [
            'mlops',
            'approve',
            'models/lead/mlops.yaml',
            '--waiver',
            'waive-b3-auc',
            '--by',
            'head-sales',
          ],
        },
      ],
    ]);
    const noId = notes(withWaivers([{ ...WAIVER, id: undefined }], false), TODAY);
    expect(noId[0]!.fix).toEqual({
      kind: 'edit',
      op: 'add',
      path: ['waivers', 0, 'id'],
      value: 'waive-b3-auc',
    });
    expect(describeFinding(noId[0]!).hint).toBe(
      'add to `waivers[0]`: `{id: waive-b3-auc}`; then it needs an approval',
    );
  });
});

describe('validate: what the contract refuses of a waiver', () => {
  const HEAD = readFileSync(join(FIXTURE, 'mlops.yaml'), 'utf8').replace(
    /\napprovals:[\s\S]*$/,
    '\n',
  );
  const read = (waivers: string) =>
    readManifest(`${HEAD}waivers:\n${waivers}`, 'mlops.yaml', validator).findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      path: f.path,
      args: f.args,
      fix: f.fix,
      ...describeFinding(f),
    }));

  it('G1, G2, G3, G4 and E1 can never be waived: an error at the rule, naming those that can', () => {
    for (const rule of ['G1', 'G2', 'G3', 'G4', 'E1']) {
      const found = read(
        `  - { id: w, rule: ${rule}, reason: r, owner: ds, expires: 2026-12-01 }\n`,
      );
      expect(found.map((f) => [f.code, f.severity, f.path])).toEqual([
        ['WAIVER_NOT_WAIVABLE', 'error', ['waivers', 0, 'rule']],
      ]);
      expect(found[0]!.message).toBe(
        `waivers[0].rule: rule ${rule} can never be waived; a waiver names one of E2, E3, E4, E5, B1, B2, B3, B4, D1, D2, D3, D4, D5, M1, M2, M3, M4, EU6, EU9, EU10, EU15, EU11, EU12, EU13, EU14, EU17, EU43, EU26, EU27, EU50, EU72, EU73`,
      );
    }
    // a misspelt rule is offered the one meant
    const typo = read(
      '  - { id: w, rule: b3, target: auc, reason: r, owner: ds, expires: 2026-12-01 }\n',
    );
    expect(typo.map((f) => [f.code, f.fix])).toEqual([
      [
        'WAIVER_NOT_WAIVABLE',
        { kind: 'edit', op: 'set', path: ['waivers', 0, 'rule'], value: 'B3' },
      ],
    ]);
  });

  it('a waiver without an id, or without the target its rule needs, is a warning with the fix', () => {
    const found = read(
      [
        '  - { rule: B3, reason: r, owner: ds, expires: 2026-12-01 }',
        '  - { id: w2, rule: M2, reason: r, owner: ds, expires: 2026-12-01 }',
        '  - { id: w3, rule: B1, reason: r, owner: ds, expires: 2026-12-01 }',
        '',
      ].join('\n'),
    );
    expect(found.map((f) => [f.code, f.severity, f.path, f.hint])).toEqual([
      [
        'WAIVER_EARLIER_SHAPE',
        'warning',
        ['waivers', 0],
        'add to `waivers[0]`: `{id: waive-b3, target: "TARGET"}` (the target is the id of a guardrail active in build: parity, auc, reasons, pii, bad-input); then it needs an approval, whose command mlops check gives',
      ],
      [
        'WAIVER_EARLIER_SHAPE',
        'warning',
        ['waivers', 1],
        'add to `waivers[1]`: `{target: "TARGET"}` (the target is the value-tracking report\'s path as the manifest writes it, or the id of a drift check or of a guardrail active in monitor: reports/value.json, score-drift, parity, log); then it needs an approval, whose command mlops check gives',
      ],
    ]);
  });

  it('two waivers with one id: the second is a duplicate', () => {
    const found = read(
      [
        '  - { id: w, rule: B1, reason: r, owner: ds, expires: 2026-12-01 }',
        '  - { id: w, rule: B1, reason: r, owner: ds, expires: 2026-12-01 }',
        '',
      ].join('\n'),
    );
    expect(found.map((f) => [f.code, f.path, f.message])).toEqual([
      [
        'DUPLICATE_ID',
        ['waivers', 1, 'id'],
        'waivers[1].id: waiver id "w" is already used at waivers[0].id',
      ],
    ]);
  });
});
