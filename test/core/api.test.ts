import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GitError, MlopsError, UsageError, check, diff, validate } from '../../src/api.js';
import type { CheckReport, DiffReport, ValidateReport } from '../../src/api.js';
import { runBin } from '../helpers/bin.js';
import { commitFiles, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/validate/${name}/mlops.yaml`, import.meta.url), 'utf8');

/** What the built CLI prints with `--format json`, read back. */
function cliJson(args: string[], cwd: string): unknown {
  const [command, ...rest] = args;
  const r = runBin([command!, '--format', 'json', ...rest], cwd, ISOLATED_GIT);
  expect(r.stderr).toBe('');
  // the CLI, run as a project's own (bin/mlops.js), spells its hints `npx mlops`; the API, which
  // no shell runs, spells them `mlops`: everything else is the same
  return JSON.parse(r.stdout.replaceAll('`npx mlops ', '`mlops '));
}

// the API prints nothing and never ends the process, whatever it finds
let written: string[] = [];
beforeEach(() => {
  written = [];
  const capture = (chunk: unknown): boolean => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.spyOn(process, 'exit').mockImplementation(() => {
    throw new Error('process.exit called');
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(written).toEqual([]);
});

describe('the programmatic API returns what --format json prints', () => {
  it('validate: the examples, and a folder with findings', async () => {
    const examples: ValidateReport = await validate(['examples'], { cwd: ROOT, cache: false });
    expect(examples).toEqual(cliJson(['validate', 'examples'], ROOT));
    expect(examples.ok).toBe(true);

    const dir = tempDir();
    writeFiles(dir, {
      'models/drift/mlops.yaml': fixture('warning-only'),
      'models/broken/mlops.yaml': fixture('broken'),
    });
    const found = await validate([], { cwd: dir });
    expect(found).toStrictEqual(cliJson(['validate'], dir));
    expect(found.ok).toBe(false);
    expect(found.diagnostics.some((d) => d.severity === 'warning')).toBe(true);
    // --quiet: errors only
    const quiet = await validate([], { cwd: dir, quiet: true });
    expect(quiet).toStrictEqual(cliJson(['validate', '--quiet'], dir));
    expect(quiet.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('validate a text, as `mlops validate - --stdin-filepath`', async () => {
    const dir = tempDir();
    const text = fixture('warning-only');
    const r = await validate([], { cwd: dir, text, filepath: 'models/drift/mlops.yaml' });
    expect(r.files).toEqual(['models/drift/mlops.yaml']);
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['PSI_BINS_MISSING', 'models/drift/mlops.yaml'],
    ]);
    expect((await validate([], { cwd: dir, text })).files).toEqual(['<stdin>']);
  });

  it('check: the examples, on a fixed day, for a phase', async () => {
    const today = '2026-11-27';
    const report: CheckReport = await check(['examples'], { cwd: ROOT, today });
    expect(report).toStrictEqual(cliJson(['check', 'examples', '--today', today], ROOT));
    expect(report.manifests.map((m) => m.name)).toEqual([
      'churn-propensity',
      'store-demand-forecast',
    ]);
    const deploy = await check(['examples'], { cwd: ROOT, today, phase: 'deploy' });
    expect(deploy).toStrictEqual(
      cliJson(['check', 'examples', '--today', today, '--phase', 'deploy'], ROOT),
    );
    expect(deploy.phase).toBe('deploy');
  });

  it('diff: two revisions, the working tree, and two files', async () => {
    const dir = gitDir();
    const base = fixture('warning-only');
    commitFiles(dir, { 'models/drift/mlops.yaml': base }, 'base');
    commitFiles(
      dir,
      { 'models/drift/mlops.yaml': base.replace('max: 0.25', 'max: 0.3') },
      'loosen',
    );
    const env = { ...process.env, ...ISOLATED_GIT };
    const revisions: DiffReport = await diff('HEAD~1', 'HEAD', [], { cwd: dir, env });
    expect(revisions).toStrictEqual(cliJson(['diff', 'HEAD~1', 'HEAD'], dir));
    expect(revisions.changes.map((c) => c.class)).toEqual(['loosened']);
    writeFiles(dir, { 'models/drift/mlops.yaml': base.replace('max: 0.25', 'max: 0.2') });
    expect(await diff('HEAD', undefined, ['models'], { cwd: dir, env })).toStrictEqual(
      cliJson(['diff', 'HEAD', '--', 'models'], dir),
    );
    writeFiles(dir, { 'a.yaml': base, 'b.yaml': base.replace('riskTier: low', 'riskTier: high') });
    expect(await diff('a.yaml', 'b.yaml', [], { cwd: dir })).toStrictEqual(
      cliJson(['diff', 'a.yaml', 'b.yaml'], dir),
    );
  });
});

describe('what would stop the command is thrown, with a hint', () => {
  it('errors are MlopsErrors of the kind the CLI exits 2 with', async () => {
    const dir = tempDir();
    await expect(validate(['-'], { cwd: dir })).rejects.toBeInstanceOf(UsageError);
    await expect(validate([], { cwd: dir, filepath: 'x/mlops.yaml' })).rejects.toBeInstanceOf(
      UsageError,
    );
    const outside = await check([], { cwd: dir, env: { ...process.env, ...ISOLATED_GIT } }).catch(
      (e: unknown) => e,
    );
    expect(outside).toBeInstanceOf(GitError);
    expect((outside as MlopsError).hint).toContain('mlops validate');
    const unknown = await diff('no-such-branch', undefined, [], {
      cwd: gitDir(),
      env: { ...process.env, ...ISOLATED_GIT },
    }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(MlopsError);
    expect((unknown as MlopsError).message).toContain('no-such-branch');
  });
});
