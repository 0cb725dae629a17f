import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../core/digest.js';
import { readYaml } from '../core/manifest/reader.js';
import type { SignOffCommit } from '../core/approvals.js';
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
  /**
   * Paths whose date or versions come from a shallow clone's graft commit: its date is not
   * when the file last changed, and older versions were not fetched.
   */
  beyondHistory: Set<string>;
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
  const beyondHistory = new Set<string>();
  const wanted = new Set([...datePaths, ...versions.map((v) => v.path)]);
  if (wanted.size === 0) return { lastCommitDates, committedVersions, beyondHistory };
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
      return { lastCommitDates, committedVersions, beyondHistory };
    throw error;
  }
  const need = new Map(versions.map((v) => [v.path, v.count]));
  const picks: { path: string; version: CommittedVersion; oid: string | undefined }[] = [];
  const grafts = graftCommits(git);
  for (const { commit, date, files } of parseLog(log)) {
    for (const { path, oid } of files) {
      if (!wanted.has(path)) continue;
      const left = need.get(path) ?? 0;
      // a graft's date is the clone's boundary, not when the file changed
      if (grafts.has(commit) && (!lastCommitDates.has(path) || left > 0)) beyondHistory.add(path);
      if (!lastCommitDates.has(path)) lastCommitDates.set(path, date);
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
  return { lastCommitDates, committedVersions, beyondHistory };
}

/**
 * The subject line of each commit, from one `git log --no-walk` (commits on standard input).
 * With -z, records end with NUL, which no commit message holds.
 */
export async function readCommitSubjects(
  git: Git,
  commits: readonly string[],
): Promise<Map<string, string>> {
  const subjects = new Map<string, string>();
  const wanted = [...new Set(commits)].filter((c) => /^[0-9a-f]+$/.test(c));
  if (wanted.length === 0) return subjects;
  const out = await runGitText(
    git,
    ['log', '--no-walk=unsorted', '--stdin', '-z', '--format=%H %s', '--no-show-signature'],
    { input: wanted.map((c) => `${c}\n`).join('') },
  );
  for (const record of out.split('\0')) {
    const space = record.indexOf(' ');
    if (space > 0) subjects.set(record.slice(0, space).replace(/^\n/, ''), record.slice(space + 1));
  }
  return subjects;
}

/** The approval and waiver ids a manifest's history is searched for. */
export interface SignOffWanted {
  /** Repository path of the manifest. */
  path: string;
  approvals: readonly string[];
  waivers: readonly string[];
  /**
   * The canonical JSON of each approval as it is now, by id: the commit that added it is the
   * oldest whose version holds the approval with that id as it is, so that an approval written
   * under the id of an earlier one (removed, then forged) is not taken for it.
   */
  approvalItems?: ReadonlyMap<string, string>;
}

/** The commits that added the approvals and waivers of one manifest. */
export interface SignOffHistory {
  /** By approval id: the oldest commit whose version of the manifest holds it; null: none does. */
  approvals: Map<string, SignOffCommit | null>;
  waivers: Map<string, SignOffCommit | null>;
  /**
   * Ids whose oldest holding commit is a shallow clone's graft: the history that would say
   * who added them was not fetched.
   */
  beyondHistory: string[];
}

/** The ids of the approvals and waivers in a version of a manifest (a YAML text). */
function idsIn(text: string): { approvals: Map<string, string>; waivers: Map<string, string> } {
  const approvals = new Map<string, string>();
  const waivers = new Map<string, string>();
  // read as every command reads a manifest (CR-only line breaks, a byte-order mark, limits), so
  // that an approval is the same data here as in the manifest judged
  let data: unknown;
  try {
    data = readYaml(text, 'mlops.yaml').data;
  } catch {
    return { approvals, waivers };
  }
  if (data === null || typeof data !== 'object') return { approvals, waivers };
  const take = (list: unknown, into: Map<string, string>): void => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
      if (typeof id === 'string' && !into.has(id)) into.set(id, canonicalJson(item));
    }
  };
  take((data as { approvals?: unknown }).approvals, approvals);
  take((data as { waivers?: unknown }).waivers, waivers);
  return { approvals, waivers };
}

