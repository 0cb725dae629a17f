import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, gitDir } from '../helpers/gitdir.js';

const spawned = vi.hoisted(() => [] as string[][]);
const environments = vi.hoisted(() => [] as Record<string, string | undefined>[]);
vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  return {
    ...original,
    spawn: ((command: string, args: string[], options: { env?: Record<string, string> }) => {
      spawned.push([command, ...args]);
      environments.push(options.env ?? {});
      return original.spawn(command, args, options);
    }) as typeof original.spawn,
  };
});

/** git's subcommand, past its own options (`-c name=value` included). */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return '';
}

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;

/** A repository with `count` copies of the complete fixture, each under its own name. */
function repoWith(count: number): string {
  const dir = gitDir();
  for (let i = 0; i < count; i++) {
    const to = join(dir, `models/m${i}`);
    cpSync(FIXTURE, to, { recursive: true });
    const manifest = join(to, 'mlops.yaml');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('name: lead-scoring', `name: model-${i}`),
    );
  }
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'models'], {
    GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
  });
  return dir;
}

async function gitProcesses(dir: string, args: string[]): Promise<string[]> {
  spawned.length = 0;
  environments.length = 0;
  const r = await runCli(args, dir);
  expect(r.stderr).toBe('');
  expect(spawned.every((s) => s[0] === 'git')).toBe(true);
  // every git process of a reading command runs without optional locks, file names unquoted
  expect(environments.map((e) => e.GIT_OPTIONAL_LOCKS)).toEqual(spawned.map(() => '0'));
  expect(spawned.every((s) => s[1] === '-c' && s[2] === 'core.quotePath=false')).toBe(true);
  return spawned.map((s) => labelled(s.slice(1))).sort();
}

/** The subcommand, `log -G` for the log that finds the commits adding each approval's id line. */
function labelled(args: readonly string[]): string {
  const name = subcommand(args);
  return name === 'log' && args.some((a) => a.startsWith('-G')) ? 'log -G' : name;
}

describe('a fixed number of git processes, however many manifests', () => {
  it('check: the same few whether there is one manifest or eight', async () => {
    const args = ['check', '--today', '2026-11-27', '--format', 'json'];
    const one = await gitProcesses(repoWith(1), args);
    const eight = await gitProcesses(repoWith(8), args);
    expect(eight).toEqual(one);
    // the approvals of the fixture are committed as they are, by their approver: one log -G and
    // the cat-file of the versions it names, no second log reading every version
    expect(one).toEqual([
      'cat-file',
      'cat-file',
      'log',
      'log -G',
      'ls-files',
      'ls-files',
      'rev-parse',
      'status',
    ]);
  }, 60_000);

  it('validate: one ls-files and the rev-parse that opens the repository', async () => {
    const args = ['validate', '--no-cache', '--format', 'json'];
    expect(await gitProcesses(repoWith(1), args)).toEqual(['ls-files', 'rev-parse']);
    expect(await gitProcesses(repoWith(8), args)).toEqual(['ls-files', 'rev-parse']);
  }, 60_000);

  it('diff: the same few whether one manifest changed or eight', async () => {
    const count = async (n: number): Promise<string[]> => {
      const dir = repoWith(8);
      for (let i = 0; i < n; i++) {
        const manifest = join(dir, `models/m${i}/mlops.yaml`);
        writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('min: 0.7', 'min: 0.6'));
      }
      git(dir, ['commit', '-q', '-am', 'loosen']);
      return gitProcesses(dir, ['diff', 'HEAD~1', 'HEAD', '--format', 'json']);
    };
    const one = await count(1);
    expect(await count(8)).toEqual(one);
    // who signed at the head, for the acknowledgement: one log -G and one cat-file more
    expect(one).toEqual([
      'cat-file',
      'cat-file',
      'log -G',
      'ls-tree',
      'ls-tree',
      'rev-parse',
      'rev-parse',
      'rev-parse',
    ]);
  }, 60_000);
});
