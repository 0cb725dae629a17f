import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const TODAY = '2026-11-27';
const HELENA = { name: 'Helena Marsh', email: 'helena@example.com' };
const RISK = { name: 'Rui Okafor', email: 'rui@example.com' };
const DS = { name: 'Dana Scott', email: 'dana@example.com' };

/** git run as `who` (author and committer). */
function as(who: { name: string; email: string }): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
  };
}

/**
 * The complete fixture without its approvals, with emails for its people, at `tier`, committed
 * by a data scientist: ready to be signed off.
 */
function unsigned(tier: 'medium' | 'high' = 'medium'): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, 'model'), { recursive: true });
  const path = join(dir, 'model/mlops.yaml');
  let text = readFileSync(path, 'utf8');
  text = text.slice(0, text.indexOf('\napprovals:') + 1);
  text = text
    .replace(
      '{ id: head-sales, name: Head of Sales, role: decision_maker, email: test@example.com }',
      `{ id: head-sales, name: ${HELENA.name}, role: decision_maker, email: ${HELENA.email} }`,
    )
    .replace(
      '{ id: risk, name: Risk Officer, role: risk_2nd_line }',
      `{ id: risk, name: ${RISK.name}, role: risk_2nd_line, email: ${RISK.email} }`,
    )
    .replace(
      '{ id: ds, name: Data Scientist, role: data_science }',
      `{ id: ds, name: ${DS.name}, role: data_science, email: ${DS.email} }`,
    )
    .replace('riskTier: medium', `riskTier: ${tier}`);
  writeFileSync(path, text);
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'model'], as(DS));
  return dir;
}

function mlops(dir: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  return runBin(args, dir);
}

/** `mlops approve` of `phase` by `by`, dated before TODAY; the file is then committed by `who`. */
function approve(
  dir: string,
  phase: string,
  by: string,
  who?: { name: string; email: string },
  extra: string[] = [],
): void {
  const r = mlops(
    dir,
    'approve',
    'model/mlops.yaml',
    '--phase',
    phase,
    '--by',
    by,
    '--date',
    '2026-11-20',
    ...extra,
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  if (who) git(dir, ['commit', '-q', '-am', `approve ${phase} by ${by}`], as(who));
}

function signAll(dir: string, who = HELENA): void {
  for (const phase of ['envision', 'build', 'deploy']) approve(dir, phase, 'head-sales', who);
}

const check = (dir: string, ...args: string[]) =>
  mlops(dir, 'check', '--today', TODAY, '--phase', 'deploy', ...args);

describe('an approval binds the evidence it was given on', () => {
  it('a retrained model makes the build approval stale, naming the evidence and the values that moved', () => {
    const dir = unsigned();
    signAll(dir);
    expect(check(dir).code).toBe(0);
    const metrics = join(dir, 'model/reports/metrics.json');
    writeFileSync(
      metrics,
      readFileSync(metrics, 'utf8')
        .replace('"disparate_impact_ratio": 0.91', '"disparate_impact_ratio": 0.85')
        .replace('"roc_auc": 0.78', '"roc_auc": 0.751'),
    );
    git(dir, ['commit', '-q', '-am', 'retrain'], as(DS));
    const r = check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'the approval by head-sales (decision_maker) on 2026-11-20 is stale: evidence model/reports/metrics.json (parity 0.91 → 0.85; auc 0.78 → 0.751) changed since it was approved',
    );
    // deploy binds its own evidence only: it stays signed
    expect(r.stdout).toMatch(/deploy\s+\d+\/\d+\s+not ready/);
  }, 60_000);

  it('reformatting a JSON report keeps the approval current', () => {
    const dir = unsigned();
    signAll(dir);
    const metrics = join(dir, 'model/reports/metrics.json');
    writeFileSync(metrics, JSON.stringify(JSON.parse(readFileSync(metrics, 'utf8'))));
    git(dir, ['commit', '-q', '-am', 'one line'], as(DS));
    expect(check(dir).code).toBe(0);
  }, 60_000);
});

