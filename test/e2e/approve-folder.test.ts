import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const CHURN = readFileSync(new URL('../../examples/churn/mlops.yaml', import.meta.url), 'utf8');
const FORECAST = readFileSync(
  new URL('../../examples/forecast/mlops.yaml', import.meta.url),
  'utf8',
);
const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const SLOW = 60_000;

/** The churn example's evidence (docs/, reports/), which a deploy approval binds, into `folder`. */
function churnEvidence(dir: string, folder: string): void {
  for (const sub of ['docs', 'reports'])
    cpSync(join(EXAMPLES, 'churn', sub), join(dir, folder, sub), { recursive: true });
}

const approve = (path: string, extra: string[] = []): string[] => [
  'approve',
  path,
  '--phase',
  'deploy',
  '--by',
  'cco',
  '--date',
  '2026-11-27',
  ...extra,
];

/** A repository holding the churn and forecast examples (with churn's evidence) under models/, committed. */
function repo(): string {
  const dir = gitDir();
  churnEvidence(dir, 'models/churn');
  git(dir, ['add', '.']);
  commitFiles(
    dir,
    { 'models/churn/mlops.yaml': CHURN, 'models/forecast/mlops.yaml': FORECAST },
    'two models',
  );
  return dir;
}

/** The command a hint says to run (in backticks), as arguments after `mlops`. */
function hintCommand(stderr: string): string[] {
  const hint = stderr.split('\n').find((l) => l.startsWith('hint: '));
  const command = /`(?:npx )?mlops ([^`]*)`/.exec(hint ?? '');
  if (!command) throw new Error(`no mlops command in the hint: ${stderr}`);
  return command[1]!.split(' ');
}

/** An error of exit 2 with one message line and one hint line, and nothing on stdout. */
function expectRefused(r: { code: number; stdout: string; stderr: string }): string[] {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^mlops: /);
  expect(lines[1]).toMatch(/^hint: \S/);
  return lines;
}

describe('mlops approve <folder>', { timeout: SLOW }, () => {
  it("signs the folder's own mlops.yaml, as it signs the file, keeping every byte", () => {
    for (const arg of ['models/churn', 'models/churn/', './models/churn']) {
      const dir = repo();
      const r = runBin(approve(arg), dir);
      expect(r.stderr, arg).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^recorded in models\/churn\/mlops\.yaml: deploy approved by cco \(decision_maker\) on 2026-11-27; digest sha256:[0-9a-f]{12}…\n  id: deploy-cco-2026-11-27\n  evidence: \d+ files bound by content digest: [^\n]+\n  recorded by: Test <test@example\.com> \(git config user\.name, user\.email\)\n$/,
      );
      const after = readFileSync(join(dir, 'models/churn/mlops.yaml'), 'utf8');
      expect(after.startsWith(CHURN)).toBe(true);
      expect(after.slice(CHURN.length)).toContain('    by: cco\n');
      // the same bytes as approving the file by its name
      const other = repo();
      expect(runBin(approve('models/churn/mlops.yaml'), other).code).toBe(0);
      expect(readFileSync(join(other, 'models/churn/mlops.yaml'), 'utf8')).toBe(after);
    }
  });

  it('takes `.` in the folder of the manifest, and keeps CRLF line breaks', () => {
    const dir = gitDir();
    const crlf = CHURN.replace(/\n/g, '\r\n');
    churnEvidence(dir, 'models/churn');
    commitFiles(dir, { 'models/churn/mlops.yaml': crlf }, 'crlf');
    const r = runBin(approve('.'), join(dir, 'models/churn'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^recorded in mlops\.yaml: deploy approved by cco/);
    const after = readFileSync(join(dir, 'models/churn/mlops.yaml'), 'utf8');
    expect(after.startsWith(crlf)).toBe(true);
    expect(after.slice(crlf.length).replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('a folder without an mlops.yaml: exit 2 naming it, and the init that makes one', () => {
    const dir = repo();
    mkdirSync(join(dir, 'models/new'));
    writeFiles(dir, { 'models/new/notes.md': 'not a manifest\n' });
    const [message, hint] = expectRefused(runBin(approve('models/new'), dir));
    expect(message).toBe('mlops: models/new is a folder with no mlops.yaml in it');
    expect(hint).toMatch(/^hint: create one with `(npx )?mlops init models\/new`/);
    expect(hintCommand(`${hint}\n`)).toEqual(['init', 'models/new']);
    expect(git(dir, ['status', '--porcelain'])).toBe('?? models/new/\n');
  });

  it('a folder whose manifest has another name: the hint names the file', () => {
    const dir = repo();
    churnEvidence(dir, 'models/alt');
    commitFiles(dir, { 'models/alt/model.yaml': CHURN, 'models/alt/params.yaml': 'a: 1\n' }, 'alt');
    const [message, hint] = expectRefused(runBin(approve('models/alt'), dir));
    expect(message).toBe(
      'mlops: models/alt holds no mlops.yaml; its manifest is models/alt/model.yaml',
    );
    const followed = runBin(hintCommand(hint!), dir);
    expect(followed.stderr).toBe('');
    expect(followed.stdout).toMatch(
      /^recorded in models\/alt\/model\.yaml: deploy approved by cco/,
    );
  });

  it('a folder of model folders: names the manifests under it, and the hint approves one', () => {
    const dir = repo();
    const [message, hint] = expectRefused(runBin(approve('models'), dir));
    expect(message).toBe(
      'mlops: models holds no mlops.yaml of its own; 2 manifests are in folders under it: models/churn, models/forecast',
    );
    const followed = runBin(hintCommand(hint!), dir);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/^recorded in models\/churn\/mlops\.yaml: deploy approved/);
  });

  it('a path that does not exist: exit 2 with the nearest manifest, and the hint works', () => {
    const dir = repo();
    for (const [arg, near] of [
      ['models/chrun', 'models/churn'],
      ['models/churn/mlops.yml', 'models/churn/mlops.yaml'],
      ['models/chrun/mlops.yaml', 'models/churn/mlops.yaml'],
      ['chrun', 'models/churn'],
    ] as const) {
      const r = runBin(
        approve(arg, ['--decision', 'conditional', '--conditions', 'Q2 audit']),
        dir,
      );
      const [message, hint] = expectRefused(r);
      expect(message).toBe(`mlops: no such file or folder: ${arg} (did you mean "${near}"?)`);
      expect(hint).toMatch(
        new RegExp(
          `^hint: run \`(npx )?mlops approve ${near.replace(/\./g, '\\.')} --phase deploy --by cco --decision conditional --conditions 'Q2 audit' --date 2026-11-27\`$`,
        ),
      );
      expect(git(dir, ['status', '--porcelain'])).toBe('');
    }
    // followed (its quoting aside), it records the sign-off
    const followed = runBin(
      approve('models/churn', ['--decision', 'conditional', '--conditions', 'Q2 audit']),
      dir,
    );
    expect(followed.code).toBe(0);
    // from a folder below, paths are relative to it
    const below = expectRefused(runBin(approve('chrun'), join(dir, 'models')));
    expect(below[0]).toBe('mlops: no such file or folder: chrun (did you mean "churn"?)');
  });

  it('nothing near: says how to start a manifest there', () => {
    const dir = repo();
    const [message, hint] = expectRefused(runBin(approve('elsewhere/model'), dir));
    expect(message).toBe('mlops: no such file or folder: elsewhere/model');
    expect(hint).toMatch(
      /^hint: pass a manifest or the folder holding it; to start one there: `(npx )?mlops init elsewhere\/model`$/,
    );
    // a file name: the folder it would be in
    const [, file] = expectRefused(runBin(approve('elsewhere/model/mlops.yaml'), dir));
    expect(file).toMatch(/`(npx )?mlops init elsewhere\/model`$/);
  });

  it('outside a repository, suggests among the folders beside the path', () => {
    const dir = tempDir();
    writeFiles(dir, { 'churn/mlops.yaml': CHURN });
    churnEvidence(dir, 'churn');
    const [message] = expectRefused(runBin(approve('chrun'), dir));
    expect(message).toBe('mlops: no such file or folder: chrun (did you mean "churn"?)');
    const r = runBin(approve('churn'), dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^recorded in churn\/mlops\.yaml/);
  });

  it('a symlinked folder that leads outside the repository is refused, even into another repository', () => {
    const dir = repo();
    const other = gitDir();
    commitFiles(other, { 'mlops.yaml': CHURN }, 'theirs');
    const outside = tempDir();
    writeFileSync(join(outside, 'mlops.yaml'), CHURN);
    symlinkSync(other, join(dir, 'models/theirs'));
    symlinkSync(outside, join(dir, 'models/outside'));
    for (const [arg, target] of [
      ['models/theirs', other],
      ['models/outside', outside],
    ] as const) {
      const [message] = expectRefused(runBin(approve(arg), dir));
      expect(message).toBe(
        `mlops: ${arg}/mlops.yaml leads outside the repository (to ${target}/mlops.yaml); it was left unchanged`,
      );
    }
    expect(readFileSync(join(other, 'mlops.yaml'), 'utf8')).toBe(CHURN);
    expect(readFileSync(join(outside, 'mlops.yaml'), 'utf8')).toBe(CHURN);
    expect(git(other, ['status', '--porcelain'])).toBe('');
    // validate refuses to read them the same way
    const v = runBin(['validate', 'models/theirs/mlops.yaml', '--no-cache'], dir);
    expect(v.code).not.toBe(0);
    expect(v.stdout).toContain('SYMLINK_OUTSIDE');
  });

  it("a folder whose mlops.yaml is a FIFO is refused unopened, and the folder's lock is the file's", () => {
    const dir = repo();
    mkdirSync(join(dir, 'models/pipe'));
    spawnSync('mkfifo', [join(dir, 'models/pipe/mlops.yaml')]);
    const r = spawnSync(process.execPath, [BIN, ...approve('models/pipe')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      input: '',
      timeout: 20_000,
    });
    expect(r.signal).toBeNull();
    const [message] = expectRefused({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    expect(message).toBe(
      'mlops: models/pipe/mlops.yaml is a fifo, not a file; nothing was written',
    );

    // a folder in the place of the lock: the folder argument takes the file's lock
    mkdirSync(join(dir, 'models/churn/.mlops.yaml.lock'));
    const [locked] = expectRefused(runBin(approve('models/churn'), dir));
    expect(locked).toContain('models/churn/mlops.yaml');
    expect(locked).toMatch(/a folder is where a file should be/);
    expect(readFileSync(join(dir, 'models/churn/mlops.yaml'), 'utf8')).toBe(CHURN);
  });
});
