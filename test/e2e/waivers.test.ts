/**
 * Waivers that hold, through the built CLI in temporary git repositories whose commits are made
 * by different people: a waiver excuses only the finding it names, only once approved by the
 * role its tier needs (committed by that person), and only until an expiry at most 90 days (or
 * the config's waivers.maxDays) after the commit that added it. G1, G2, G3, G4 and E1 can
 * never be waived.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { digestOf } from '../../src/core/digest.js';
import { runBin } from '../helpers/bin.js';
import { git, gitDir } from '../helpers/gitdir.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const M = 'model/mlops.yaml';
const TODAY = '2026-11-27';
type Person = { name: string; email: string };
const HELENA: Person = { name: 'Helena Marsh', email: 'helena@example.com' };
const RISK: Person = { name: 'Rui Okafor', email: 'rui@example.com' };
const DS: Person = { name: 'Dana Scott', email: 'dana@example.com' };

/** git run as `who` (author and committer), on `day`. */
function as(who: Person, day = '2026-11-20'): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_AUTHOR_DATE: `${day}T12:00:00Z`,
    GIT_COMMITTER_DATE: `${day}T12:00:00Z`,
  };
}

/**
 * The complete fixture at `tier` with emails for its people and no approvals, its build report
 * giving an AUC of 0.65 (guardrail `auc`: min 0.7) and, with `parity`, a disparate impact of
 * 0.75 (guardrail `parity`: min 0.8); committed by the data scientist.
 */
function failingModel(options: { tier?: 'medium' | 'high'; parity?: boolean } = {}): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, 'model'), { recursive: true });
  const path = join(dir, M);
  let text = readFileSync(path, 'utf8');
  text = text.slice(0, text.indexOf('\napprovals:') + 1);
  text = text
    .replace(
      /\{ id: head-sales, [^}]*\}/,
      `{ id: head-sales, name: ${HELENA.name}, role: decision_maker, email: ${HELENA.email} }`,
    )
    .replace(
      /\{ id: risk, [^}]*\}/,
      `{ id: risk, name: ${RISK.name}, role: risk_2nd_line, email: ${RISK.email} }`,
    )
    .replace(
      /\{ id: ds, [^}]*\}/,
      `{ id: ds, name: ${DS.name}, role: data_science, email: ${DS.email} }`,
    )
    .replace('riskTier: medium', `riskTier: ${options.tier ?? 'medium'}`);
  writeFileSync(path, text);
  const metrics = join(dir, 'model/reports/metrics.json');
  let report = readFileSync(metrics, 'utf8').replace('"roc_auc": 0.78', '"roc_auc": 0.65');
  if (options.parity)
    report = report.replace('"disparate_impact_ratio": 0.91', '"disparate_impact_ratio": 0.75');
  writeFileSync(metrics, report);
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'model'], as(DS));
  return dir;
}

/** Appends `text` to the manifest (a `waivers:` or `approvals:` list). */
function append(dir: string, text: string): void {
  const path = join(dir, M);
  writeFileSync(path, `${readFileSync(path, 'utf8')}${text}`);
}

const WAIVER = {
  id: 'waive-b3-auc',
  rule: 'B3',
  target: 'auc',
  reason: 'Retraining on the new CRM data is planned.',
  owner: 'ds',
  expires: '2026-12-15',
};

/** A `waivers:` list of one waiver, as YAML. */
function waivers(w: Record<string, string> = WAIVER): string {
  const keys = Object.entries(w).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `waivers:\n  - ${keys.join('\n    ')}\n`;
}

/**
 * The approval `mlops approve --waiver <id> --by <by>` records: the digest of the waiver item
 * as the manifest holds it now.
 */
function waiverApproval(dir: string, id: string, by: string, role: string, date: string): string {
  const data = parse(readFileSync(join(dir, M), 'utf8')) as { waivers: { id?: string }[] };
  const item = data.waivers.find((w) => w.id === id);
  return [
    'approvals:',
    `  - id: ${id}-${by}-${date}`,
    `    waiver: ${id}`,
    `    role: ${role}`,
    `    by: ${by}`,
    '    decision: approved',
    `    date: ${date}`,
    `    digest: "${digestOf(item)}"`,
    '',
  ].join('\n');
}

