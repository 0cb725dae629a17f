import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReadiness, meetsRequirement, requiredPhases } from '../../src/core/check/index.js';
import type {
  CheckInput,
  CommittedVersion,
  EvidenceFile,
  ManifestReport,
  RuleResult,
} from '../../src/core/check/index.js';
import type { SignOffCommit } from '../../src/core/approvals.js';
import { evidenceDigest } from '../../src/core/evidence-digest.js';
import { digestOf } from '../../src/core/digest.js';
import type { Finding } from '../../src/core/findings.js';
import { readYaml } from '../../src/core/manifest/reader.js';
import type { Manifest, Phase } from '../../src/core/manifest.js';
import { describeFinding } from '../../src/report/messages/words.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;

/** A finding in words, as reporters print it: its message, and its fix. */
const said = (f: Finding | undefined): string | undefined => f && describeFinding(f).message;
const fixOf = (f: Finding | undefined): string | undefined => f && describeFinding(f).hint;

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

/** Re-signs every approval so edits made by a test do not turn them stale. */
function resign(m: Manifest): Manifest {
  for (const a of m.approvals ?? []) if (a.phase) a.digest = digestOf(m[a.phase]);
  return m;
}

interface Setup {
  files?: Map<string, string>;
  tracked?: Set<string>;
  workingState?: CheckInput['workingState'];
  evidence?: (p: string) => EvidenceFile | undefined;
  dates?: Record<string, string>;
  versions?: Record<string, CommittedVersion[]>;
  today?: string;
  manifestPath?: string;
  approvalCommits?: Map<string, SignOffCommit | null>;
}

function judge(m: Manifest, setup: Setup = {}): ManifestReport {
  const files = setup.files ?? fixtureFiles();
  const valuePath = 'models/lead/reports/value.json';
  return checkReadiness(m, {
    manifestPath: setup.manifestPath ?? 'models/lead/mlops.yaml',
    tracked: setup.tracked ?? new Set(files.keys()),
    workingState: setup.workingState ?? new Map(),
    evidence:
      setup.evidence ??
      ((p) => (files.has(p) ? { kind: 'file', text: files.get(p)! } : { kind: 'missing' })),
    lastCommitDates: new Map(
      Object.entries(
        setup.dates ?? { [valuePath]: '2026-11-20', 'models/lead/reports/live.json': '2026-11-25' },
      ),
    ),
    committedVersions: new Map(
      Object.entries(
        setup.versions ?? {
          [valuePath]: [{ commit: 'c1', date: '2026-11-20', text: files.get(valuePath) }],
        },
      ),
    ),
    today: setup.today ?? '2026-11-27',
    ...(setup.approvalCommits
      ? {
          approvalCommits: setup.approvalCommits,
          evidenceDigest: (p: string) =>
            files.has(p) ? evidenceDigest(p, { text: files.get(p)! }) : undefined,
        }
      : {}),
  });
}

