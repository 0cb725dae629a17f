import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GitError } from '../../src/errors.js';
import { listTreeAt, readBlobs } from '../../src/io/git-batch.js';
import { createGit } from '../../src/io/git.js';
import { commitFiles, git, gitDir } from '../helpers/gitdir.js';

const spawned = vi.hoisted(() => [] as string[][]);
vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  return {
    ...original,
    spawn: ((command: string, args: string[], options: object) => {
      spawned.push([command, ...args]);
      return original.spawn(command, args, options);
    }) as typeof original.spawn,
  };
});

describe('readBlobs', () => {
  it('reads many blobs through one git cat-file --batch process', async () => {
    const dir = gitDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++)
      files[`models/m${i}/mlops.yaml`] = `metadata:\n  name: model-${i}\n`;
    files['models/m0/mlops.yaml'] = 'name: ünïcödé ✓\n\n\ttabs and a trailing newline\n';
    files['empty/mlops.yaml'] = '';
    const commit = commitFiles(dir, files, 'many manifests');
    const repo = await createGit(dir);
    const tree = await listTreeAt(repo, commit, (p) => p.endsWith('/mlops.yaml'));
    expect(tree.map((e) => e.path).sort()).toEqual(Object.keys(files).sort());

    spawned.length = 0;
    const blobs = await readBlobs(
      repo,
      tree.map((e) => e.oid),
    );
    expect(spawned).toEqual([['git', '-c', 'core.quotePath=false', 'cat-file', '--batch']]);
    for (const e of tree) expect(blobs.get(e.oid)).toBe(files[e.path]);
  });

  it('starts no process for an empty list', async () => {
    const repo = await createGit(gitDir());
    spawned.length = 0;
    expect((await readBlobs(repo, [])).size).toBe(0);
    expect(spawned).toEqual([]);
  });

  it('an object that does not exist is a GitError', async () => {
    const repo = await createGit(gitDir());
    const missing = 'deadbeef'.repeat(5);
    await expect(readBlobs(repo, [missing])).rejects.toBeInstanceOf(GitError);
    await expect(readBlobs(repo, [missing])).rejects.toThrow(/is missing/);
  });
});

describe('listTreeAt', () => {
  it('lists regular files at a commit, not symlinks, and not the working tree', async () => {
    const dir = gitDir();
    commitFiles(dir, { 'a/mlops.yaml': 'a\n' }, 'a');
    symlinkSync('a/mlops.yaml', join(dir, 'mlops.yaml'));
    git(dir, ['add', 'mlops.yaml']);
    git(dir, ['commit', '-q', '-m', 'link']);
    commitFiles(dir, { 'b/mlops.yaml': 'b\n' }, 'b');
    const repo = await createGit(dir);
    const paths = async (rev: string): Promise<string[]> =>
      (await listTreeAt(repo, await repo.resolveRev(rev))).map((e) => e.path);
    expect(await paths('HEAD')).toEqual(['a/mlops.yaml', 'b/mlops.yaml']);
    expect(await paths('HEAD~1')).toEqual(['a/mlops.yaml']);
  });
});
