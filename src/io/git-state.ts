import type { CommittedVersion, WorkingState } from '../core/check/index.js';
import { GitError } from '../errors.js';
import { catFileBatch } from './git-batch.js';
import { runGitText, splitZ } from './git.js';
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
    runGitText(git, ['ls-files', '-z', '--cached']),
    runGitText(git, [
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

/** A commit of `parseLog`'s output: the blob each listed path has after it (undefined: deleted). */
export interface LoggedCommit {
  commit: string;
  date: string;
  files: { path: string; oid: string | undefined }[];
}

const NO_OBJECT = /^0+$/;

/**
 * Parses `git log --format=%x1e%H%x1f%cs -z --raw --no-abbrev` into commits, newest first.
 * Every record after the header is `:<modes> <old> <new> <status>` NUL `<path>` NUL.
 */
export function parseLog(out: string): LoggedCommit[] {
  const commits: LoggedCommit[] = [];
  for (const record of out.split('\x1e')) {
    if (record === '') continue;
    const fields = record.split('\0');
    const [commit = '', date = ''] = (fields[0] ?? '').trim().split('\x1f');
    const files: LoggedCommit['files'] = [];
    for (let i = 1; i + 1 < fields.length; i += 2) {
      const raw = fields[i]!.replace(/^\n/, '');
      if (!raw.startsWith(':')) break;
      const oid = raw.split(' ')[3];
      files.push({
        path: fields[i + 1]!,
        oid: oid === undefined || NO_OBJECT.test(oid) ? undefined : oid,
      });
    }
    commits.push({ commit, date, files });
  }
  return commits;
}

/**
 * The history of evidence paths in two git processes, however many there are: one `git log`
 * pass over their commits (pathspecs on standard input, so no command line grows with the
 * repository; all literal) for last-commit dates and the blob of each version, then one
 * `git cat-file --batch` for the committed versions of the value-tracking reports (`versions`:
 * how many of the newest each needs).
 */
export async function readEvidenceHistory(
  git: Git,
  datePaths: readonly string[],
  versions: readonly { path: string; count: number }[],
): Promise<EvidenceHistory> {
  const lastCommitDates = new Map<string, string>();
  const committedVersions = new Map<string, CommittedVersion[]>();
  const wanted = new Set([...datePaths, ...versions.map((v) => v.path)]);
  if (wanted.size === 0) return { lastCommitDates, committedVersions };
  // --stdin takes one path a line (a carriage return before the line feed is dropped): the
  // rare path with a line break or a carriage return goes on the command line
  const onArgv = [...wanted].filter((p) => /[\r\n]/.test(p));
  const onStdin = [...wanted].filter((p) => !/[\r\n]/.test(p));
  let log: string;
  try {
    log = await runGitText(
      git,
      [
        '--literal-pathspecs',
        'log',
        '--stdin',
        '--format=%x1e%H%x1f%cs',
        '-z',
        '--raw',
        '--no-abbrev',
        '--no-renames',
        '--no-show-signature',
        '--',
        ...onArgv,
      ],
      { input: `HEAD\n--\n${onStdin.map((p) => `${p}\n`).join('')}` },
    );
  } catch (error) {
    // a repository without commits has no history: every path is "never committed"
    if (error instanceof GitError && /HEAD|does not have any commits/i.test(error.gitMessage ?? ''))
      return { lastCommitDates, committedVersions };
    throw error;
  }
  const need = new Map(versions.map((v) => [v.path, v.count]));
  const picks: { path: string; version: CommittedVersion; oid: string | undefined }[] = [];
  for (const { commit, date, files } of parseLog(log)) {
    for (const { path, oid } of files) {
      if (!wanted.has(path)) continue;
      if (!lastCommitDates.has(path)) lastCommitDates.set(path, date);
      const left = need.get(path) ?? 0;
      if (left > 0) {
        picks.push({ path, version: { commit, date }, oid });
        need.set(path, left - 1);
      }
    }
  }
  const oids = [...new Set(picks.flatMap((p) => (p.oid === undefined ? [] : [p.oid])))];
  const objects = await catFileBatch(git, oids);
  const blobs = new Map(oids.map((oid, i) => [oid, objects[i]!]));
  for (const { path, version, oid } of picks) {
    const object = oid === undefined ? undefined : blobs.get(oid);
    if (object?.type === 'blob' && object.content) version.text = object.content.toString('utf8');
    const list = committedVersions.get(path) ?? [];
    list.push(version);
    committedVersions.set(path, list);
  }
  return { lastCommitDates, committedVersions };
}

/**
 * Where each approval of `wanted` was first committed: for every manifest path, the digests of
 * its approvals to look for (`sha256:…` as written), each mapped to the short hash of the oldest
 * commit whose version of the manifest holds it, or null when no commit of the manifest's
 * history does (the approval is not committed yet). A digest is left out when that cannot be
 * told: in a shallow clone the commit may lie beyond the history fetched, and a path with a
 * line break cannot be named to `cat-file --batch`.
 *
 * Two git processes for every manifest together: one `git log -G` over the manifests' history
 * for the commits that added or removed one of the digests, then one `git cat-file --batch`
 * for those versions of the manifests.
 */
export async function readApprovalCommits(
  git: Git,
  wanted: readonly { path: string; digests: readonly string[] }[],
): Promise<Map<string, Map<string, string | null>>> {
  const out = new Map<string, Map<string, string | null>>();
  const asked = wanted.filter((w) => w.digests.length > 0 && !/[\r\n]/.test(w.path));
  if (asked.length === 0) return out;
  const hexOf = (digest: string): string => digest.replace(/^sha256:/i, '').toLowerCase();
  const digestsOf = new Map<string, string[]>();
  for (const w of asked) digestsOf.set(w.path, [...(digestsOf.get(w.path) ?? []), ...w.digests]);
  const hexes = [...new Set(asked.flatMap((w) => w.digests.map(hexOf)))].filter((h) =>
    /^[0-9a-f]{16,}$/.test(h),
  );
  const found = new Map<string, Map<string, string>>();
  if (hexes.length > 0) {
    // the first 16 hex digits of each digest tell the commits apart; past a few thousand, the
    // pattern would outgrow one argument, and any digest will do
    const pattern =
      hexes.length <= 2000 ? hexes.map((h) => h.slice(0, 16)).join('|') : '[0-9a-f]{64}';
    let log = '';
    try {
      log = await runGitText(
        git,
        [
          '--literal-pathspecs',
          'log',
          '--stdin',
          '-E',
          `-G${pattern}`,
          '--format=%x1e%H%x1f%h',
          '-z',
          '--name-only',
          '--no-renames',
          '--no-show-signature',
          '--',
        ],
        { input: `HEAD\n--\n${[...digestsOf.keys()].map((p) => `${p}\n`).join('')}` },
      );
    } catch (error) {
      // a repository without commits: no approval is committed
      if (
        !(error instanceof GitError) ||
        !/HEAD|does not have any commits/i.test(error.gitMessage ?? '')
      )
        throw error;
    }
    // each record: `<hash> US <short hash>` NUL, then the paths it touched, each NUL-terminated
    const picks: { path: string; commit: string; short: string }[] = [];
    for (const record of log.split('\x1e')) {
      const [head = '', ...paths] = record.split('\0');
      const [commit = '', short = ''] = head.trim().split('\x1f');
      for (const raw of paths) {
        const path = raw.replace(/^\n/, '');
        if (commit !== '' && digestsOf.has(path)) picks.push({ path, commit, short });
      }
    }
    const objects = await catFileBatch(
      git,
      picks.map((p) => `${p.commit}:${p.path}`),
    );
    // newest first: the last version that holds a digest is the oldest
    picks.forEach(({ path, short }, i) => {
      const text = objects[i]?.content?.toString('utf8') ?? '';
      const digests = found.get(path) ?? new Map<string, string>();
      for (const d of digestsOf.get(path) ?? []) if (text.includes(hexOf(d))) digests.set(d, short);
      found.set(path, digests);
    });
  }
  for (const [path, digests] of digestsOf) {
    const commits = new Map<string, string | null>();
    for (const d of digests) {
      const commit = found.get(path)?.get(d);
      if (commit !== undefined) commits.set(d, commit);
      else if (!git.shallow) commits.set(d, null);
    }
    out.set(path, commits);
  }
  return out;
}
