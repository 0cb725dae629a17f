import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const M = 'model/mlops.yaml';
const SLOW = 60_000;

/** The complete fixture under model/ without its approvals, committed; `edit` changes its text. */
function unsigned(edit: (text: string) => string = (t) => t, root?: string): string {
  const dir = root ?? gitDir();
  cpSync(FIXTURE, join(dir, 'model'), { recursive: true });
  const path = join(dir, M);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, edit(text.slice(0, text.indexOf('\napprovals:') + 1)));
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'model']);
  return dir;
}

type Result = { code: number; stdout: string; stderr: string };

/**
 * A refusal: exit 2, nothing on stdout, one message line naming the manifest and one hint
 * line, and the manifest byte for byte as it was, with no lock or temporary file left.
 */
function expectRefused(dir: string, r: Result, before: string): { message: string; hint: string } {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^mlops: /);
  expect(lines[0]).toContain(M);
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(readFileSync(join(dir, M), 'utf8')).toBe(before);
  expect(git(dir, ['status', '--porcelain', '--ignored', '--', 'model'])).toBe('');
  return { message: lines[0]!, hint: lines[1]! };
}

/** The arguments of the mlops command a hint gives in backticks, unquoted as a shell would. */
function hintCommand(hint: string): string[] {
  const command = /`(?:npx )?mlops ([^`]*)`/.exec(hint);
  if (!command) throw new Error(`no mlops command in the hint: ${hint}`);
  return [...command[1]!.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!,
  );
}

const approve = (dir: string, ...args: string[]): Result =>
  runBin(['approve', M, '--by', 'head-sales', ...args], dir);

/** A date two days after today, so that the command's today cannot have reached it. */
function afterToday(): string {
  const d = new Date();
  d.setDate(d.getDate() + 2);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('mlops approve refuses, and leaves the manifest as it was', { timeout: SLOW }, () => {
  it('a date after today: the hint records it today', () => {
    const dir = unsigned();
    const before = readFileSync(join(dir, M), 'utf8');
    const date = afterToday();
    const { message, hint } = expectRefused(
      dir,
      approve(dir, '--phase', 'envision', '--date', date),
      before,
    );
    expect(message).toMatch(
      new RegExp(
        `^mlops: --date ${date} is after today \\(\\d{4}-\\d{2}-\\d{2}\\): .*${M} was left unchanged$`,
      ),
    );
    expect(hintCommand(hint)).toEqual(['approve', M, '--phase', 'envision', '--by', 'head-sales']);
    const followed = runBin(hintCommand(hint), dir);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
  });

  it('conditional without --conditions, and --conditions with another decision', () => {
    const dir = unsigned();
    const before = readFileSync(join(dir, M), 'utf8');
    const missing = expectRefused(
      dir,
      approve(dir, '--phase', 'envision', '--decision', 'conditional', '--date', '2026-11-20'),
      before,
    );
    expect(missing.message).toBe(
      `mlops: --decision conditional needs --conditions: a conditional approval says what it depends on; ${M} was left unchanged`,
    );
    expect(hintCommand(missing.hint)).toContain('--conditions');
    const unexpected = expectRefused(
      dir,
      approve(
        dir,
        '--phase',
        'envision',
        '--conditions',
        'after the Q2 audit',
        '--date',
        '2026-11-20',
      ),
      before,
    );
    expect(unexpected.message).toBe(
      `mlops: --conditions is for --decision conditional, not approved; ${M} was left unchanged`,
    );
    const followed = runBin(hintCommand(unexpected.hint), dir);
    expect(followed.stderr).toBe('');
    expect(followed.stdout).toMatch(
      /^recorded in model\/mlops\.yaml: envision conditional by head-sales \(decision_maker\) on 2026-11-20, conditions: after the Q2 audit;/,
    );
  });

  it('a phase without its section: the hint says what to add, and approving after adding it works', () => {
    const section = /\nbuild:\n[\s\S]*?(?=\ndeploy:)/;
    let removed = '';
    const dir = unsigned((text) =>
      text.replace(section, (s) => {
        removed = s;
        return '';
      }),
    );
    const before = readFileSync(join(dir, M), 'utf8');
    const { message, hint } = expectRefused(
      dir,
      approve(dir, '--phase', 'build', '--date', '2026-11-20'),
      before,
    );
    expect(message).toBe(
      `mlops: ${M} has no build section to approve: there is nothing to sign off yet; ${M} was left unchanged`,
    );
    expect(hint).toMatch(
      /^hint: add the build section first, with candidates, selected, evaluations and modelCard \(rules B1 to B4\); then approve it: `/,
    );
    // check gives the same advice for the phase
    const check = runBin(['check', '--today', '2026-11-27', '--phase', 'build'], dir);
    expect(check.stdout).toContain('add the build section first');
    writeFileSync(join(dir, M), before.replace('\ndeploy:', `${removed}\ndeploy:`));
    const followed = runBin(hintCommand(hint), dir);
    expect(followed.stderr).toBe('');
    expect(followed.stdout).toMatch(/^recorded in model\/mlops\.yaml: build approved/);
  });

  it('--waiver naming no waiver lists the ids; a waiver without an id is named with the fix', () => {
    const dir = unsigned(
      (text) =>
        `${text}waivers:\n  - { rule: B4, reason: card next sprint, owner: ds, expires: 2026-12-31 }\n  - { id: b3-auc, rule: B3, target: auc, reason: retrain in Q1, owner: ds, expires: 2026-12-31 }\n`,
    );
    const before = readFileSync(join(dir, M), 'utf8');
    const typo = expectRefused(
      dir,
      approve(dir, '--waiver', 'b3-acu', '--date', '2026-11-20'),
      before,
    );
    expect(typo.message).toBe(
      `mlops: no waiver "b3-acu" in ${M} (did you mean "b3-auc"?); the waivers of ${M} are: b3-auc; waivers[0] (rule B4) has no id`,
    );
    expect(hintCommand(typo.hint)).toEqual([
      'approve',
      M,
      '--waiver',
      'b3-auc',
      '--by',
      'head-sales',
      '--date',
      '2026-11-20',
    ]);
    const noId = expectRefused(
      dir,
      approve(dir, '--waiver', 'b4-card', '--date', '2026-11-20'),
      before,
    );
    expect(noId.hint).toMatch(
      /^hint: a waiver is approved by its id: add `id: b4-card` to waivers\[0\], then approve it: `/,
    );
    // followed: the id added, the command approves it
    writeFileSync(join(dir, M), before.replace('{ rule: B4,', '{ id: b4-card, rule: B4,'));
    const followed = runBin(hintCommand(noId.hint), dir);
    expect(followed.stderr).toBe('');
    expect(followed.stdout).toMatch(/^recorded in model\/mlops\.yaml: waiver b4-card approved/);
  });

  it('a role that may not approve a waiver: at tier high only the second line, whom the hint names', () => {
    const dir = unsigned(
      (text) =>
        `${text.replace('riskTier: medium', 'riskTier: high')}waivers:\n  - { id: b3-auc, rule: B3, target: auc, reason: retrain in Q1, owner: ds, expires: 2026-12-31 }\n`,
    );
    const before = readFileSync(join(dir, M), 'utf8');
    const { message, hint } = expectRefused(
      dir,
      approve(dir, '--waiver', 'b3-auc', '--date', '2026-11-20'),
      before,
    );
    expect(message).toBe(
      `mlops: head-sales (decision_maker) cannot approve waiver "b3-auc" in ${M}: at risk tier high a waiver is approved by the risk_2nd_line; ${M} was left unchanged`,
    );
    expect(hintCommand(hint)).toEqual([
      'approve',
      M,
      '--waiver',
      'b3-auc',
      '--by',
      'risk',
      '--date',
      '2026-11-20',
    ]);
    const followed = runBin(hintCommand(hint), dir);
    expect(followed.stderr).toBe('');
    expect(followed.stdout).toMatch(
      /^recorded in model\/mlops\.yaml: waiver b3-auc approved by risk \(risk_2nd_line\)/,
    );
  });

  it('an --id that is taken or is not an id', () => {
    const dir = unsigned();
    expect(approve(dir, '--phase', 'envision', '--date', '2026-11-20').code).toBe(0);
    git(dir, ['commit', '-q', '-am', 'approve']);
    const before = readFileSync(join(dir, M), 'utf8');
    const taken = expectRefused(
      dir,
      approve(
        dir,
        '--phase',
        'envision',
        '--date',
        '2026-11-20',
        '--id',
        'envision-head-sales-2026-11-20',
      ),
      before,
    );
    expect(taken.message).toBe(
      `mlops: an approval of ${M} already has the id "envision-head-sales-2026-11-20"; ${M} was left unchanged`,
    );
    expect(hintCommand(taken.hint)).toContain('envision-head-sales-2026-11-20-2');
    const bad = approve(dir, '--phase', 'envision', '--id', 'Kick Off');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--id "Kick Off" is not an id');
    expect(readFileSync(join(dir, M), 'utf8')).toBe(before);
  });
});

describe('mlops approve refuses evidence it cannot bind', { timeout: SLOW }, () => {
  it('a missing file is bound as missing: the approval is recorded, and goes stale once the file is', () => {
    const dir = unsigned();
    rmSync(join(dir, 'model/docs/model-card.md'));
    git(dir, ['commit', '-q', '-am', 'no card yet']);
    const r = approve(dir, '--phase', 'build', '--date', '2026-11-20');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'not bound (missing when signed): docs/model-card.md; once committed, they make this approval stale',
    );
    const text = readFileSync(join(dir, M), 'utf8');
    const signed = text.slice(text.lastIndexOf('- id: build-head-sales-2026-11-20'));
    expect(signed).toContain('reports/metrics.json: sha256:');
    expect(signed).not.toContain('docs/model-card.md');
    git(dir, ['commit', '-q', '-am', 'approve build']);
    writeFileSync(join(dir, 'model/docs/model-card.md'), '# Model card\n');
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'card']);
    const check = runBin(['check', '--today', '2026-11-27', '--phase', 'build'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      'is stale: evidence model/docs/model-card.md changed since it was approved',
    );
  });

  it('a link out of the repository, a path that climbs out of it, a FIFO: refused, none of them opened', () => {
    const outside = tempDir('mlops-outside-');
    writeFileSync(join(outside, 'card.md'), '# not ours\n');
    const dir = unsigned((text) =>
      text.replace(
        'personalData: true, datasheet: docs/datasheet.md',
        'personalData: true, datasheet: ../../datasheet.md',
      ),
    );
    rmSync(join(dir, 'model/docs/model-card.md'));
    symlinkSync(join(outside, 'card.md'), join(dir, 'model/docs/model-card.md'));
    rmSync(join(dir, 'model/reports/metrics.json'));
    spawnSync('mkfifo', [join(dir, 'model/reports/metrics.json')]);
    const before = readFileSync(join(dir, M), 'utf8');
    // a FIFO opened for reading would block: the run is bounded, and must end by itself
    const r = spawnSync(
      process.execPath,
      [BIN, 'approve', M, '--phase', 'build', '--by', 'head-sales', '--date', '2026-11-20'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        input: '',
        timeout: 20_000,
      },
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const message = r.stderr.split('\n')[0]!;
    expect(message).toContain(
      '../../datasheet.md (build.datasets[0].datasheet) climbs out of the repository',
    );
    expect(message).toContain(
      `docs/model-card.md (build.modelCard) leads outside the repository through the link model/docs/model-card.md (to ${join(outside, 'card.md')})`,
    );
    expect(message).toContain(
      'reports/metrics.json (envision.trustworthyAI.fairImpartial.guardrails[0].evidence) is a FIFO (named pipe), not a file',
    );
    expect(readFileSync(join(dir, M), 'utf8')).toBe(before);
  });

  it('a file the user cannot read: named, with the cause', () => {
    // root reads through chmod 000: run as another user, in a folder that user can write
    const base = tempDir('mlops-perm-');
    chmodSync(base, 0o777);
    const dir = join(base, 'repo');
    git(base, ['init', '-q', '-b', 'main', 'repo']);
    git(dir, ['config', 'user.name', 'Test']);
    git(dir, ['config', 'user.email', 'test@example.com']);
    unsigned((t) => t, dir);
    chmodSync(join(dir, 'model/docs/model-card.md'), 0o000);
    spawnSync('chmod', ['-R', 'a+rwX', dir]);
    chmodSync(join(dir, 'model/docs/model-card.md'), 0o000);
    const before = readFileSync(join(dir, M), 'utf8');
    const r = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        BIN,
        'approve',
        M,
        '--phase',
        'build',
        '--by',
        'head-sales',
        '--date',
        '2026-11-20',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', HOME: base, GIT_CONFIG_GLOBAL: '/dev/null' },
        input: '',
        timeout: 20_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `mlops: cannot bind the build evidence of ${M}: docs/model-card.md (build.modelCard) cannot be read (permission denied); ${M} was left unchanged`,
    );
    expect(readFileSync(join(dir, M), 'utf8')).toBe(before);
  });

  it('a key that cannot sign: refused, nothing written', () => {
    const dir = unsigned();
    const before = readFileSync(join(dir, M), 'utf8');
    const missing = approve(
      dir,
      '--phase',
      'envision',
      '--date',
      '2026-11-20',
      '--sign-key',
      'no-such-key',
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `mlops: --sign-key no-such-key: no such key file; ${M} was left unchanged`,
    );
    const notAKey = join(dir, 'model/docs/dpia.md');
    const bad = approve(dir, '--phase', 'envision', '--date', '2026-11-20', '--sign-key', notAKey);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`mlops: cannot sign the approval of ${M} with ${notAKey}: `);
    expect(bad.stderr).toContain(`; ${M} was left unchanged`);
    expect(readFileSync(join(dir, M), 'utf8')).toBe(before);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});