interface Json {
  manifests: {
    phases: {
      phase: string;
      rules: {
        id: string;
        status: string;
        findings: { code: string; args: Record<string, unknown>; action?: unknown }[];
        waived?: { code: string; args: Record<string, unknown>; waiver: string }[];
      }[];
    }[];
    waivers: {
      id?: string;
      status: string;
      problems: string[];
      approver?: string;
      daysLeft?: number;
      latest?: string;
    }[];
  }[];
}

function checkJson(dir: string, today = TODAY): Json {
  const r = runBin(['check', '--today', today, '--format', 'json', M], dir);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Json;
}

function b3(json: Json) {
  return json.manifests[0]!.phases.find((p) => p.phase === 'build')!.rules.find(
    (r) => r.id === 'B3',
  )!;
}

describe('a waiver in force only once approved', () => {
  it('an unapproved waiver does not excuse; the approval by the decision maker, committed by her, does', () => {
    const dir = failingModel();
    append(dir, waivers());
    git(dir, ['commit', '-q', '-am', 'waive auc'], as(DS));

    const before = checkJson(dir);
    expect(b3(before).status).toBe('fail');
    expect(b3(before).findings.map((f) => f.code)).toEqual([
      'GUARDRAIL_OUT_OF_BOUNDS',
      'WAIVER_NOT_IN_FORCE',
    ]);
    expect(before.manifests[0]!.waivers[0]).toMatchObject({
      id: 'waive-b3-auc',
      status: 'unapproved',
      problems: ['unapproved'],
    });
    const text = runBin(['check', '--today', TODAY, M], dir);
    expect(text.stdout).toContain(
      'waiver waive-b3-auc (B3, target auc) is not in force: it is not approved: nobody with role decision_maker approved it',
    );
    expect(text.stdout).toContain(
      'head-sales approves it and commits the approval: `npx mlops approve model/mlops.yaml --waiver waive-b3-auc --by head-sales`',
    );

    // recorded by the data scientist: not the approver's commit, so it does not count
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-21'));
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], as(DS, '2026-11-21'));
    const notHers = checkJson(dir);
    expect(b3(notHers).status).toBe('fail');
    expect(notHers.manifests[0]!.waivers[0]!.status).toBe('unapproved');
    expect(runBin(['check', '--today', TODAY, M], dir).stdout).toContain(
      'the approval by head-sales (decision_maker) was not committed by head-sales',
    );

    // committed by Helena herself
    const path = join(dir, M);
    const text2 = readFileSync(path, 'utf8');
    writeFileSync(path, text2.slice(0, text2.indexOf('approvals:')));
    git(dir, ['commit', '-q', '-am', 'drop'], as(DS, '2026-11-21'));
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-22'));
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], as(HELENA, '2026-11-22'));
    const after = checkJson(dir);
    expect(b3(after).status).toBe('waived');
    expect(b3(after).findings).toEqual([]);
    expect(b3(after).waived!.map((w) => [w.code, w.args.waiverTarget, w.waiver])).toEqual([
      ['GUARDRAIL_OUT_OF_BOUNDS', 'auc', 'waive-b3-auc'],
    ]);
    expect(after.manifests[0]!.waivers[0]).toMatchObject({
      status: 'in_force',
      approver: 'head-sales',
      daysLeft: 18,
    });
    const listed = runBin(['check', '--today', TODAY, M], dir).stdout;
    expect(listed).toContain(
      'waive-b3-auc (B3 auc)  in force until 2026-12-15 (18 days left), approved by head-sales (decision_maker)',
    );
    expect(listed).toMatch(/~ B3 {2}Build guardrails within bounds: waived by waive-b3-auc/);
  }, 60_000);

  it('at tier high the second line approves it; the decision maker cannot', () => {
    const dir = failingModel({ tier: 'high' });
    append(dir, waivers());
    git(dir, ['commit', '-q', '-am', 'waive auc'], as(DS));
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-21'));
    git(dir, ['commit', '-q', '-am', 'approve'], as(HELENA, '2026-11-21'));
    expect(b3(checkJson(dir)).status).toBe('fail');
    const path = join(dir, M);
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        /approvals:[\s\S]*$/,
        waiverApproval(dir, 'waive-b3-auc', 'risk', 'risk_2nd_line', '2026-11-22'),
      ),
    );
    git(dir, ['commit', '-q', '-am', 'approve'], as(RISK, '2026-11-22'));
    const json = checkJson(dir);
    expect(b3(json).status).toBe('waived');
    expect(json.manifests[0]!.waivers[0]).toMatchObject({ status: 'in_force', approver: 'risk' });
  }, 60_000);
});

