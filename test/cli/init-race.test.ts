import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { gitDir } from '../helpers/gitdir.js';

// Another process creates mlops.yaml between the check and the write.
vi.mock('../../src/io/write.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/io/write.js')>();
  return {
    ...real,
    writeFileAtomic: () => {
      throw Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' });
    },
  };
});

describe('mlops init losing a race for the file', () => {
  it('says the file exists and removes the folders it created', async () => {
    const repo = gitDir();
    const r = await runCli(['init', 'a/b', '--owner', 'Ada'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a/b/mlops.yaml already exists; it was left unchanged');
    expect(r.stderr).toContain('hint: pass --force to overwrite it');
    expect(existsSync(join(repo, 'a'))).toBe(false);
    expect(readdirSync(repo)).toEqual(['.git']);
  });
});
