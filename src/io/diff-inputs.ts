import { lstatSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import type { DiffSide } from '../core/diff.js';
import type { Finding } from '../core/findings.js';
import { InputError } from '../errors.js';
import { MANIFEST_FILENAME, isInside } from './fs.js';
import { listTreeAt, readBlobs } from './git-batch.js';
import { boundHeapGrowth } from './heap.js';
import type { Git } from './git.js';
import { readManifestText, readScopes } from './validate-files.js';

/** Whether a repository-relative path is within the `-- paths` the user gave. */
export type PathScope = (file: string | undefined) => boolean;

/**
 * Which manifests the `-- paths` the user gave cover (repository-relative prefixes; they may
 * no longer exist, as for a deleted manifest). No paths: everything.
 */
export function pathScope(git: Git, paths: readonly string[], cwd: string): PathScope {
  const prefixes = paths.map((p) => {
    const abs = resolve(cwd, p);
    if (!isInside(git.root, abs)) {
      throw new InputError(`${p} is outside the repository ${git.root}`, {
        hint: 'pass paths inside the repository',
      });
    }
    return relative(git.root, abs).split(sep).join(posix.sep);
  });
  return (file) =>
    file !== undefined &&
    (prefixes.length === 0 ||
      prefixes.some((p) => p === '' || file === p || file.startsWith(`${p}/`)));
}

/**
 * A manifest at one side, by repository-relative path: its text, or, for a file of the working
 * tree that is not read (it leads outside the repository, is no regular file or is not UTF-8),
 * the finding that says why.
 */
export type SideText = { path: string } & ({ text: string } | { finding: Finding });

/** The texts of one path at the base and at the head; a side without a manifest there is missing. */
export type SidePair = readonly [SideText | undefined, SideText | undefined];

/** The manifests to compare, read from git (and the working tree for a side without commit). */
export interface DiffInputs {
  /**
   * The manifests that may have changed, one path at a time. Their texts are read a batch at a
   * time, so that however many there are, only a few batches of texts are held at once.
   */
  pairs: AsyncIterable<SidePair>;
  /** Every manifest path at each side, in or out of scope, changed or not. */
  basePaths: Set<string>;
  headPaths: Set<string>;
}

const isManifest = (file: string): boolean => posix.basename(file) === MANIFEST_FILENAME;

/**
 * Paths whose texts are read together: one `git cat-file --batch` each. Manifests are a few
 * kilobytes, so a batch is a few megabytes, and a repository of fewer manifests than this
 * needs one process.
 */
export const DIFF_BATCH = 500;

/** A path that may have changed: the blob at the base, and the blob at the head or none (the working tree). */
interface Candidate {
  path: string;
  base?: string;
  head?: string;
  /** At the head: a file of the working tree. */
  onDisk: boolean;
}

/**
 * Whether anything is at `path` (a symlink counts, wherever it leads). A path that cannot be
 * looked at (a folder on the way the user cannot read) is there: reading it says why not.
 */
function exists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}

/**
 * Lists the manifests of both sides with a fixed number of git processes (one `ls-tree` a side,
 * or `ls-files` for the working tree); their texts are then read as `pairs` is walked, through
 * one `cat-file --batch` for every `DIFF_BATCH` paths. A manifest whose blob (or text) is the
 * same at both sides cannot have changed and is left out. Outside the scope, a manifest found at
 * one side only is kept: a manifest in scope may have moved there.
 */
export async function readDiffInputs(
  git: Git,
  base: DiffSide & { commit: string },
  head: DiffSide,
  inScope: PathScope,
): Promise<DiffInputs> {
  const baseAll = await listTreeAt(git, base.commit, isManifest);
  const headAll: { path: string; oid?: string }[] = head.commit
    ? await listTreeAt(git, head.commit, isManifest)
    : (await git.listFiles({ untracked: true, named: MANIFEST_FILENAME }))
        // not deleted in the working tree: what is there and cannot be read is reported
        .filter((path) => isManifest(path) && exists(resolve(git.root, path)))
        .map((path) => ({ path }));
  const basePaths = new Set(baseAll.map((e) => e.path));
  const headPaths = new Set(headAll.map((h) => h.path));
  const candidates = new Map<string, Candidate>();
  for (const e of baseAll) {
    if (inScope(e.path) || !headPaths.has(e.path))
      candidates.set(e.path, { path: e.path, base: e.oid, onDisk: false });
  }
  for (const h of headAll) {
    if (!inScope(h.path) && basePaths.has(h.path)) continue;
    const c = candidates.get(h.path);
    // the same blob at both sides: unchanged
    if (c && h.oid !== undefined && c.base === h.oid) candidates.delete(h.path);
    else if (c) Object.assign(c, { head: h.oid, onDisk: h.oid === undefined });
    else candidates.set(h.path, { path: h.path, head: h.oid, onDisk: h.oid === undefined });
  }
  const list = [...candidates.values()];
  boundHeapGrowth(list.length);
  return { pairs: pairsOf(git, list), basePaths, headPaths };
}

/**
 * The sides of a batch of candidates: their blobs from one `cat-file`, and the files of the
 * working tree read as every command reads a manifest (nothing outside the repository).
 */
async function readBatch(git: Git, batch: readonly Candidate[]): Promise<SidePair[]> {
  const blobs = await readBlobs(
    git,
    batch.flatMap((c) => [c.base, c.head].filter((oid): oid is string => oid !== undefined)),
  );
  const onDisk = batch.filter((c) => c.onDisk);
  const scopes = readScopes(
    onDisk.map((c) => resolve(git.root, c.path)),
    { cwd: git.root, paths: [], repoRoot: git.root },
  );
  const working = new Map(
    onDisk.map((c, i) => {
      const abs = resolve(git.root, c.path);
      return [c.path, readManifestText({ abs, file: c.path, scope: scopes[i]! })];
    }),
  );
  const pairs: SidePair[] = [];
  for (const c of batch) {
    const base: SideText | undefined =
      c.base === undefined ? undefined : { path: c.path, text: blobs.get(c.base) ?? '' };
    const read = working.get(c.path);
    const head: SideText | undefined = read
      ? { path: c.path, ...read }
      : c.head === undefined
        ? undefined
        : { path: c.path, text: blobs.get(c.head) ?? '' };
    // a working file that reads as its base did: unchanged
    if (read && base && 'text' in read && 'text' in base && read.text === base.text) continue;
    pairs.push([base, head]);
  }
  return pairs;
}

/** The candidates' pairs, a batch at a time, the next batch read while one is compared. */
async function* pairsOf(git: Git, candidates: readonly Candidate[]): AsyncGenerator<SidePair> {
  const batches: Candidate[][] = [];
  for (let i = 0; i < candidates.length; i += DIFF_BATCH)
    batches.push(candidates.slice(i, i + DIFF_BATCH));
  let next = batches.length > 0 ? readBatch(git, batches[0]!) : undefined;
  for (let i = 0; next !== undefined; i++) {
    const current = await next;
    next = i + 1 < batches.length ? readBatch(git, batches[i + 1]!) : undefined;
    // awaited on the next turn; until then, a failure must not surface as an unhandled rejection
    next?.catch(() => undefined);
    yield* current;
  }
}