describe('an approval counts once committed, by the approver', () => {
  it('recorded but not committed: reported, not counted', () => {
    const dir = unsigned();
    approve(dir, 'envision', 'head-sales');
    const r = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is recorded, not committed yet: it does not count until it is');
    git(dir, ['commit', '-q', '-am', 'approve'], as(HELENA));
    expect(mlops(dir, 'check', '--today', TODAY, '--phase', 'envision').code).toBe(0);
  }, 60_000);

  it('committed by someone else: not counted by default; recorded mode counts it and says who', () => {
    const dir = unsigned();
    signAll(dir, DS);
    const r = check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /approval envision-head-sales-2026-11-20 was added by commit [0-9a-f]+ by Dana Scott <dana@example.com>, not by head-sales <helena@example.com> \(approvals.identity is author \(the default\)\)/,
    );
    writeFileSync(
      join(dir, 'mlops.config.yaml'),
      'apiVersion: mlops/v1\nkind: Config\napprovals:\n  identity: recorded\n',
    );
    const recorded = check(dir);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain(
      'approvals count as recorded, whoever recorded them: approvals.identity is recorded in mlops.config.yaml',
    );
    expect(recorded.stdout).toMatch(
      /approval envision-head-sales-2026-11-20 counts as recorded by Dana Scott <dana@example.com> \(commit [0-9a-f]+\), not shown to be head-sales's/,
    );
  }, 60_000);

  it('an approval dated after today is ignored', () => {
    const dir = unsigned();
    const path = join(dir, 'model/mlops.yaml');
    approve(dir, 'envision', 'head-sales');
    writeFileSync(path, readFileSync(path, 'utf8').replace('date: 2026-11-20', 'date: 2030-01-01'));
    git(dir, ['commit', '-q', '-am', 'approve'], as(HELENA));
    const r = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is dated 2030-01-01, after today (2026-11-27): it is ignored');
    expect(r.stdout).toContain('no envision approval by a decision_maker');
  }, 60_000);

  it('a rejection newer than an approval blocks until a newer approval', () => {
    const dir = unsigned();
    approve(dir, 'envision', 'head-sales', HELENA);
    const rejected = mlops(
      dir,
      'approve',
      'model/mlops.yaml',
      '--phase',
      'envision',
      '--by',
      'head-sales',
      '--decision',
      'rejected',
      '--date',
      '2026-11-21',
    );
    expect(rejected.code).toBe(0);
    git(dir, ['commit', '-q', '-am', 'reject'], as(HELENA));
    const r = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'envision was rejected by head-sales (decision_maker) on 2026-11-21',
    );
    const again = mlops(
      dir,
      'approve',
      'model/mlops.yaml',
      '--phase',
      'envision',
      '--by',
      'head-sales',
      '--date',
      '2026-11-22',
    );
    expect(again.code).toBe(0);
    git(dir, ['commit', '-q', '-am', 'approve again'], as(HELENA));
    expect(mlops(dir, 'check', '--today', TODAY, '--phase', 'envision').code).toBe(0);
  }, 60_000);
});

