import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvidenceFiles } from '../../src/io/evidence.js';
import { createGit } from '../../src/io/git.js';
import { readEvidenceHistory, readTrackedState } from '../../src/io/git-state.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

describe('readTrackedState', () => {
  it('lists the index and tells modified, staged and deleted files apart', async () => {
    const dir = gitDir();
    commitFiles(dir, { 'a.json': '1', 'b.json': '1', 'c.json': '1', 'd.json': '1' }, 'add');
    writeFiles(dir, { 'a.json': '2', 'new.json': 'x', 'staged.json': 's' });
    writeFiles(dir, { 'b.json': '2' });
    git(dir, ['add', 'b.json', 'staged.json']);
    rmSync(join(dir, 'c.json'));
    const state = await readTrackedState(await createGit(dir));
    expect([...state.tracked].sort()).toEqual([
      'a.json',
      'b.json',
      'c.json',
      'd.json',
      'staged.json',
    ]);
    expect(Object.fromEntries(state.workingState)).toEqual({
      'a.json': 'modified',
      'b.json': 'staged',
      'c.json': 'deleted',
      'staged.json': 'staged',
    });
  });
});

describe('readEvidenceHistory', () => {
  it('gives last-commit dates and the newest committed versions in one pass', async () => {
    const dir = gitDir();
    commitFiles(
      dir,
      { 'r/value.json': '{"v":1}', 'r/drift.json': '{}' },
      'one',
      '2026-09-01T10:00:00Z',
    );
    commitFiles(dir, { 'r/value.json': '{"v":2}' }, 'two', '2026-10-01T10:00:00Z');
    commitFiles(dir, { 'other.txt': 'x' }, 'unrelated', '2026-10-15T10:00:00Z');
    commitFiles(dir, { 'r/value.json': '{"v":3}' }, 'three', '2026-11-01T10:00:00Z');
    writeFiles(dir, { 'r/value.json': '{"v":"uncommitted"}' });
    const h = await readEvidenceHistory(
      await createGit(dir),
      ['r/drift.json', 'r/never.json'],
      [{ path: 'r/value.json', count: 2 }],
    );
    expect(Object.fromEntries(h.lastCommitDates)).toEqual({
      'r/value.json': '2026-11-01',
      'r/drift.json': '2026-09-01',
    });
    expect(h.committedVersions.get('r/value.json')?.map((v) => [v.date, v.text])).toEqual([
      ['2026-11-01', '{"v":3}'],
      ['2026-10-01', '{"v":2}'],
    ]);
  });

  it('treats a repository without commits as having no history', async () => {
    const dir = tempDir();
    git(dir, ['init', '-q', '-b', 'main']);
    const h = await readEvidenceHistory(
      await createGit(dir),
      ['x.json'],
      [{ path: 'x.json', count: 1 }],
    );
    expect(h.lastCommitDates.size + h.committedVersions.size).toBe(0);
  });
});

describe('readEvidenceFiles', () => {
  it('reads and hashes files inside, and never follows a symlink out of the repository', () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.json'), '{"secret":1}');
    const dir = gitDir();
    writeFiles(dir, { 'r/ok.json': '{"a":1}' });
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(outside, 'secret.json'), join(dir, 'r/link.json'));
    symlinkSync(outside, join(dir, 'out'));
    symlinkSync('ok.json', join(dir, 'r/inside-link.json'));
    const files = readEvidenceFiles(dir, [
      { path: 'r/ok.json', text: true, sha256: true },
      { path: 'r/link.json', text: true, sha256: true },
      { path: 'out/secret.json', text: true, sha256: false },
      { path: 'r/inside-link.json', text: true, sha256: false },
      { path: 'r/none.json', text: true, sha256: false },
      { path: 'folder', text: false, sha256: false },
      { path: '../x.json', text: true, sha256: false },
    ]);
    // the kind of each; the details that come with a kind are the evidence reader's own
    expect(Object.keys(Object.fromEntries(files)).sort()).toEqual(
      [
        'r/ok.json',
        'r/link.json',
        'out/secret.json',
        'r/inside-link.json',
        'r/none.json',
        'folder',
        '../x.json',
      ].sort(),
    );
    expect(Object.fromEntries(files)).toMatchObject({
      'r/ok.json': {
        kind: 'file',
        text: '{"a":1}',
        sha256: '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
      },
      'r/link.json': { kind: 'outside' },
      'out/secret.json': { kind: 'outside' },
      'r/inside-link.json': { kind: 'file', text: '{"a":1}' },
      'r/none.json': { kind: 'missing' },
      folder: { kind: 'not_a_file' },
      '../x.json': { kind: 'outside' },
    });
  });
});