function rule(report: ManifestReport, phase: Phase, id: string): RuleResult {
  const r = report.phases.find((p) => p.phase === phase)?.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id} in ${phase}`);
  return r;
}

function failing(report: ManifestReport, phase: Phase): string[] {
  return report.phases
    .find((p) => p.phase === phase)!
    .rules.filter((r) => r.status === 'fail')
    .map((r) => r.id);
}

describe('checkReadiness on a complete manifest', () => {
  it('passes every rule of every phase', () => {
    const report = judge(fixture());
    for (const p of report.phases)
      expect({ phase: p.phase, failing: failing(report, p.phase) }).toEqual({
        phase: p.phase,
        failing: [],
      });
    expect(report.phases.map((p) => [p.phase, p.passed, p.total, p.ready])).toEqual([
      ['envision', 11, 11, true],
      ['build', 10, 10, true],
      ['deploy', 18, 18, true],
      ['monitor', 9, 9, true],
    ]);
    expect(report.values).toEqual([
      expect.objectContaining({
        id: 'conversion',
        baseline: 10,
        target: 14,
        observed: 12.2,
        status: 'at_risk',
        source: expect.objectContaining({ kind: 'monitor' }),
      }),
    ]);
  });
});

describe('evidence rule G1', () => {
  it('tells untracked, modified, staged, deleted and missing evidence apart, each with its fix', () => {
    const files = fixtureFiles();
    const tracked = new Set(files.keys());
    tracked.delete('models/lead/docs/dpia.md');
    tracked.delete('models/lead/docs/runbook.md');
    files.delete('models/lead/docs/runbook.md');
    const state = new Map([
      ['models/lead/docs/threat-model.md', 'modified' as const],
      ['models/lead/docs/model-card.md', 'staged' as const],
    ]);
    const report = judge(fixture(), { files, tracked, workingState: state });
    const deploy = rule(report, 'deploy', 'G1').findings;
    expect(deploy.map((f) => [said(f), fixOf(f)])).toEqual([
      [
        'DPIA: models/lead/docs/dpia.md exists but is not committed',
        'commit it: `git add models/lead/docs/dpia.md models/lead/docs/model-card.md && git commit -m "Add evidence of lead-scoring"`',
      ],
      [
        'threat model: models/lead/docs/threat-model.md has uncommitted changes',
        'commit them (`git add models/lead/docs/threat-model.md models/lead/docs/model-card.md models/lead/docs/dpia.md && git commit -m "Update evidence of lead-scoring"`), or discard them (`git restore models/lead/docs/threat-model.md`)',
      ],
      [
        'runbook: models/lead/docs/runbook.md does not exist',
        'create models/lead/docs/runbook.md and commit it (`git add models/lead/docs/runbook.md models/lead/docs/model-card.md models/lead/docs/dpia.md && git commit -m "Add evidence of lead-scoring"`), or correct the path in the manifest',
      ],
    ]);
    expect(rule(report, 'build', 'G1').findings.map(said)).toEqual([
      'model card: models/lead/docs/model-card.md is staged but not committed',
    ]);
    expect(failing(report, 'deploy')).toEqual(['G1', 'D1', 'D2', 'D3']);
  });

  it('reports a committed file deleted from the working tree', () => {
    const files = fixtureFiles();
    files.delete('models/lead/docs/dpia.md');
    const report = judge(fixture(), {
      files,
      tracked: new Set(fixtureFiles().keys()),
      workingState: new Map([['models/lead/docs/dpia.md', 'deleted']]),
    });
    expect(said(rule(report, 'deploy', 'G1').findings[0])).toBe(
      'DPIA: models/lead/docs/dpia.md is committed but deleted in the working tree',
    );
  });

  it('refuses paths that leave the repository, absolute paths and symlinks out, and never asks for them', () => {
    const m = fixture();
    m.deploy!.dataProtection!.dpia = '../../../etc/passwd';
    m.deploy!.securityReview!.threatModel = '/etc/hosts';
    m.deploy!.integration!.runbook = 'docs/link.md';
    const asked: string[] = [];
    const files = fixtureFiles();
    const report = judge(m, {
      evidence: (p) => {
        asked.push(p);
        if (p === 'models/lead/docs/link.md') return { kind: 'outside' };
        return files.has(p) ? { kind: 'file', text: files.get(p)! } : { kind: 'missing' };
      },
    });
    const messages = rule(report, 'deploy', 'G1').findings.map(said);
    expect(messages).toEqual([
      'DPIA: evidence path "../../../etc/passwd" leads outside the repository; it was not read',
      'threat model: evidence path "/etc/hosts" is absolute; evidence lives inside the repository',
      'runbook: models/lead/docs/link.md is a symbolic link that leads outside the repository; it was not read',
    ]);
    expect(asked.some((p) => p.includes('etc'))).toBe(false);
  });

  it('checks sha256 when the manifest gives one', () => {
    const m = fixture();
    m.build!.modelCard = { path: 'docs/model-card.md', sha256: 'sha256:' + 'a'.repeat(64) };
    const files = fixtureFiles();
    const ok = judge(m, {
      evidence: (p) =>
        files.has(p)
          ? { kind: 'file', text: files.get(p)!, sha256: 'a'.repeat(64) }
          : { kind: 'missing' },
    });
    expect(rule(ok, 'build', 'G1').status).toBe('pass');
    const bad = judge(m, {
      evidence: (p) =>
        files.has(p)
          ? { kind: 'file', text: files.get(p)!, sha256: 'b'.repeat(64) }
          : { kind: 'missing' },
    });
    const mismatch = rule(bad, 'build', 'G1').findings[0];
    expect(said(mismatch)).toMatch(/does not match the sha256 in the manifest/);
    // the value the fix sets is what the schema takes: 64 hex digits, no "sha256:" before them
    expect(mismatch!.fix).toEqual({
      kind: 'edit',
      op: 'set',
      path: ['build', 'modelCard', 'sha256'],
      value: 'b'.repeat(64),
    });
    expect(fixOf(mismatch)).toBe(
      `set its sha256 to \`${'b'.repeat(64)}\` (the file as it is now), or restore the file that was recorded`,
    );
  });
});

