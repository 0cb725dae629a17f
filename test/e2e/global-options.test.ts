import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const EXAMPLES = new URL('../../examples/', import.meta.url);
const ANSI = /\x1b\[/;

/** A repository on main with the bundled examples committed as models/churn and models/forecast. */
function examplesRepo(): string {
  const dir = gitDir();
  cpSync(new URL('churn', EXAMPLES), join(dir, 'models/churn'), { recursive: true });
  cpSync(new URL('forecast', EXAMPLES), join(dir, 'models/forecast'), { recursive: true });
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'models']);
  return dir;
}

/** The built CLI run twice, the global option before and after the command: one outcome. */
function bothWays(
  option: string,
  command: string[],
  cwd: string,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const before = runBin([option, ...command], cwd, env);
  // what the first run wrote (an approval) is undone, so the second run meets the same files
  git(cwd, ['checkout', '--', '.']);
  const after = runBin([...command, option], cwd, env);
  expect(before.stderr).not.toContain('unknown option');
  expect(after).toEqual(before);
  return before;
}

const CACHE = (): Record<string, string> => ({ XDG_CACHE_HOME: tempDir() });

describe('global options work before or after the command, with the same effect', () => {
  it('--no-color turns color off, whatever FORCE_COLOR says', () => {
    const dir = examplesRepo();
    const env = { ...CACHE(), NO_COLOR: '', FORCE_COLOR: '1' };
    const colored = runBin(['check', '--today', '2026-11-27'], dir, env);
    expect(colored.stdout).toMatch(ANSI);
    const r = bothWays('--no-color', ['check', '--today', '2026-11-27'], dir, env);
    expect(r.code).toBe(colored.code);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toContain('store-demand-forecast');
  }, 60_000);

  it('--color turns color on, even with NO_COLOR and no terminal', () => {
    const dir = examplesRepo();
    const plain = runBin(['validate', 'models'], dir, CACHE());
    expect(plain.stdout).not.toMatch(ANSI);
    const r = bothWays('--color', ['validate', 'models'], dir, CACHE());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(ANSI);
    const diff = bothWays('--color', ['diff', 'main'], dir, CACHE());
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(ANSI);
  }, 60_000);

  it('--verbose adds to check why each failing rule exists', () => {
    const dir = examplesRepo();
    const args = ['check', 'models/forecast', '--phase', 'build', '--today', '2026-11-27'];
    const plain = runBin(args, dir, CACHE());
    expect(plain.stdout).not.toContain('why:');
    const r = bothWays('--verbose', args, dir, CACHE());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ B3 {2}Build guardrails within bounds\n {8}why: /);
  }, 60_000);

  it('--debug prints the stack of an error that stops the command', () => {
    const dir = tempDir();
    const plain = runBin(['validate', 'missing.yaml'], dir, CACHE());
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const before = runBin(['--debug', 'validate', 'missing.yaml'], dir, CACHE());
    const after = runBin(['validate', 'missing.yaml', '--debug'], dir, CACHE());
    for (const r of [before, after]) {
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(plain.stderr.split('\n')[0]);
      expect(r.stderr).toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('every command takes them, on either side', () => {
    const dir = examplesRepo();
    writeFiles(dir, { 'mlops.config.yaml': 'apiVersion: mlops/v1\nkind: Config\n' });
    const runs: [string, string[], number][] = [
      ['--no-color', ['schema', '--config'], 0],
      ['--verbose', ['explain', 'G3'], 0],
      ['--debug', ['init', '--list-templates'], 0],
      ['--color', ['completion', 'bash'], 0],
      ['--no-color', ['approve', 'models/churn/mlops.yaml', '--phase', 'build', '--by', 'cco'], 0],
    ];
    for (const [option, args, code] of runs) {
      const r = bothWays(option, args, dir, CACHE());
      expect(r.code, `${option} ${args.join(' ')}`).toBe(code);
    }
  }, 60_000);
});

describe('the rest of the command line is as it was', () => {
  it('--version and -V print the version, before or after a command; --help exits 0', () => {
    const dir = tempDir();
    const version = runBin(['--version'], dir);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    for (const argv of [['-V'], ['check', '--version'], ['--no-color', '-V']])
      expect(runBin(argv, dir)).toEqual(version);
    const help = runBin(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-color');
    expect(runBin(['check', '--help'], dir).stdout).toMatch(/Global Options:[^]*--verbose/);
  }, 60_000);

  it('usage errors still exit 2: an unknown option, a global one misspelt, a missing command', () => {
    const dir = tempDir();
    for (const argv of [['--colour', 'check'], ['check', '--verbos'], ['--no-color']]) {
      const r = runBin(argv, dir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout, argv.join(' ')).toBe('');
    }
    expect(runBin(['check', '--verbos'], dir).stderr).toContain("unknown option '--verbos'");
  }, 60_000);

  it('after --, a global option is a path, not an option', () => {
    const dir = examplesRepo();
    const r = runBin(['diff', 'main', '--', '--verbose'], dir, CACHE());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--verbose matches no manifest');
  }, 60_000);
});