describe('separation of duties', () => {
  it('one person under two stakeholder ids counts once; following the hint, someone else signs', () => {
    const dir = unsigned('high');
    const path = join(dir, 'model/mlops.yaml');
    const OTHER = { name: 'Ines Alba', email: 'ines@example.com' };
    // the decision maker listed again as the second line, and another second line
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        `{ id: risk, name: ${RISK.name}, role: risk_2nd_line, email: ${RISK.email} }`,
        `{ id: risk, name: ${RISK.name}, role: risk_2nd_line, email: ${HELENA.email} }\n    - { id: risk-b, name: ${OTHER.name}, role: risk_2nd_line, email: ${OTHER.email} }`,
      ),
    );
    git(dir, ['commit', '-q', '-am', 'team'], as(DS));
    approve(dir, 'envision', 'head-sales', HELENA);
    approve(dir, 'envision', 'risk', HELENA);
    const r = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '(risk_2nd_line) is by the same person who already signs as decision_maker (head-sales): one person counts once',
    );
    const hint =
      /→ someone else with role risk_2nd_line signs it: `(?:npx )?mlops (approve [^`]+)`/.exec(
        r.stdout,
      );
    expect(hint).not.toBeNull();
    const argv = hint![1]!.replace('"STAKEHOLDER_ID"', 'risk-b').split(' ');
    const followed = mlops(dir, ...argv, '--date', '2026-11-21');
    expect(followed.code).toBe(0);
    git(dir, ['commit', '-q', '-am', 'second line'], as(OTHER));
    // G3 passes (the tier asks more of other rules, which is not the point here)
    const after = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision', '--format', 'json');
    const json = JSON.parse(after.stdout) as {
      manifests: { phases: { phase: string; rules: { id: string; status: string }[] }[] }[];
    };
    const g3 = json.manifests[0]!.phases[0]!.rules.find((x) => x.id === 'G3')!;
    expect(g3.status).toBe('pass');
  }, 60_000);

  it('at tier high the second line is not the model owner', () => {
    const dir = unsigned('high');
    const path = join(dir, 'model/mlops.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        'owner: { name: Ada Example }',
        `owner: { name: ${RISK.name}, email: ${RISK.email} }`,
      ),
    );
    git(dir, ['commit', '-q', '-am', 'owner'], as(DS));
    approve(dir, 'envision', 'head-sales', HELENA);
    approve(dir, 'envision', 'risk', RISK);
    const r = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "(risk_2nd_line) is by the model's owner: the second line must be independent of the model",
    );
  }, 60_000);
});

describe('signed approvals', () => {
  it('an ssh-signed commit verified through an allowed signers file counts; an unsigned one does not', () => {
    const dir = unsigned();
    const keys = tempDir('mlops-keys-');
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      HELENA.email,
      '-f',
      join(keys, 'helena'),
    ]);
    const pub = readFileSync(join(keys, 'helena.pub'), 'utf8').trim();
    writeFileSync(join(dir, 'allowed_signers'), `${HELENA.email} ${pub}\n`);
    writeFileSync(
      join(dir, 'mlops.config.yaml'),
      'apiVersion: mlops/v1\nkind: Config\napprovals:\n  identity: signed\n  allowedSignersFile: allowed_signers\n',
    );
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'config'], as(DS));
    approve(dir, 'envision', 'head-sales', HELENA);
    const unsignedRun = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(unsignedRun.code).toBe(1);
    expect(unsignedRun.stdout).toContain(
      'carries no signature verified for head-sales <helena@example.com>',
    );
    // the same approval again, in a commit Helena signs with her key
    approve(dir, 'envision', 'head-sales');
    git(
      dir,
      [
        '-c',
        'gpg.format=ssh',
        '-c',
        `user.signingkey=${join(keys, 'helena')}`,
        'commit',
        '-q',
        '-S',
        '-am',
        'approve, signed',
      ],
      as(HELENA),
    );
    const signed = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(signed.stdout).not.toContain('carries no signature verified');
    expect(signed.code).toBe(0);
  }, 60_000);
});

describe('history a shallow clone does not have', () => {
  it('check exits 2 with the fetch advice instead of judging from the graft commit', () => {
    const dir = unsigned();
    signAll(dir);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'later'], as(DS));
    const clone = tempDir('mlops-shallow-');
    git(clone, ['clone', '-q', '--depth', '1', `file://${dir}`, 'repo']);
    const r = mlops(join(clone, 'repo'), 'check', '--today', TODAY, '--phase', 'deploy');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('this is a shallow clone');
    expect(r.stderr).toContain('fetch-depth: 0');
    expect(r.stderr).toContain('git fetch --unshallow');
    const full = tempDir('mlops-full-');
    git(full, ['clone', '-q', `file://${dir}`, 'repo']);
    expect(mlops(join(full, 'repo'), 'check', '--today', TODAY, '--phase', 'deploy').code).toBe(0);
  }, 60_000);
});