describe('G2 and G3', () => {
  it('G2 names an unresolved reference with a suggestion', () => {
    const m = resign(fixture());
    m.build!.evaluations![0]!.valueMetric = 'conversoin';
    const report = judge(resign(m));
    const f = rule(report, 'build', 'G2').findings;
    expect(f.map(said)).toEqual([
      '"conversoin" is not a value metric of this manifest (did you mean "conversion"?)',
    ]);
    expect(f[0]?.path).toEqual(['build', 'evaluations', 0, 'valueMetric']);
  });

  it('G3 fails on a stale approval after the section changed, with the re-approve command', () => {
    const m = fixture();
    m.build!.selected!.rationale = 'Changed after sign-off.';
    const report = judge(m);
    const f = rule(report, 'build', 'G3').findings;
    expect(f).toHaveLength(1);
    expect(said(f[0])).toBe(
      'the approval by head-sales (decision_maker) on 2026-06-01 is stale: the build section changed since it was approved',
    );
    expect(fixOf(f[0])).toContain(
      'mlops approve models/lead/mlops.yaml --phase build --by head-sales',
    );
    expect(rule(report, 'envision', 'G3').status).toBe('pass');
    expect(report.phases.map((p) => p.ready)).toEqual([true, false, false, false]);
  });

  it('G3 names the commit a stale approval was signed in, and the diff since; or says it is not committed', () => {
    const m = fixture();
    const approval = m.approvals!.find((a) => a.phase === 'build')!;
    const id = String(approval.id);
    m.build!.selected!.rationale = 'Changed after sign-off.';
    const commit: SignOffCommit = {
      commit: '1a2b3c4d5e6f',
      short: '1a2b3c4',
      date: '2026-06-01',
      authorName: 'Head of Sales',
      authorEmail: 'test@example.com',
    };
    const found = (c: SignOffCommit | null) =>
      rule(judge(m, { approvalCommits: new Map([[id, c]]) }), 'build', 'G3').findings[0]!;
    expect(fixOf(found(commit))).toBe(
      'see what changed since it was approved in commit 1a2b3c4: `mlops diff 1a2b3c4 -- models/lead/mlops.yaml`; then sign it off again and commit it: `mlops approve models/lead/mlops.yaml --phase build --by head-sales`, then `git add models/lead/mlops.yaml && git commit -m "Sign off build"`',
    );
    // not committed: it does not count, whatever it signed
    expect(found(null).code).toBe('APPROVAL_UNCOMMITTED');
    expect(fixOf(found(null))).toBe(
      'the approver commits it: `git add models/lead/mlops.yaml && git commit -m "Approve build (head-sales, decision_maker)"`',
    );
    // as the user runs mlops
    expect(describeFinding(found(commit), { invokedAs: 'npx mlops' }).hint).toContain(
      '`npx mlops diff 1a2b3c4 -- models/lead/mlops.yaml`; then sign it off again and commit it: `npx mlops approve',
    );
  });

  it('G3 never offers to approve a phase that has no section: it says to add the section', () => {
    const m = fixture();
    delete m.deploy;
    m.approvals = m.approvals!.filter((a) => a.phase !== 'deploy');
    const f = rule(judge(m), 'deploy', 'G3').findings;
    expect(f.map(said)).toEqual([
      'no deploy approval by a decision_maker (there is no deploy section yet)',
    ]);
    expect(fixOf(f[0])).toBe(
      'there is nothing to sign off yet: add the deploy section first, with dataProtection, securityReview, integration and valueMeasurement (rules D1 to D4)',
    );
    expect(f[0]!.fix).toBeUndefined();
    // nor re-approving one whose section was removed after it was signed
    const removed = fixture();
    delete removed.deploy;
    const stale = rule(judge(removed), 'deploy', 'G3').findings;
    expect(stale.map((x) => x.code)).toEqual(['APPROVAL_STALE']);
    expect(fixOf(stale[0])).toMatch(
      /^there is nothing to sign off yet: add the deploy section first/,
    );
    expect(stale[0]!.fix).toBeUndefined();
  });

  it('G3 needs risk_2nd_line at tier high and internal_audit at critical', () => {
    const high = fixture();
    high.metadata.riskTier = 'high';
    expect(rule(judge(high), 'envision', 'G3').findings.map(said)).toEqual([
      'no envision approval by a risk_2nd_line',
    ]);
    const critical = fixture();
    critical.metadata.riskTier = 'critical';
    const f = rule(judge(critical), 'deploy', 'G3').findings;
    expect(f.map(said)).toEqual([
      'no deploy approval by a risk_2nd_line',
      'no deploy approval by an internal_audit',
    ]);
    expect(fixOf(f[1])).toBe(
      'sign it off and commit it: `mlops approve models/lead/mlops.yaml --phase deploy --by audit`, then `git add models/lead/mlops.yaml && git commit -m "Sign off deploy"`',
    );
  });

  it('G3 fails on a rejection', () => {
    const m = fixture();
    m.approvals!.push({
      phase: 'build',
      role: 'decision_maker',
      by: 'head-sales',
      decision: 'rejected',
      date: '2026-07-01',
      digest: digestOf(m.build),
    });
    expect(said(rule(judge(m), 'build', 'G3').findings[0])).toBe(
      'build was rejected by head-sales (decision_maker) on 2026-07-01',
    );
  });
});