describe('a waiver excuses only its target', () => {
  it('a B3 waiver for auc does not hide the parity finding', () => {
    const dir = failingModel({ parity: true });
    append(dir, waivers());
    git(dir, ['commit', '-q', '-am', 'waive auc'], as(DS));
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-21'));
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], as(HELENA, '2026-11-21'));
    const json = checkJson(dir);
    const rule = b3(json);
    expect(rule.status).toBe('fail');
    expect(rule.findings.map((f) => [f.code, f.args.waiverTarget])).toEqual([
      ['GUARDRAIL_OUT_OF_BOUNDS', 'parity'],
    ]);
    expect(rule.waived!.map((w) => w.args.waiverTarget)).toEqual(['auc']);
    const r = runBin(['check', '--today', TODAY, '--phase', 'build', M], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('guardrail `parity`: disparate_impact_ratio is 0.75');
    expect(r.stdout).toMatch(
      /~ guardrail `auc`: roc_auc is 0\.65 .*\(waived by waive-b3-auc until 2026-12-15\)/,
    );
    // the markdown comment lists the waiver and what it excuses
    const md = runBin(['check', '--today', TODAY, '--format', 'markdown', M], dir).stdout;
    expect(md).toContain(
      '| waive-b3-auc | B3 | auc | ✅ in force until 2026-12-15 (18 days left), approved by head-sales (decision_maker) | Retraining on the new CRM data is planned. |',
    );
    expect(md).toContain('(waived by waive-b3-auc until 2026-12-15)');
  }, 60_000);
});

