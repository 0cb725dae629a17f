import { chownSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError } from '../../src/errors.js';
import { discoverManifests } from '../../src/io/discover.js';
import { readEvidenceHistory } from '../../src/io/git-state.js';
import {
  classifyGitFailure,
  createGit,
  gitErrorLine,
  parseRepository,
  pathsFromZ,
  showBytes,
} from '../../src/io/git.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const MINIMAL = 'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata: { name: NAME }\n';

/** git's own config only: no safe.directory or other setting of the machine's user. */
const ISOLATED = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

describe('the environment policy: GIT_DIR and GIT_WORK_TREE honoured, pinned once', () => {
  it('every call sees the repository GIT_DIR names, even a relative one, from anywhere', async () => {
    const here = gitDir();
    commitFiles(here, { 'here.txt': 'here\n' }, 'here');
    const parent = tempDir();
    const other = join(parent, 'other');
    git(parent, ['init', '-q', '-b', 'main', 'other']);
    const otherHead = commitFiles(other, { 'models/a/notes.txt': 'a\n' }, 'other');
    // relative to where the command starts, as git reads them
    const env = {
      GIT_DIR: relative(here, join(other, '.git')),
      GIT_WORK_TREE: relative(here, other),
    };
    const repo = await createGit(here, { env });
    expect(repo.root).toBe(other);
    expect(repo.gitDir).toBe(join(other, '.git'));
    expect(await repo.resolveRev('HEAD')).toBe(otherHead);
    expect(await repo.listFiles()).toEqual(['models/a/notes.txt']);
    // later calls run in the work tree, where the relative GIT_DIR would name nothing
    expect(await repo.mergeBase(otherHead, otherHead)).toBe(otherHead);
  });

  it('check and diff judge the repository GIT_DIR names, not the one around the folder', async () => {
    const here = gitDir();
    commitFiles(here, { 'mlops.yaml': MINIMAL.replace('NAME', 'here-model') }, 'here');
    const other = gitDir();
    commitFiles(other, { 'm/mlops.yaml': MINIMAL.replace('NAME', 'other-model') }, 'one');
    commitFiles(other, { 'm/mlops.yaml': MINIMAL.replace('NAME', 'renamed-model') }, 'two');
    const env = { GIT_DIR: join(other, '.git'), GIT_WORK_TREE: other };

    const diff = await runCli(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], here, env);
    expect(diff.stderr).toBe('');
    const result = JSON.parse(diff.stdout) as { manifests: { file: string }[] };
    expect(result.manifests.map((m) => m.file)).toEqual(['m/mlops.yaml']);

    const check = await runCli(['check', '--format', 'json', '--today', '2026-11-27'], here, env);
    expect(check.stderr).toBe('');
    const manifests = (JSON.parse(check.stdout) as { manifests: { file: string; name: string }[] })
      .manifests;
    // machine formats give paths from the root of the repository judged
    expect(manifests.map((m) => [m.file, m.name])).toEqual([['m/mlops.yaml', 'renamed-model']]);
  });

  it('a GIT_DIR that is not a repository is a clear error, with git’s own words', async () => {
    const here = gitDir();
    const nowhere = tempDir();
    const r = await runCli(['diff', 'HEAD'], here, { GIT_DIR: join(nowhere, '.git') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot open a git repository at ${here}: not a git repository`);
  });
});

describe('git’s own message is kept', () => {
  it('takes the first fatal or error line, without its prefix', () => {
    expect(
      gitErrorLine(
        "warning: unrelated\nfatal: detected dubious ownership in repository at '/r'\nTo add an exception...\n",
      ),
    ).toBe("detected dubious ownership in repository at '/r'");
    expect(gitErrorLine('something odd\n')).toBe('something odd');
    expect(
      classifyGitFailure('fatal: not a git repository (or any of the parent directories): .git'),
    ).toEqual({ kind: 'not-a-repository' });
    expect(
      classifyGitFailure("fatal: detected dubious ownership in repository at '/srv/r x'\n"),
    ).toEqual({
      kind: 'dubious-ownership',
      hint: 'git refuses a repository owned by another user; if you trust it: git config --global --add safe.directory /srv/r x',
    });
  });

  it('says "dubious ownership" (not "not a git repository") and how to trust the folder', async () => {
    const dir = gitDir();
    commitFiles(dir, { 'mlops.yaml': MINIMAL.replace('NAME', 'm') }, 'm');
    for (const args of [['check'], ['diff', 'HEAD'], ['validate', '--no-cache']]) {
      const r = await runCli(args, dir, { ...ISOLATED, GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`detected dubious ownership in repository at '${dir}'`);
      expect(r.stderr).not.toContain('not a git repository');
      expect(r.stderr).toContain(`git config --global --add safe.directory ${dir}`);
    }
    const debug = await runCli(['check', '--debug'], dir, {
      ...ISOLATED,
      GIT_TEST_ASSUME_DIFFERENT_OWNER: '1',
    });
    expect(debug.stderr).toContain('detected dubious ownership');
  });

  it.runIf(process.getuid?.() === 0)(
    'a repository really owned by another user is refused the same way',
    async () => {
      const dir = gitDir();
      const chownAll = (path: string): void => {
        chownSync(path, 65534, 65534);
        if (statSync(path).isDirectory())
          for (const e of readdirSync(path)) chownAll(join(path, e));
      };
      chownAll(dir);
      await expect(createGit(dir, { env: ISOLATED })).rejects.toMatchObject({
        kind: 'dubious-ownership',
        message: expect.stringContaining('detected dubious ownership') as unknown,
        hint: expect.stringContaining(`safe.directory ${dir}`) as unknown,
      });
    },
  );

  it('an unknown revision names the revision; other failures keep git’s line', async () => {
    const repo = await createGit(gitDir());
    await expect(repo.resolveRev('no-such-branch')).rejects.toMatchObject({
      kind: 'unknown-revision',
      message: 'unknown git revision "no-such-branch"',
    });
    const failure = await repo.mergeBase('HEAD', 'deadbeef'.repeat(5)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitError);
    expect((failure as GitError).message).toMatch(/^git merge-base failed: .+/);
  });
});

describe('reading commands never write to .git', () => {
  it('leaves .git/index untouched through check, even when status would refresh it', async () => {
    const dir = gitDir();
    commitFiles(
      dir,
      { 'mlops.yaml': MINIMAL.replace('NAME', 'm'), 'docs/a.md': 'a\n', 'docs/b.md': 'b\n' },
      'm',
    );
    // stat data that no longer matches the index: a plain `git status` would rewrite it
    const past = new Date(Date.now() - 3_600_000);
    for (const f of ['mlops.yaml', 'docs/a.md', 'docs/b.md']) utimesSync(join(dir, f), past, past);
    const index = join(dir, '.git', 'index');
    const before = statSync(index);
    const r = await runCli(['check', '--today', '2026-11-27'], dir);
    expect(r.stderr).toBe('');
    await runCli(['diff', 'HEAD'], dir);
    const after = statSync(index);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([
      before.ino,
      before.mtimeMs,
      before.size,
    ]);
    // the same status with optional locks on does rewrite it: the test can tell
    git(dir, ['status', '--porcelain']);
    expect(statSync(index).mtimeMs).not.toBe(before.mtimeMs);
  });
});

describe('pathspecs are literal', () => {
  it('a folder named with * or [ ] finds its own manifests only', async () => {
    const dir = gitDir();
    const files = {
      'a*/mlops.yaml': MINIMAL.replace('NAME', 'star'),
      'ab/mlops.yaml': MINIMAL.replace('NAME', 'ab'),
      '[x]/mlops.yaml': MINIMAL.replace('NAME', 'bracket'),
      'x/mlops.yaml': MINIMAL.replace('NAME', 'x'),
      'q?/mlops.yaml': MINIMAL.replace('NAME', 'question'),
      'qq/mlops.yaml': MINIMAL.replace('NAME', 'qq'),
    };
    commitFiles(dir, files, 'odd names');
    const found = async (path: string): Promise<string[]> =>
      (await discoverManifests([path], dir)).files.map((f) => relative(dir, f));
    expect(await found('a*')).toEqual(['a*/mlops.yaml']);
    expect(await found('[x]')).toEqual(['[x]/mlops.yaml']);
    expect(await found('q?')).toEqual(['q?/mlops.yaml']);
    expect((await found('.')).sort()).toEqual(Object.keys(files).sort());
    writeFiles(dir, { 'a*/b/mlops.yaml': MINIMAL.replace('NAME', 'untracked') });
    expect(await found('a*')).toEqual(['a*/b/mlops.yaml', 'a*/mlops.yaml']);
  });

  it('evidence history reads the path as written, globs and line breaks included', async () => {
    const dir = gitDir();
    commitFiles(dir, { 'r/ab.json': '{"v":0}' }, 'ab', '2026-09-01T10:00:00Z');
    commitFiles(
      dir,
      { 'r/a*.json': '{"v":1}', 'r/line\nbreak.json': '{"v":2}', 'r/return\r': '{}' },
      'odd',
      '2026-10-01T10:00:00Z',
    );
    const h = await readEvidenceHistory(
      await createGit(dir),
      ['r/a*.json', 'r/return\r'],
      [{ path: 'r/line\nbreak.json', count: 1 }],
    );
    expect(Object.fromEntries(h.lastCommitDates)).toEqual({
      'r/a*.json': '2026-10-01',
      'r/return\r': '2026-10-01',
      'r/line\nbreak.json': '2026-10-01',
    });
    expect(h.committedVersions.get('r/line\nbreak.json')?.map((v) => v.text)).toEqual(['{"v":2}']);
  });
});

describe('names as git writes them', () => {
  it('tells the top folder from the git directory when either has a line break', () => {
    expect(parseRepository('/r\n/r/.git\nfalse\n')).toEqual({
      root: '/r',
      gitDir: '/r/.git',
      shallow: false,
    });
    expect(parseRepository('/a\nb/r\n/a\nb/r/.git\ntrue\n')).toEqual({
      root: '/a\nb/r',
      gitDir: '/a\nb/r/.git',
      shallow: true,
    });
    // a git directory elsewhere (a worktree's, a submodule's): the two folders that exist
    const parent = tempDir();
    const root = join(parent, 'work\ntree');
    const gitDirectory = join(parent, 'repo\n.git');
    writeFiles(parent, { 'work\ntree/x': '', 'repo\n.git/x': '' });
    expect(parseRepository(`${root}\n${gitDirectory}\nfalse\n`)).toEqual({
      root,
      gitDir: gitDirectory,
      shallow: false,
    });
  });

  it('reads NUL-separated paths as bytes; a name that is not UTF-8 is an error naming it', () => {
    const z = (...parts: (string | Buffer)[]): Buffer =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    expect(pathsFromZ(z('a\nb/mlops.yaml\0', 'é\t"q"/x\0'))).toEqual([
      'a\nb/mlops.yaml',
      'é\t"q"/x',
    ]);
    const bad = z('ok/bad', Buffer.from([0xff, 0xc3]), 'é/mlops.yaml');
    expect(showBytes(bad)).toBe('ok/bad\\xff\\xc3é/mlops.yaml');
    expect(() => pathsFromZ(z('fine\0', bad, '\0'))).toThrow(
      'ok/bad\\xff\\xc3é/mlops.yaml: the file name is not valid UTF-8',
    );
  });
});