describe('envision rules', () => {
  it('E1 names the missing roles', () => {
    const m = fixture();
    m.envision.stakeholders = m.envision.stakeholders!.filter(
      (s) => s.role !== 'end_user' && s.role !== 'data_science',
    );
    resign(m);
    expect(rule(judge(m), 'envision', 'E1').findings.map(said)).toEqual([
      'no stakeholder with role data_science',
      'no stakeholder with role domain_expert or end_user',
    ]);
  });

  it('E2 needs complete value metrics whose target lies in direction', () => {
    const m = fixture();
    const v = m.envision.valueMetrics![0]!;
    v.target = { ...v.target, value: 9 };
    delete v.cadence;
    expect(rule(judge(resign(m)), 'envision', 'E2').findings.map(said)).toEqual([
      'value metric `conversion` has no cadence',
      'value metric `conversion`: target 9 does not increase from the baseline 10',
    ]);
    m.envision.valueMetrics = [];
    expect(rule(judge(resign(m)), 'envision', 'E2').status).toBe('fail');
  });

  it('E3 needs a bounded guardrail or a justified exclusion per dimension', () => {
    const m = fixture();
    m.envision.trustworthyAI!.privacy = { rigor: 'standard', excluded: true };
    delete m.envision.trustworthyAI!.safeSecure;
    const msgs = rule(judge(resign(m)), 'envision', 'E3').findings.map(said);
    expect(msgs).toEqual([
      'privacy is excluded without a justification',
      'Trustworthy AI dimension safeSecure is missing',
    ]);
    m.envision.trustworthyAI!.privacy = {
      rigor: 'standard',
      excluded: true,
      justification: 'No personal data.',
    };
    m.envision.trustworthyAI!.safeSecure = {
      rigor: 'standard',
      guardrails: [{ id: 'x', metric: 'y', max: 1, evidence: 'reports/metrics.json' }],
    };
    expect(rule(judge(resign(m)), 'envision', 'E3').status).toBe('pass');
  });

  it('E4 holds rigor to the tier default unless justified', () => {
    const m = fixture();
    m.metadata.riskTier = 'high';
    const msgs = rule(judge(m), 'envision', 'E4').findings.map(said);
    expect(msgs).toEqual([
      'fairImpartial rigor is standard; tier high expects at least dialUp',
      'privacy rigor is standard; tier high expects at least dialUp',
      'safeSecure rigor is standard; tier high expects at least dialUp',
    ]);
    m.envision.trustworthyAI!.privacy!.justification = 'Only firm-level data.';
    m.envision.trustworthyAI!.fairImpartial!.rigor = 'dialUp';
    m.envision.trustworthyAI!.safeSecure!.rigor = 'dialUp';
    // dialUp asks for more: fairness judged per group, and security watched in production
    expect(rule(judge(m), 'envision', 'E4').findings.map((f) => f.code)).toEqual([
      'GUARDRAIL_GROUPS_MISSING',
      'RIGOR_NO_MONITOR',
    ]);
    m.envision.trustworthyAI!.fairImpartial!.guardrails![0]!.groups = ['small', 'large'];
    m.envision.trustworthyAI!.safeSecure!.guardrails![0]!.phases = ['build', 'monitor'];
    m.envision.trustworthyAI!.safeSecure!.guardrails![0]!.monitor = {
      evidence: 'reports/live.json',
      cadence: 'weekly',
    };
    expect(rule(judge(m), 'envision', 'E4').status).toBe('pass');
    const medium = fixture();
    medium.envision.trustworthyAI!.robustReliable!.rigor = 'dialDown';
    expect(rule(judge(resign(medium)), 'envision', 'E4').findings.map(said)).toEqual([
      'robustReliable rigor is dialDown; tier medium expects at least standard',
    ]);
    medium.metadata.riskTier = 'low';
    expect(rule(judge(resign(medium)), 'envision', 'E4').status).toBe('pass');
  });

  it('E5 needs complete risks and line of defense 2 from a score of 15', () => {
    const m = fixture();
    const r = m.envision.risks![0]!;
    r.likelihood = 3;
    r.impact = 5;
    delete r.mitigation;
    expect(rule(judge(resign(m)), 'envision', 'E5').findings.map(said)).toEqual([
      'risk `unfair-routing` has no mitigation',
      'risk `unfair-routing` scores 15 (likelihood x impact) but is held only by line of defense 1',
    ]);
  });
});

