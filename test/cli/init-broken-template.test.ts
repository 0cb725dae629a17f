import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { gitDir } from '../helpers/gitdir.js';

// A shipped template whose guardrail bounds are inverted once filled in: a bug in mlops.
vi.mock('../../src/io/templates.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/io/templates.js')>();
  return {
    ...real,
    readTemplate: (name: string) =>
      real
        .readTemplate(name)
        .replace(
          'metric: disparate_impact_ratio\n          min: 0.8',
          'metric: disparate_impact_ratio\n          min: 0.8\n          max: 0.5',
        ),
  };
});

describe('mlops init with a template that does not validate', () => {
  it('writes nothing and reports a bug', async () => {
    const repo = gitDir();
    const r = await runCli(['init', 'models/scorer', '--owner', 'Ada'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mlops: internal error');
    expect(r.stderr).toMatch(
      /template "default" does not validate \(1 error; first, line \d+: BOUNDS_INVERTED/,
    );
    expect(r.stderr).toContain('please report it');
    expect(existsSync(join(repo, 'models'))).toBe(false);
    expect(readdirSync(repo)).toEqual(['.git']);
  });
});
