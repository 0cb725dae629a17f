import { spawn } from 'node:child_process';
import type { CommittedVersion, WorkingState } from '../core/check.js';
import { GitError } from '../errors.js';
import type { Git } from './git.js';

/** What the index and working tree say about tracked files. */
export interface TrackedState {
  /** Every path in the index. */
  tracked: Set<string>;
  /** Tracked paths whose working tree or index differs from HEAD. */
  workingState: Map<string, WorkingState>;
}

/** Commit history of evidence paths. */
export interface EvidenceHistory {
  lastCommitDates: Map<string, string>;
  committedVersions: Map<string, CommittedVersion[]>;
}

function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

/** The status letters of `git status --porcelain=v1` reduced to what evidence findings need. */
export function workingStateOf(x: string, y: string): WorkingState | undefined {
  if (x === '?' || x === '!') return undefined;
  if (x === 'D' || y === 'D') return 'deleted';
  if (y !== ' ' || x === 'U') return 'modified';
  if (x !== ' ') return 'staged';
  return undefined;
}

/**
 * Two git processes whatever the number of manifests: one `ls-files` for the index, one
 * `status` (tracked files only: untracked evidence is told apart from missing evidence by the
 * file system) for uncommitted changes.
 */
export async function readTrackedState(git: Git): Promise<TrackedState> {
  const [listed, status] = await Promise.all([
    git.raw(['ls-files', '-z', '--cached']),
    git.raw([
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=no',
      '--no-renames',
      '--ignore-submodules=all',
    ]),
  ]);
  const workingState = new Map<string, WorkingState>();
  for (const entry of splitZ(status)) {
    if (entry.length < 4) continue;
    const state = workingStateOf(entry[0]!, entry[1]!);
    if (state) workingState.set(entry.slice(3), state);
  }
  return { tracked: new Set(splitZ(listed)), workingState };
}

/** Runs git in `root` with optional standard input; stdout as a Buffer; failures become GitError. */
export function runGit(root: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: root,
      env: { ...process.env, GIT_LITERAL_PATHSPECS: '1', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (cause) =>
      reject(
        new GitError(`cannot run git: ${cause.message}`, {
          cause,
          hint: 'install git and make sure it is on PATH',
        }),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const message = Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? '';
        reject(new GitError(`git ${args[0] ?? ''} failed: ${message}`));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Parses `git log --format=%x1e%H%x1f%cs -z --name-only` into commits, newest first. */
export function parseLog(out: string): { commit: string; date: string; paths: string[] }[] {
  const commits: { commit: string; date: string; paths: string[] }[] = [];
  for (const record of out.split('\x1e')) {
    if (record === '') continue;
    const headerEnd = record.indexOf('\0');
    const header = headerEnd < 0 ? record : record.slice(0, headerEnd);
    const [commit = '', date = ''] = header.trim().split('\x1f');
    const paths =
      headerEnd < 0
        ? []
        : record
            .slice(headerEnd + 1)
            .split('\0')
            .map((p) => p.replace(/^\n/, ''))
            .filter((p) => p !== '');
    commits.push({ commit, date, paths });
  }
  return commits;
}

/**
 * The history of evidence paths in two git processes, however many there are: one `git log`
 * pass over their commits (pathspecs on standard input, so no command line grows with the
 * repository) for last-commit dates, then one `git cat-file --batch` for the committed versions
 * of the value-tracking reports (`versions`: how many of the newest each needs).
 */
export async function readEvidenceHistory(
  root: string,
  datePaths: readonly string[],
  versions: readonly { path: string; count: number }[],
): Promise<EvidenceHistory> {
  const lastCommitDates = new Map<string, string>();
  const committedVersions = new Map<string, CommittedVersion[]>();
  const wanted = new Set([...datePaths, ...versions.map((v) => v.path)]);
  if (wanted.size === 0) return { lastCommitDates, committedVersions };
  let log: string;
  try {
    log = (
      await runGit(
        root,
        ['log', '--stdin', '--format=%x1e%H%x1f%cs', '-z', '--name-only', '--no-renames'],
        `HEAD\n--\n${[...wanted].join('\n')}\n`,
      )
    ).toString('utf8');
  } catch (error) {
    // A repository without commits has no history: every path is "never committed".
    if (error instanceof GitError && /HEAD|does not have any commits/i.test(error.message))
      return { lastCommitDates, committedVersions };
    throw error;
  }
  const need = new Map(versions.map((v) => [v.path, v.count]));
  const picks: { path: string; commit: string; date: string }[] = [];
  for (const { commit, date, paths } of parseLog(log)) {
    for (const path of paths) {
      if (!wanted.has(path)) continue;
      if (!lastCommitDates.has(path)) lastCommitDates.set(path, date);
      const left = need.get(path) ?? 0;
      if (left > 0) {
        picks.push({ path, commit, date });
        need.set(path, left - 1);
      }
    }
  }
  if (picks.length === 0) return { lastCommitDates, committedVersions };
  const batch = await runGit(
    root,
    ['cat-file', '--batch'],
    picks.map((p) => `${p.commit}:${p.path}\n`).join(''),
  );
  let offset = 0;
  for (const pick of picks) {
    const lineEnd = batch.indexOf(0x0a, offset);
    if (lineEnd < 0) break;
    const header = batch.subarray(offset, lineEnd).toString('utf8');
    offset = lineEnd + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    const version: CommittedVersion = { commit: pick.commit, date: pick.date };
    if (m) {
      const size = Number(m[2]);
      if (m[1] === 'blob') version.text = batch.subarray(offset, offset + size).toString('utf8');
      offset += size + 1;
    }
    const list = committedVersions.get(pick.path) ?? [];
    list.push(version);
    committedVersions.set(pick.path, list);
  }
  return { lastCommitDates, committedVersions };
}