describe('build rules', () => {
  it('B1 needs two candidates, a baseline, and a listed selection', () => {
    const m = fixture();
    m.build!.candidates = [{ id: 'gbm' }];
    m.build!.selected = { candidate: 'xgb', rationale: '' };
    expect(rule(judge(resign(m)), 'build', 'B1').findings.map(said)).toEqual([
      '1 candidate: compare at least two',
      'no candidate is marked baseline: true',
      'the selected candidate "xgb" is not among the candidates',
    ]);
  });

  it('B2 needs a value evaluation per value metric', () => {
    const m = fixture();
    m.build!.evaluations = m.build!.evaluations!.filter((e) => e.kind !== 'value');
    expect(rule(judge(resign(m)), 'build', 'B2').findings.map(said)).toEqual([
      'value metric `conversion` has no evaluation of kind value for the selected candidate gbm',
      'value metric `conversion`: the baseline candidate rules has no evaluation of kind value, so nothing shows that gbm beats it',
    ]);
  });

  it('B3 reads observed values at /metric, /metrics/metric or a pointer and checks bounds', () => {
    const files = fixtureFiles();
    files.set(
      'models/lead/reports/metrics.json',
      JSON.stringify({
        roc_auc: 0.65,
        nested: { parity: 0.5 },
        metrics: {
          explanation_coverage: 0.97,
          pii_feature_count: 0,
          invalid_input_acceptance_rate: 0,
          disparate_impact_ratio: 0.9,
        },
      }),
    );
    const m = fixture();
    m.envision.trustworthyAI!.fairImpartial!.guardrails![0]!.evidence = {
      path: 'reports/metrics.json',
      pointer: '/nested/parity',
    };
    const msgs = rule(judge(resign(m), { files }), 'build', 'B3').findings.map(said);
    expect(msgs).toEqual([
      'guardrail `parity`: disparate_impact_ratio is 0.5 in models/lead/reports/metrics.json#/nested/parity, below min 0.8',
      'guardrail `auc`: roc_auc is 0.65 in models/lead/reports/metrics.json#/roc_auc, below min 0.7',
    ]);
  });

  it('B3 fails a guardrail without evidence, without a value, or with untracked evidence', () => {
    const m = fixture();
    delete m.envision.trustworthyAI!.robustReliable!.guardrails![0]!.evidence;
    m.envision.trustworthyAI!.privacy!.guardrails![0]!.metric = 'nothing_here';
    m.envision.trustworthyAI!.safeSecure!.guardrails![0]!.evidence = 'reports/new.json';
    const msgs = rule(judge(resign(m)), 'build', 'B3').findings.map(said);
    expect(msgs).toEqual([
      'guardrail `auc` (roc_auc) has no evidence',
      'guardrail `pii`: models/lead/reports/metrics.json has no value at /nothing_here or /metrics/nothing_here',
      'guardrail `bad-input`: models/lead/reports/new.json does not exist (rule G1)',
    ]);
  });

  it('B3 gives the fix of the evidence when the evidence does not count, not of the value', () => {
    const files = fixtureFiles();
    const tracked = new Set(files.keys());
    tracked.delete('models/lead/reports/metrics.json');
    const found = rule(judge(fixture(), { files, tracked }), 'build', 'B3').findings;
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(said(f)).toContain('models/lead/reports/metrics.json exists but is not committed');
      expect(fixOf(f)).toBe(
        'commit it: `git add models/lead/reports/metrics.json && git commit -m "Add evidence of lead-scoring"`',
      );
    }
  });

  it('B4 needs a tracked model card and datasheets for personal data', () => {
    const m = fixture();
    delete m.build!.modelCard;
    delete m.build!.datasets![0]!.datasheet;
    expect(rule(judge(resign(m)), 'build', 'B4').findings.map(said)).toEqual([
      'no model card',
      'no datasheet of dataset `crm` (personal data)',
    ]);
    m.build!.datasets![0]!.personalData = false;
    expect(rule(judge(resign(m)), 'build', 'B4').findings).toHaveLength(1);
  });
});

describe('deploy rules', () => {
  it('D1 needs a DPIA for personal data only', () => {
    const m = fixture();
    delete m.deploy!.dataProtection!.dpia;
    expect(rule(judge(resign(m)), 'deploy', 'D1').findings.map(said)).toEqual([
      'no DPIA for personal data',
    ]);
    m.deploy!.dataProtection!.personalData = false;
    m.build!.datasets![0]!.personalData = false;
    expect(rule(judge(resign(m)), 'deploy', 'D1').status).toBe('pass');
  });

  it('D2 allows open high findings below tier high only', () => {
    const m = fixture();
    m.deploy!.securityReview!.openFindings = { critical: 0, high: 2 };
    expect(rule(judge(resign(m)), 'deploy', 'D2').status).toBe('pass');
    m.metadata.riskTier = 'high';
    expect(rule(judge(resign(m)), 'deploy', 'D2').findings.map(said)).toEqual([
      '2 open high security findings at tier high',
    ]);
    m.deploy!.securityReview!.openFindings = { critical: 1, high: 0 };
    expect(rule(judge(resign(m)), 'deploy', 'D2').findings.map(said)).toEqual([
      '1 open critical security finding',
    ]);
  });

  it('D3 needs a runbook and rollback, and oversight at tier high', () => {
    const m = fixture();
    m.deploy!.integration!.humanOversight = { mode: 'none' };
    expect(rule(judge(resign(m)), 'deploy', 'D3').status).toBe('pass');
    m.metadata.riskTier = 'high';
    delete m.deploy!.integration!.rollback;
    expect(rule(judge(resign(m)), 'deploy', 'D3').findings.map(said)).toEqual([
      'no rollback is described',
      'human oversight is none; tier high needs a person in or on the loop',
    ]);
  });

  it('D4 needs a measurement plan per value metric', () => {
    const m = fixture();
    m.deploy!.valueMeasurement = [];
    expect(rule(judge(resign(m)), 'deploy', 'D4').findings.map(said)).toEqual([
      'value metric `conversion` has no measurement plan',
    ]);
  });
});

