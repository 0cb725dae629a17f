import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, gitDir } from '../helpers/gitdir.js';

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

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const DATE = {
  GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
  GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
};

/** git's subcommand, past its own options (`-c name=value` included). */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return '';
}

/**
 * `count` signed-off models, committed, then each build section reworded in a second commit:
 * every build approval is stale, and was signed in the first commit.
 */
function staleRepo(count: number): { dir: string; signed: string } {
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
  git(dir, ['commit', '-q', '-m', 'models'], DATE);
  const signed = git(dir, ['rev-parse', '--short', 'HEAD']).trim();
  for (let i = 0; i < count; i++) {
    const manifest = join(dir, `models/m${i}/mlops.yaml`);
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace(
        'rationale: Best conversion in the backtest.',
        'rationale: Best conversion in the backtest at a lower cost.',
      ),
    );
  }
  git(dir, ['commit', '-q', '-am', 'reword'], DATE);
  return { dir, signed };
}

async function run(dir: string): Promise<{ stdout: string; git: string[] }> {
  spawned.length = 0;
  const r = await runCli(['check', '--today', '2026-11-27', '--phase', 'build'], dir);
  expect(r.stderr).toBe('');
  return { stdout: r.stdout, git: spawned.map((s) => subcommand(s.slice(1))).sort() };
}

describe('a stale approval names the commit it was signed in', () => {
  it('for every manifest, from two more git processes however many there are', async () => {
    const one = staleRepo(1);
    const eight = staleRepo(8);
    const a = await run(one.dir);
    const b = await run(eight.dir);
    expect(a.stdout).toContain(
      `see what changed since it was approved in commit ${one.signed}: \`mlops diff ${one.signed} -- models/m0/mlops.yaml\``,
    );
    for (let i = 0; i < 8; i++)
      expect(b.stdout).toContain(
        `\`mlops diff ${eight.signed} -- models/m${i}/mlops.yaml\`; then sign it off again and commit it: \`mlops approve models/m${i}/mlops.yaml --phase build --by head-sales\``,
      );
    expect(b.git).toEqual(a.git);
    // the evidence history (log, cat-file) and the approvals' (log -G, cat-file)
    expect(a.git).toEqual([
      'cat-file',
      'cat-file',
      'log',
      'log',
      'ls-files',
      'ls-files',
      'rev-parse',
      'status',
    ]);
  }, 60_000);

  it('who added each approval: one more log whether they are stale or not', async () => {
    const dir = gitDir();
    cpSync(FIXTURE, join(dir, 'models/m0'), { recursive: true });
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'models'], DATE);
    const { git: processes } = await run(dir);
    // the evidence history's, and the approvals' (log -G)
    expect(processes.filter((p) => p === 'log')).toHaveLength(2);
  }, 60_000);

  it('a newer approval not committed yet is reported as such, not the stale one before it', async () => {
    const { dir } = staleRepo(1);
    // the reworded section signed in the working tree only, then reworded again
    const manifest = join(dir, 'models/m0/mlops.yaml');
    const approve = await runCli(
      [
        'approve',
        'models/m0/mlops.yaml',
        '--phase',
        'build',
        '--by',
        'head-sales',
        '--date',
        '2026-11-26',
      ],
      dir,
    );
    expect(approve.code).toBe(0);
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('at a lower cost.', 'at a much lower cost.'),
    );
    const { stdout } = await run(dir);
    expect(stdout).toContain(
      'approval build-head-sales-2026-11-26 is recorded, not committed yet: it does not count until it is',
    );
    expect(stdout).toContain(
      '→ the approver commits it: `git add models/m0/mlops.yaml && git commit -m "Approve build (head-sales, decision_maker)"`',
    );
  }, 60_000);
});
