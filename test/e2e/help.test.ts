import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

const EXAMPLES = new URL('../../examples/', import.meta.url);

/**
 * Typed in a shell: the `mlops` first on the PATH is the built CLI (a link to it, as a global
 * install makes), and npx is not involved; help then spells commands `mlops ...`.
 */
const SHELL_BIN = mkdtempSync(join(tmpdir(), 'mlops-bin-'));
symlinkSync(BIN, join(SHELL_BIN, 'mlops'));
afterAll(() => rmSync(SHELL_BIN, { recursive: true, force: true }));
const SHELL = {
  PATH: `${SHELL_BIN}${delimiter}${process.env.PATH ?? ''}`,
  npm_command: '',
  npm_lifecycle_event: '',
};
/** Run through npx: help spells commands `npx mlops ...`. */
const NPX = { npm_command: 'exec' };

/** The lines of the block that starts with a line beginning `heading`, up to a blank line. */
function block(help: string, heading: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The examples of a help text, as shell command lines (a line ending in ` \` continues). */
function examples(help: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const line of block(help, 'Examples')) {
    const text = line.replace(/^ {2}/, '');
    if (text.endsWith(' \\')) pending += text.slice(0, -1);
    else {
      out.push(`${pending}${text}`);
      pending = '';
    }
  }
  return out;
}

/** The commands `mlops --help` lists, but `help`. */
function commands(): string[] {
  const help = runBin(['--help'], tmpdir(), SHELL).stdout;
  return block(help, 'Commands:')
    .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined && c !== 'help');
}

/**
 * A repository on main with the bundled examples committed as models/churn and
 * models/forecast, with a home and a cache of its own, and mlops on the PATH.
 */
function sandbox(): { dir: string; env: Record<string, string> } {
  const dir = gitDir();
  cpSync(new URL('churn', EXAMPLES), join(dir, 'models/churn'), { recursive: true });
  cpSync(new URL('forecast', EXAMPLES), join(dir, 'models/forecast'), { recursive: true });
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'models']);
  const home = tempDir('mlops-home-');
  mkdirSync(join(home, '.config/fish/completions'), { recursive: true });
  return {
    dir,
    env: {
      ...SHELL,
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      NO_COLOR: '1',
    },
  };
}

const HELPS = [[], ...commands().map((c) => [c])];
/** `mlops` as a command word: at the start, after a space or in `<(...)`. */
const MLOPS = /(^|[\s(])mlops (?=\S)/;

describe.each(HELPS.map((argv) => [argv.join(' ') || '(none)', argv] as const))(
  'mlops %s --help',
  (_, argv) => {
    const help = runBin([...argv, '--help'], tmpdir(), SHELL);

    it('fits 80 columns, and ends with two or three examples and the exit codes', () => {
      expect(help.code).toBe(0);
      const npx = runBin([...argv, '--help'], tmpdir(), NPX);
      expect(npx.code).toBe(0);
      for (const line of [...help.stdout.split('\n'), ...npx.stdout.split('\n')])
        expect(line.length, line).toBeLessThanOrEqual(80);
      const shown = examples(help.stdout);
      expect(shown.length).toBeGreaterThanOrEqual(2);
      expect(shown.length).toBeLessThanOrEqual(3);
      // each example runs mlops, spelt as the user runs it
      for (const e of shown) expect(e).toMatch(MLOPS);
      const viaNpx = examples(npx.stdout);
      for (const e of viaNpx) expect(e).toContain('npx mlops ');
      expect(viaNpx.map((e) => e.replace(/npx mlops /g, 'mlops ').replace(/ +#.*/, ''))).toEqual(
        shown.map((e) => e.replace(/ +#.*/, '')),
      );
      const codes = block(help.stdout, 'Exit codes:')
        .map((l) => /^ {2}(\d+) {2}\S/.exec(l)?.[1])
        .filter((c) => c !== undefined);
      expect(codes[0]).toBe('0');
      expect(codes).toContain('2');
      for (const c of codes) expect(['0', '1', '2']).toContain(c);
      if (argv.length === 0) {
        expect(codes).toEqual(['0', '1', '2']);
        expect(help.stdout).toContain('Run `mlops <command> --help`');
        expect(npx.stdout).toContain('Run `npx mlops <command> --help`');
      }
    });

    it('every example runs as shown, in a repository with the examples', () => {
      for (const line of examples(help.stdout)) {
        const { dir, env } = sandbox();
        const r = spawnSync('sh', ['-c', line], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, FORCE_COLOR: '', ...env },
          input: '',
          timeout: 60_000,
        });
        // 0 or 1 (it ran, and found something, or nothing); never 2 (it could not run)
        expect([0, 1], `${line}\n${r.stderr}`).toContain(r.status);
        expect(r.stderr, line).not.toMatch(/unknown option|error: /);
      }
    }, 120_000);
  },
);

it('lists every command', () => {
  expect(commands()).toEqual([
    'init',
    'validate',
    'check',
    'approve',
    'diff',
    'report',
    'migrate',
    'export',
    'schema',
    'explain',
    'completion',
  ]);
});