describe('monitor rules', () => {
  const live = 'models/lead/reports/live.json';
  const value = 'models/lead/reports/value.json';

  it('M1: drift above max fails, above warn warns, live guardrails are bounded', () => {
    const files = fixtureFiles();
    files.set(
      live,
      JSON.stringify({
        metrics: {
          'score-drift': 0.15,
          disparate_impact_ratio: 0.88,
          decision_log_completeness: 0.995,
        },
      }),
    );
    const warned = judge(fixture(), { files });
    expect(rule(warned, 'monitor', 'M1').status).toBe('warning');
    expect(warned.phases[3]!.ready).toBe(true);
    files.set(
      live,
      JSON.stringify({
        metrics: {
          'score-drift': 0.3,
          disparate_impact_ratio: 0.88,
          decision_log_completeness: 0.9,
        },
      }),
    );
    const failed = judge(fixture(), { files });
    expect(rule(failed, 'monitor', 'M1').findings.map(said)).toEqual([
      'drift check `score-drift`: psi is 0.3 in models/lead/reports/live.json#/metrics/score-drift, above max 0.25',
      'guardrail `log`: decision_log_completeness is 0.9 in models/lead/reports/live.json#/metrics/decision_log_completeness, below min 0.99',
    ]);
  });

  it('M2 judges freshness against --today and the cadence', () => {
    const dates = { [value]: '2026-10-20', [live]: '2026-11-19' };
    expect(rule(judge(fixture(), { dates, today: '2026-11-20' }), 'monitor', 'M2').status).toBe(
      'pass',
    );
    expect(
      rule(judge(fixture(), { dates, today: '2026-11-26' }), 'monitor', 'M2').findings.map((f) =>
        said(f),
      ),
    ).toEqual([
      'value tracking: models/lead/reports/value.json was last committed on 2026-10-20, 37 days before 2026-11-26; the monthly cadence allows 31',
    ]);
    expect(
      rule(judge(fixture(), { dates, today: '2026-11-27' }), 'monitor', 'M2').findings.map((f) =>
        said(f),
      )[1],
    ).toBe(
      'drift check `score-drift`: models/lead/reports/live.json was last committed on 2026-11-19, 8 days before 2026-11-27; the weekly cadence allows 7',
    );
    expect(said(rule(judge(fixture(), { dates: {} }), 'monitor', 'M2').findings[0])).toBe(
      'value tracking: models/lead/reports/value.json has never been committed',
    );
  });

  it('M3 triggers only after missesToTrigger committed versions below the minimum', () => {
    const v = (commit: string, conversion: number): CommittedVersion => ({
      commit,
      date: '2026-11-01',
      text: JSON.stringify({ metrics: { conversion } }),
    });
    const m = fixture();
    m.monitor!.valueTracking!.missesToTrigger = 2;
    const one = judge(m, { versions: { [value]: [v('c3', 10.5), v('c2', 12), v('c1', 10)] } });
    expect(rule(one, 'monitor', 'M3').status).toBe('warning');
    const two = judge(m, { versions: { [value]: [v('c3', 10.5), v('c2', 10.8), v('c1', 12)] } });
    const f = rule(two, 'monitor', 'M3').findings;
    expect(f).toHaveLength(1);
    expect(said(f[0])).toBe(
      'value metric `conversion` is worse than its minimum acceptable in the last 2 committed versions: baseline 10 -> target 14 -> observed 10.5, 10.8 (minimum acceptable 11)',
    );
    expect(fixOf(f[0])).toBe(
      'reassess the model, and change it if business value isn\'t achieved (the value_below_minimum trigger); once the value is back within the minimum, commit the new report: `git add models/lead/reports/value.json && git commit -m "Update evidence of lead-scoring"`',
    );
    expect(two.values[0]).toMatchObject({ observed: 10.5, status: 'failing' });
    const fine = judge(m, { versions: { [value]: [v('c2', 11.5), v('c1', 10)] } });
    expect(rule(fine, 'monitor', 'M3').status).toBe('pass');
    m.monitor!.valueTracking!.missesToTrigger = 1;
    expect(rule(judge(m, { versions: { [value]: [v('c1', 10.5)] } }), 'monitor', 'M3').status).toBe(
      'fail',
    );
  });

  it('M3 fails when the report was never committed', () => {
    expect(said(rule(judge(fixture(), { versions: {} }), 'monitor', 'M3').findings[0])).toBe(
      'value tracking: models/lead/reports/value.json has no committed version',
    );
  });

  it('M4 needs the three triggers and a review that is not overdue', () => {
    const m = fixture();
    m.monitor!.triggers = m.monitor!.triggers!.filter((t) => t.on !== 'incident');
    m.monitor!.governance!.nextReview = '2026-11-01';
    expect(rule(judge(m), 'monitor', 'M4').findings.map(said)).toEqual([
      'no trigger on incident',
      'the governance review was due on 2026-11-01',
    ]);
  });
});