/** The commits of a shallow clone's boundary (`.git/shallow`): their history was not fetched. */
export function graftCommits(git: Git): Set<string> {
  if (!git.shallow) return new Set();
  try {
    return new Set(
      readFileSync(join(git.gitDir, 'shallow'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    );
  } catch {
    return new Set();
  }
}

/**
 * Who added each approval and waiver: for every manifest, the oldest commit whose version of
 * the manifest holds the id, with its author and (`signatures`) the signature git verifies
 * (`gpg.ssh.allowedSignersFile` is `allowedSigners` when given). Two git processes for every
 * manifest together: one `git log -G` over the manifests' history for the commits that added
 * or removed an `id:` line of one of the ids, then one `git cat-file --batch` for those
 * versions of the manifests. A path with a line break cannot be named to `cat-file --batch`:
 * its ids are left out (not known).
 */
export async function readSignOffCommits(
  git: Git,
  wanted: readonly SignOffWanted[],
  options: { signatures?: boolean; allowedSigners?: string; rev?: string } = {},
): Promise<Map<string, SignOffHistory>> {
  const out = new Map<string, SignOffHistory>();
  const asked = wanted.filter(
    (w) => w.approvals.length + w.waivers.length > 0 && !/[\r\n]/.test(w.path),
  );
  if (asked.length === 0) return out;
  const byPath = new Map<
    string,
    { approvals: Set<string>; waivers: Set<string>; items: Map<string, string> }
  >();
  for (const w of asked) {
    const e = byPath.get(w.path) ?? {
      approvals: new Set<string>(),
      waivers: new Set<string>(),
      items: new Map<string, string>(),
    };
    w.approvalItems?.forEach((item, id) => e.items.set(id, item));
    w.approvals.forEach((id) => e.approvals.add(id));
    w.waivers.forEach((id) => e.waivers.add(id));
    byPath.set(w.path, e);
  }
  const ids = [...new Set([...byPath.values()].flatMap((e) => [...e.approvals, ...e.waivers]))];
  // ids are [a-z0-9_-]: literal in a regular expression; past a few thousand, any id line will do
  const idPattern = ids.length <= 2000 ? `(${ids.join('|')})` : '[a-z0-9][a-z0-9_-]*';
  const pattern = `["']?id["']?[[:space:]]*:[[:space:]]*["']?${idPattern}["']?([[:space:]]|,|}|$)`;
  const sig = options.signatures ? '%x1f%G?%x1f%GS' : '';
  const config = options.allowedSigners
    ? ['-c', `gpg.ssh.allowedSignersFile=${options.allowedSigners}`]
    : [];
  const rev = options.rev ?? 'HEAD';
  /** The commits of `paths` (with `-G`, those that add or remove an id line), newest first. */
  const commitsOf = async (
    paths: readonly string[],
    grep: string[],
  ): Promise<{ path: string; commit: SignOffCommit }[]> => {
    let log = '';
    try {
      log = await runGitText(
        git,
        [
          ...config,
          '--literal-pathspecs',
          'log',
          '--stdin',
          ...grep,
          `--format=%x1e%H%x1f%h%x1f%cs%x1f%an%x1f%ae${sig}`,
          '-z',
          '--name-only',
          '--no-renames',
          ...(options.signatures ? [] : ['--no-show-signature']),
          '--',
        ],
        { input: `${rev}\n--\n${paths.map((p) => `${p}\n`).join('')}` },
      );
    } catch (error) {
      // a repository without commits: nothing is committed
      if (
        !(error instanceof GitError) ||
        !/HEAD|does not have any commits/i.test(error.gitMessage ?? '')
      )
        throw error;
    }
    // each record: the header fields, NUL, then the paths it touched, each NUL-terminated
    const picks: { path: string; commit: SignOffCommit }[] = [];
    for (const record of log.split('\x1e')) {
      const [head = '', ...touched] = record.split('\0');
      const [hash = '', short = '', date = '', authorName = '', authorEmail = '', g, signer] = head
        .replace(/^\n/, '')
        .split('\x1f');
      if (hash === '') continue;
      const commit: SignOffCommit = {
        commit: hash.trim(),
        short,
        date,
        authorName,
        authorEmail,
        ...(options.signatures
          ? { signature: { good: g === 'G', ...(signer ? { signer: signer.trim() } : {}) } }
          : {}),
      };
      for (const raw of touched) {
        const path = raw.replace(/^\n/, '');
        if (byPath.has(path)) picks.push({ path, commit });
      }
    }
    return picks;
  };
  const found = new Map<
    string,
    { approvals: Map<string, SignOffCommit>; waivers: Map<string, SignOffCommit> }
  >();
  /** The oldest version of each picked path that holds each id (an approval as it is now). */
  const settleFrom = async (picks: { path: string; commit: SignOffCommit }[]): Promise<void> => {
    const objects = await catFileBatch(
      git,
      picks.map((p) => `${p.commit.commit}:${p.path}`),
    );
    // newest first: the last version that holds an id is the oldest
    picks.forEach(({ path, commit }, i) => {
      const held = idsIn(objects[i]?.content?.toString('utf8') ?? '');
      const f = found.get(path) ?? { approvals: new Map(), waivers: new Map() };
      const items = byPath.get(path)?.items;
      for (const [id, item] of held.approvals) {
        const now = items?.get(id);
        if (now === undefined || now === item) f.approvals.set(id, commit);
      }
      // a waiver is added once: an edit (a later expiry) does not move the commit it counts from
      for (const id of held.waivers.keys()) f.waivers.set(id, commit);
      found.set(path, f);
    });
  };
  await settleFrom(await commitsOf([...byPath.keys()], ['-E', `-G${pattern}`]));
  // an approval edited by hand after it was added (its id line untouched): every version of
  // its manifest is read, for the oldest that holds it as it is (or none: not committed)
  const unresolved = [...byPath].flatMap(([path, want]) =>
    [...want.approvals].some((id) => !found.get(path)?.approvals.has(id)) ? [path] : [],
  );
  if (unresolved.length > 0) {
    for (const path of unresolved) found.get(path)?.approvals.clear();
    const picks = await commitsOf(unresolved, []);
    const keepWaivers = new Map(unresolved.map((p) => [p, found.get(p)?.waivers]));
    await settleFrom(picks);
    // the waivers' commits stay those of their id lines
    for (const [p, w] of keepWaivers) {
      const f = found.get(p);
      if (f && w) f.waivers = w;
    }
  }
  const grafts = graftCommits(git);
  for (const [path, want] of byPath) {
    const history: SignOffHistory = { approvals: new Map(), waivers: new Map(), beyondHistory: [] };
    const f = found.get(path);
    const settle = (kind: 'approvals' | 'waivers', id: string): void => {
      const commit = f?.[kind].get(id);
      if (commit && grafts.has(commit.commit)) history.beyondHistory.push(id);
      history[kind].set(id, commit ?? null);
    };
    want.approvals.forEach((id) => settle('approvals', id));
    want.waivers.forEach((id) => settle('waivers', id));
    out.set(path, history);
  }
  return out;
}

/** What `readSignOffCommits` looks for in one manifest's history: its approvals and waivers. */
export function signOffWanted(path: string, data: unknown): SignOffWanted {
  const m = (data ?? {}) as { approvals?: unknown; waivers?: unknown };
  const approvals = new Map<string, string>();
  const waivers = new Set<string>();
  const each = (list: unknown, f: (id: string, item: unknown) => void): void => {
    if (!Array.isArray(list)) return;
    for (const item of list as unknown[]) {
      const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
      if (typeof id === 'string') f(id, item);
    }
  };
  each(m.approvals, (id, item) => {
    if (!approvals.has(id)) approvals.set(id, canonicalJson(item));
  });
  each(m.waivers, (id) => waivers.add(id));
  return {
    path,
    approvals: [...approvals.keys()],
    waivers: [...waivers],
    approvalItems: approvals,
  };
}