describe('a pinned date', () => {
  it('the config pins the date a folder is judged at, and the output says so', () => {
    const dir = unsigned();
    signAll(dir);
    writeFileSync(
      join(dir, 'model/mlops.config.yaml'),
      'apiVersion: mlops/v1\nkind: Config\ntoday: 2026-11-27\n',
    );
    const r = mlops(dir, 'check', '--phase', 'deploy');
    expect(r.stdout).toContain(
      'judged at 2026-11-27: the date is pinned by model/mlops.config.yaml (today)',
    );
    const json = JSON.parse(
      mlops(dir, 'check', '--phase', 'deploy', '--format', 'json').stdout,
    ) as {
      manifests: { pinned?: { today: string; source: string } }[];
    };
    expect(json.manifests[0]!.pinned).toEqual({
      today: '2026-11-27',
      source: 'model/mlops.config.yaml',
    });
  }, 60_000);
});

describe('diff acknowledges a loosened change by the same rules', () => {
  /** A signed model whose guardrail `auc` is loosened and envision signed again, uncommitted. */
  function loosened(): string {
    const dir = unsigned();
    signAll(dir);
    const path = join(dir, 'model/mlops.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replace('{ id: auc, metric: roc_auc, min: 0.7,', '{ id: auc, metric: roc_auc, min: 0.6,')
        .replace('version: 1.0.0', 'version: 2.0.0'),
    );
    const r = mlops(
      dir,
      'approve',
      'model/mlops.yaml',
      '--phase',
      'envision',
      '--by',
      'head-sales',
      '--date',
      '2026-11-21',
    );
    expect(r.code).toBe(0);
    return dir;
  }

  it('an approval not committed yet acknowledges nothing', () => {
    const dir = loosened();
    const r = mlops(dir, 'diff', 'HEAD');
    expect(r.stdout).toContain('loosened');
    expect(r.stdout).not.toContain('acknowledged');
    expect(r.code).toBe(1);
  }, 60_000);

  it('committed by the approver it acknowledges; by someone else it does not', () => {
    const dir = loosened();
    git(dir, ['commit', '-q', '-am', 'loosen, signed'], as(HELENA));
    const ok = mlops(dir, 'diff', 'HEAD~1', 'HEAD');
    expect(ok.stdout).toContain('acknowledged');
    expect(ok.code).toBe(0);
    const other = loosened();
    git(other, ['commit', '-q', '-am', 'loosen, signed for her'], as(DS));
    const refused = mlops(other, 'diff', 'HEAD~1', 'HEAD');
    expect(refused.stdout).not.toContain('acknowledged');
    expect(refused.code).toBe(1);
  }, 60_000);
});

describe('an approval under the id of an earlier one', () => {
  it('is not taken for the earlier one: the commit that added it is its own', () => {
    const dir = unsigned();
    approve(dir, 'envision', 'head-sales', HELENA);
    // the approval removed, and one with the same id written back and committed by someone else
    const path = join(dir, 'model/mlops.yaml');
    const signed = readFileSync(path, 'utf8');
    const at = signed.indexOf('\napprovals:');
    writeFileSync(path, signed.slice(0, at + 1));
    git(dir, ['commit', '-q', '-am', 'drop'], as(DS));
    writeFileSync(
      path,
      signed.replace('decision: approved', 'decision: conditional\n    conditions: none'),
    );
    git(dir, ['commit', '-q', '-am', 'forged'], as(DS));
    const r = mlops(dir, 'check', '--today', TODAY, '--phase', 'envision');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /approval envision-head-sales-2026-11-20 was added by commit [0-9a-f]+ by Dana Scott <dana@example.com>, not by head-sales/,
    );
  }, 60_000);
});