describe('findings as data', () => {
  it('carry a code, args and a fix that resolves them when applied', () => {
    const m = fixture();
    m.metadata.riskTier = 'high';
    const e4 = rule(judge(m), 'envision', 'E4').findings;
    expect(e4.map((f) => [f.code, f.args.dimension, f.fix])).toEqual(
      ['fairImpartial', 'privacy', 'safeSecure'].map((d) => [
        'RIGOR_BELOW_TIER',
        d,
        {
          kind: 'edit',
          op: 'set',
          path: ['envision', 'trustworthyAI', d, 'rigor'],
          value: 'dialUp',
        },
      ]),
    );
    for (const f of e4) {
      if (f.fix?.kind !== 'edit') throw new Error('an edit was expected');
      const [, , dimension] = f.fix.path as ['envision', 'trustworthyAI', 'privacy'];
      m.envision.trustworthyAI![dimension]!.rigor = f.fix.value as 'dialUp';
    }
    // the fixes applied, E4 asks what dialUp asks (no fix as data: the groups and reports are the team's)
    expect(rule(judge(m), 'envision', 'E4').findings.map((f) => [f.code, f.fix])).toEqual([
      ['GUARDRAIL_GROUPS_MISSING', undefined],
      ['RIGOR_NO_MONITOR', undefined],
      ['RIGOR_NO_MONITOR', undefined],
    ]);

    const files = fixtureFiles();
    const tracked = new Set(files.keys());
    tracked.delete('models/lead/docs/dpia.md');
    const g1 = rule(judge(fixture(), { files, tracked }), 'deploy', 'G1').findings[0]!;
    expect(g1).toMatchObject({
      code: 'EVIDENCE_UNTRACKED',
      severity: 'error',
      path: ['deploy', 'dataProtection', 'dpia'],
      args: { evidence: 'dpia', path: 'models/lead/docs/dpia.md' },
      fix: { kind: 'command', argv: ['git', 'add', '--', 'models/lead/docs/dpia.md'] },
      file: 'models/lead/mlops.yaml',
    });
    const critical = fixture();
    critical.metadata.riskTier = 'critical';
    expect(rule(judge(critical), 'deploy', 'G3').findings.map((f) => f.fix)).toEqual(
      ['risk', 'audit'].map((by) => ({
        kind: 'command',
        argv: ['mlops', 'approve', 'models/lead/mlops.yaml', '--phase', 'deploy', '--by', by],
      })),
    );
  });

  it('word why evidence holds no observed value, from the data of the finding', () => {
    const files = fixtureFiles();
    files.set('models/lead/reports/metrics.json', '{"roc_auc": "high",');
    files.set(
      'models/lead/reports/live.json',
      '{"metrics": {"decision_log_completeness": "high"}}',
    );
    const m = fixture();
    m.envision.trustworthyAI!.privacy!.guardrails![0]!.evidence = 'docs/model-card.md';
    const report = judge(resign(m), { files });
    const b3 = rule(report, 'build', 'B3').findings.map(said);
    expect(b3).toHaveLength(5);
    expect(b3[1]).toMatch(
      /^guardrail `auc`: models\/lead\/reports\/metrics\.json is not valid JSON \(.+\)$/,
    );
    expect(b3[3]).toBe(
      'guardrail `pii`: models/lead/docs/model-card.md is not JSON or YAML, so no observed value can be read from it',
    );
    expect(rule(report, 'monitor', 'M1').findings.map(said)).toContain(
      'guardrail `log`: models/lead/reports/live.json holds "high" at /metrics/decision_log_completeness, not a number',
    );
  });

  it('have fingerprints that hold across runs, reorders and moves, and tell findings apart', () => {
    const critical = fixture();
    critical.metadata.riskTier = 'critical';
    const prints = (r: ManifestReport, phase: Phase, id: string): (string | undefined)[] =>
      rule(r, phase, id).findings.map((f) => f.fingerprint);
    const g3 = prints(judge(critical), 'deploy', 'G3');
    expect(g3).toHaveLength(2);
    expect(g3[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(g3).size).toBe(2);
    expect(prints(judge(critical), 'deploy', 'G3')).toEqual(g3);

    const files = fixtureFiles();
    files.set(
      'models/lead/reports/metrics.json',
      files.get('models/lead/reports/metrics.json')!.replace('"roc_auc": 0.78', '"roc_auc": 0.61'),
    );
    const before = prints(judge(fixture(), { files }), 'build', 'B3');
    expect(before).toHaveLength(1);
    const reordered = fixture();
    reordered.envision.trustworthyAI!.robustReliable!.guardrails!.unshift({
      id: 'latency',
      metric: 'roc_auc',
      max: 1,
      phases: ['build'],
      evidence: 'reports/metrics.json',
    });
    expect(prints(judge(reordered, { files }), 'build', 'B3')).toEqual(before);
    const moved = new Map([...files].map(([k, v]) => [k.replace('models/lead/', 'teams/a/'), v]));
    const elsewhere = judge(fixture(), { files: moved, manifestPath: 'teams/a/mlops.yaml' });
    expect(prints(elsewhere, 'build', 'B3')).toEqual(before);
    expect(said(rule(elsewhere, 'build', 'B3').findings[0])).toContain(
      'teams/a/reports/metrics.json',
    );
  });
});

describe('waivers and phase requirements', () => {
  it('an approved waiver waives the finding it names until its expiry; unapproved or expired, it does not count', () => {
    const m = fixture();
    m.build!.evaluations = m.build!.evaluations!.filter((e) => e.kind !== 'value');
    const waiver = {
      id: 'waive-b2-conversion',
      rule: 'B2',
      target: 'conversion',
      reason: 'Value replay lands next sprint.',
      owner: 'head-sales',
      expires: '2026-12-31',
    };
    m.waivers = [waiver];
    resign(m);
    const unapproved = judge(m);
    expect(rule(unapproved, 'build', 'B2').status).toBe('fail');
    expect(unapproved.waivers[0]).toMatchObject({ status: 'unapproved', problems: ['unapproved'] });
    expect(rule(unapproved, 'build', 'B2').findings.map((f) => f.code)).toEqual([
      'VALUE_EVALUATION_MISSING',
      'VALUE_BASELINE_EVALUATION_MISSING',
      'WAIVER_NOT_IN_FORCE',
    ]);
    m.approvals!.push({
      id: 'waive-b2-conversion-head-sales-2026-11-01',
      waiver: 'waive-b2-conversion',
      role: 'decision_maker',
      by: 'head-sales',
      decision: 'approved',
      date: '2026-11-01',
      digest: digestOf(waiver),
    });
    const report = judge(m);
    const waived = rule(report, 'build', 'B2');
    expect(waived.status).toBe('waived');
    expect(waived.findings).toEqual([]);
    expect(waived.waived!.map((w) => [w.finding.code, w.waiver])).toEqual([
      ['VALUE_EVALUATION_MISSING', 'waive-b2-conversion'],
      ['VALUE_BASELINE_EVALUATION_MISSING', 'waive-b2-conversion'],
    ]);
    expect(report.waivers[0]).toMatchObject({ status: 'in_force', approver: 'head-sales' });
    expect(report.phases[1]!.ready).toBe(true);
    const expired = judge(m, { today: '2027-01-01' });
    expect(rule(expired, 'build', 'B2').status).toBe('fail');
    expect(expired.waivers[0]).toMatchObject({ status: 'expired', problems: ['expired'] });
    expect(expired.phases[1]!.ready).toBe(false);
  });

  it('holds a manifest to the phases before its status, monitor itself, or --phase', () => {
    expect(requiredPhases('envision')).toEqual([]);
    expect(requiredPhases('deploy')).toEqual(['envision', 'build']);
    expect(requiredPhases('monitor')).toEqual(['envision', 'build', 'deploy', 'monitor']);
    expect(requiredPhases('retired')).toEqual([]);
    expect(requiredPhases('envision', 'build')).toEqual(['envision', 'build']);
    const m = fixture();
    m.deploy!.valueMeasurement = [];
    resign(m);
    const report = judge(m);
    expect(meetsRequirement(report)).toBe(false);
    expect(meetsRequirement(report, 'build')).toBe(true);
    expect(meetsRequirement({ ...report, status: 'deploy' })).toBe(true);
    expect(report.phases[3]).toMatchObject({ rulesPass: true, ready: false });
  });
});