describe('how long a waiver holds', () => {
  it('a 2099 expiry is beyond the maximum of 90 days after the commit that added it', () => {
    const dir = failingModel();
    append(dir, waivers({ ...WAIVER, expires: '2099-12-31' }));
    git(dir, ['commit', '-q', '-am', 'waive auc'], as(DS));
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-21'));
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], as(HELENA, '2026-11-21'));
    const json = checkJson(dir);
    expect(b3(json).status).toBe('fail');
    expect(json.manifests[0]!.waivers[0]).toMatchObject({
      status: 'beyond_maximum',
      problems: ['beyond_maximum'],
      latest: '2027-02-18',
    });
    const fix = b3(json).findings.find((f) => f.code === 'WAIVER_NOT_IN_FORCE')!.action;
    expect(fix).toEqual({
      kind: 'edit',
      op: 'set',
      path: ['waivers', 0, 'expires'],
      value: '2027-02-18',
    });
    const r = runBin(['check', '--today', TODAY, M], dir);
    expect(r.stdout).toMatch(
      /its expiry 2099-12-31 is beyond 2027-02-18: at most 90 days after the commit that added it \([0-9a-f]+, 2026-11-20\), the default maximum/,
    );
  }, 60_000);

  it("the config's waivers.maxDays sets another maximum, and says where it comes from", () => {
    const dir = failingModel();
    writeFileSync(
      join(dir, 'mlops.config.yaml'),
      'apiVersion: mlops/v1\nkind: Config\nwaivers:\n  maxDays: 10\n',
    );
    append(dir, waivers());
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'waive auc'], as(DS));
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-21'));
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], as(HELENA, '2026-11-21'));
    const r = runBin(['check', '--today', TODAY, M], dir);
    expect(r.stdout).toContain(
      'its expiry 2026-12-15 is beyond 2026-11-30: at most 10 days after the commit that added it',
    );
    expect(r.stdout).toContain('as waivers.maxDays sets in mlops.config.yaml');
  }, 60_000);

  it('warns 14 days before a waiver expires; past its expiry day it no longer excuses', () => {
    const dir = failingModel();
    append(dir, waivers());
    git(dir, ['commit', '-q', '-am', 'waive auc'], as(DS));
    append(dir, waiverApproval(dir, 'waive-b3-auc', 'head-sales', 'decision_maker', '2026-11-21'));
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], as(HELENA, '2026-11-21'));
    // 15 days left: no warning
    expect(b3(checkJson(dir, '2026-11-30')).findings).toEqual([]);
    const soon = checkJson(dir, '2026-12-01');
    expect(b3(soon).status).toBe('waived');
    expect(b3(soon).findings.map((f) => f.code)).toEqual(['WAIVER_EXPIRING']);
    const r = runBin(['check', '--today', '2026-12-01', M], dir);
    expect(r.stdout).toContain(
      'waiver waive-b3-auc (B3, target auc) expires on 2026-12-15: 14 days left',
    );
    // its last day still counts
    expect(b3(checkJson(dir, '2026-12-15')).status).toBe('waived');
    const after = checkJson(dir, '2026-12-16');
    expect(b3(after).status).toBe('fail');
    expect(after.manifests[0]!.waivers[0]!.problems).toEqual(['expired']);
  }, 60_000);

  it('an uncommitted waiver is not in force, and the hint commits it first', () => {
    const dir = failingModel();
    append(dir, waivers());
    const r = runBin(['check', '--today', TODAY, M], dir);
    expect(r.stdout).toContain('is not in force: it is not committed; it is not approved');
    expect(r.stdout).toContain(
      'commit it: `git add model/mlops.yaml && git commit -m "Waive B3 for auc"`; then head-sales approves it',
    );
  }, 60_000);
});

describe('validate: waivers the contract refuses', () => {
  it('a waiver of G3 is an error at its rule, naming the rules that may be waived', () => {
    const dir = failingModel();
    append(dir, waivers({ ...WAIVER, rule: 'G3' }));
    const r = runBin(['validate', M], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /model\/mlops\.yaml:\d+:11 +error +WAIVER_NOT_WAIVABLE +waivers\[0\]\.rule: rule G3 can never be waived; a waiver names one of E2, E3, E4, E5, B1, B2, B3, B4, D1, D2, D3, D4, D5, M1, M2, M3, M4/,
    );
    // check judges nothing of a manifest that does not validate
    const c = runBin(['check', '--today', TODAY, '--phase', 'envision', M], dir);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('invalid manifest: nothing was judged');
  }, 60_000);

  it('a waiver without id or target is a warning naming the fix, and never in force', () => {
    const dir = failingModel();
    append(dir, 'waivers:\n  - { rule: B3, reason: "Later.", owner: ds, expires: 2026-12-15 }\n');
    git(dir, ['commit', '-q', '-am', 'waive'], as(DS));
    const r = runBin(['validate', M], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'WAIVER_EARLIER_SHAPE  waivers[0]: a waiver of B3 without an id or a target: written for the earlier contract, it does not count',
    );
    expect(r.stdout).toContain(
      'add to `waivers[0]`: `{id: waive-b3, target: "TARGET"}` (the target is the id of a guardrail active in build: parity, auc, reasons, pii, bad-input)',
    );
    expect(checkJson(dir).manifests[0]!.waivers[0]).toMatchObject({
      status: 'earlier_shape',
    });
    expect(b3(checkJson(dir)).status).toBe('fail');
  }, 60_000);
});
