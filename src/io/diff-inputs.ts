import { existsSync, lstatSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { DiffSide } from '../core/diff.js';
import type { Finding } from '../core/findings.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../core/manifest/limits.js';
import { InputError } from '../errors.js';
import { MANIFEST_FILENAME, isInside, statPath } from './fs.js';
import { declaresManifest } from './manifest-file.js';
import { listTreeAt, readBlobs } from './git-batch.js';
import { boundHeapGrowth } from './heap.js';
import { runGit, splitZBytes } from './git.js';
import type { Git } from './git.js';
import { readManifestText, readScopes } from './validate-files.js';

/** Whether a repository-relative path is within the `-- paths` the user gave. */
export type PathScope = (file: string | undefined) => boolean;

/** The `-- paths` of a diff: each as the user gave it and as the repository names it. */
export interface DiffPaths {
  inScope: PathScope;
  /** `path`: repository-relative, with `/`; `''` for the repository's own folder. */
  given: { arg: string; path: string }[];
}

/**
 * Which manifests the `-- paths` the user gave cover (repository-relative prefixes; they may
 * no longer exist, as for a deleted manifest). No paths: everything. A path outside the
 * repository is an InputError.
 */
export function diffPaths(git: Git, paths: readonly string[], cwd: string): DiffPaths {
  const given = paths.map((arg) => {
    const abs = resolve(cwd, arg);
    if (!isInside(git.root, abs)) {
      throw new InputError(`${arg} is outside the repository ${git.root}`, {
        hint: 'pass paths inside the repository',
      });
    }
    return { arg, path: relative(git.root, abs).split(sep).join(posix.sep) };
  });
  const prefixes = given.map((g) => g.path);
  return {
    given,
    inScope: (file) =>
      file !== undefined &&
      (prefixes.length === 0 ||
        prefixes.some((p) => p === '' || file === p || file.startsWith(`${p}/`))),
  };
}

/** `diffPaths(...).inScope`. */
export function pathScope(git: Git, paths: readonly string[], cwd: string): PathScope {
  return diffPaths(git, paths, cwd).inScope;
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
  /**
   * The files named in `named` that are there at a side but are no manifest at either: with
   * the finding of the working tree's file when it could not be read (it leads outside the
   * repository, is no regular file, is too large or is not UTF-8).
   */
  notManifests: Map<string, Finding | undefined>;
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
  /** Named on the command line (any file name): its folders are not trusted when read. */
  named?: boolean;
  /** The size of a named file's blob over the manifest limit, which is then not read. */
  baseSize?: number;
  headSize?: number;
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
 * The folder of a repository of its own (a submodule, a clone) that holds `abs`, a path inside
 * the repository at `root`; undefined when there is none between them.
 */
function nestedRepository(root: string, abs: string): string | undefined {
  let found: string | undefined;
  for (let d = dirname(abs); d !== root && isInside(root, d) && d !== dirname(d); d = dirname(d))
    if (existsSync(join(d, '.git'))) found = d;
  return found;
}

/**
 * The sizes of blobs, from one `git cat-file --batch-check`: named files are a user's choice,
 * and a large one is not read to learn that it is no manifest.
 */
async function blobSizes(git: Git, oids: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (oids.length === 0) return sizes;
  const out = await runGit(git, ['cat-file', '--batch-check'], { input: `${oids.join('\n')}\n` });
  for (const line of out.toString('utf8').split('\n')) {
    const [oid, , size] = line.split(' ');
    if (oid && size !== undefined) sizes.set(oid, Number(size));
  }
  return sizes;
}

/** A named file at one side: its blob, or (`oid` undefined) the file in the working tree. */
type NamedEntry = { path: string; oid?: string };

/**
 * Which named files are manifests: those that say so (`kind: ModelManifest`) at a side, read as
 * every side is read (a blob of at most the manifest limit; a file of the working tree never
 * outside the repository). The others, with the finding of a working-tree file not read.
 */
async function namedManifests(
  git: Git,
  entries: readonly NamedEntry[],
): Promise<{
  manifests: Set<string>;
  others: Map<string, Finding | undefined>;
  sizes: Map<string, number>;
}> {
  const oids = [...new Set(entries.flatMap((e) => (e.oid === undefined ? [] : [e.oid])))];
  const sizes = await blobSizes(git, oids);
  const small = oids.filter((oid) => (sizes.get(oid) ?? 0) <= MAX_MANIFEST_BYTES);
  const blobs = await readBlobs(git, small);
  const manifests = new Set<string>();
  const others = new Map<string, Finding | undefined>();
  for (const e of entries) {
    let text: string | undefined;
    const size = e.oid === undefined ? undefined : sizes.get(e.oid);
    if (size !== undefined && size > MAX_MANIFEST_BYTES) {
      // not read: whatever it says, it is too large to be read as a manifest
      if (others.get(e.path) === undefined) others.set(e.path, tooLargeFinding(e.path, size));
      continue;
    }
    if (e.oid !== undefined) text = blobs.get(e.oid);
    else {
      const read = readNamed(git, e.path);
      if ('text' in read) text = read.text;
      else if (others.get(e.path) === undefined) others.set(e.path, read.finding);
    }
    if (text !== undefined && declaresManifest(text)) manifests.add(e.path);
    else if (!others.has(e.path)) others.set(e.path, undefined);
  }
  for (const m of manifests) others.delete(m);
  return { manifests, others, sizes };
}

/** A named file of the working tree, read as `validate` reads a file it is given. */
function readNamed(git: Git, path: string): { text: string } | { finding: Finding } {
  const abs = resolve(git.root, path);
  const [scope] = readScopes([abs], { cwd: git.root, paths: [abs], repoRoot: git.root });
  return readManifestText({ abs, file: path, scope: scope! });
}

/**
 * Lists the manifests of both sides with a fixed number of git processes (one `ls-tree` a side,
 * or `ls-files` for the working tree); their texts are then read as `pairs` is walked, through
 * one `cat-file --batch` for every `DIFF_BATCH` paths. A manifest whose blob (or text) is the
 * same at both sides cannot have changed and is left out. Outside the scope, a manifest found at
 * one side only is kept: a manifest in scope may have moved there.
 *
 * `named` are the repository-relative paths the user gave: one that is a file at a side is
 * compared whatever its name, when it says it is a manifest at one of them (see
 * `notManifests`). A symlink at a commit is no file, and a working-tree file is read as
 * `validate` reads a file it is given, never outside the repository.
 */
export async function readDiffInputs(
  git: Git,
  base: DiffSide & { commit: string },
  head: DiffSide,
  inScope: PathScope,
  named: readonly string[] = [],
): Promise<DiffInputs> {
  const namedFiles = new Set(named.filter((p) => p !== '' && !isManifest(p)));
  const keep = (path: string): boolean => isManifest(path) || namedFiles.has(path);
  let baseAll: NamedEntry[] = await listTreeAt(git, base.commit, keep);
  let headAll: NamedEntry[] = head.commit
    ? await listTreeAt(git, head.commit, keep)
    : [
        ...(await git.listFiles({ untracked: true, named: MANIFEST_FILENAME }))
          // not deleted in the working tree: what is there and cannot be read is reported
          .filter((path) => isManifest(path) && exists(resolve(git.root, path)))
          .map((path) => ({ path })),
        // named files of the working tree; a folder (or a link to one) names the manifests in it
        ...[...namedFiles]
          .filter((path) => {
            const abs = resolve(git.root, path);
            return (
              exists(abs) &&
              statPath(abs)?.isDirectory !== true &&
              nestedRepository(git.root, abs) === undefined
            );
          })
          .map((path) => ({ path })),
      ];
  let notManifests = new Map<string, Finding | undefined>();
  let sizes = new Map<string, number>();
  if (namedFiles.size > 0) {
    const entries = [...baseAll, ...headAll].filter((e) => namedFiles.has(e.path));
    const found = await namedManifests(git, entries);
    ({ sizes } = found);
    notManifests = found.others;
    const drop = (e: NamedEntry): boolean => namedFiles.has(e.path) && !found.manifests.has(e.path);
    baseAll = baseAll.filter((e) => !drop(e));
    headAll = headAll.filter((e) => !drop(e));
  }
  const basePaths = new Set(baseAll.map((e) => e.path));
  const headPaths = new Set(headAll.map((h) => h.path));
  const candidates = new Map<string, Candidate>();
  const large = (oid: string | undefined): number | undefined => {
    const size = oid === undefined ? undefined : sizes.get(oid);
    return size !== undefined && size > MAX_MANIFEST_BYTES ? size : undefined;
  };
  const flags = (path: string, side: 'base' | 'head', oid?: string): Partial<Candidate> => {
    if (!namedFiles.has(path)) return {};
    const size = large(oid);
    return { named: true, ...(size !== undefined ? { [`${side}Size`]: size } : {}) };
  };
  for (const e of baseAll) {
    if (inScope(e.path) || !headPaths.has(e.path))
      candidates.set(e.path, {
        path: e.path,
        base: e.oid,
        onDisk: false,
        ...flags(e.path, 'base', e.oid),
      });
  }
  for (const h of headAll) {
    if (!inScope(h.path) && basePaths.has(h.path)) continue;
    const c = candidates.get(h.path);
    const more = { head: h.oid, onDisk: h.oid === undefined, ...flags(h.path, 'head', h.oid) };
    // the same blob at both sides: unchanged
    if (c && h.oid !== undefined && c.base === h.oid) candidates.delete(h.path);
    else if (c) Object.assign(c, more);
    else candidates.set(h.path, { path: h.path, ...more });
  }
  const list = [...candidates.values()];
  boundHeapGrowth(list.length);
  return { pairs: pairsOf(git, list), basePaths, headPaths, notManifests };
}

/** A path after `--` that matches no manifest at either side, and why. */
export interface UnmatchedPath {
  /** As the user gave it. */
  arg: string;
  /** Repository-relative. */
  path: string;
  /**
   * `nothing`: no manifest is there or under it; `not-a-manifest`: a file that does not say it
   * is one (`finding`: why the working tree's file was not read); `submodule`: it is in the
   * submodule (or repository of its own) at `submodule`, whose manifests are compared there.
   */
  reason: 'nothing' | 'not-a-manifest' | 'submodule';
  finding?: Finding;
  submodule?: string;
}

/** The submodules (gitlinks) of a commit's tree, or of the index. */
async function gitlinksAt(git: Git, commit: string | undefined): Promise<string[]> {
  const out = await runGit(
    git,
    commit === undefined
      ? ['ls-files', '-s', '-z']
      : ['ls-tree', '-r', '-z', '--full-tree', commit],
  );
  const links: string[] = [];
  for (const record of splitZBytes(out)) {
    const tab = record.indexOf(0x09);
    if (tab >= 0 && record.toString('latin1', 0, 7) === '160000 ')
      links.push(record.toString('utf8', tab + 1));
  }
  return links;
}

/**
 * The paths after `--` (`given`, see `diffPaths`) that match no manifest at either side: none
 * is at the path or under it. A folder that holds a submodule matches (its manifests are the
 * submodule's, as for `validate` and `check`); a path in one does not. Git is asked about
 * submodules only when a path matches nothing.
 */
export async function unmatchedPaths(
  git: Git,
  given: DiffPaths['given'],
  inputs: Pick<DiffInputs, 'basePaths' | 'headPaths' | 'notManifests'>,
  sides: { base: DiffSide & { commit: string }; head: DiffSide },
): Promise<UnmatchedPath[]> {
  if (given.length === 0) return [];
  const covered = new Set<string>();
  for (const p of [...inputs.basePaths, ...inputs.headPaths]) {
    for (let d = p; d !== '.' && !covered.has(d); d = posix.dirname(d)) covered.add(d);
  }
  const missing = given.filter((g) => g.path !== '' && !covered.has(g.path));
  if (missing.length === 0) return [];
  const links = new Set([
    ...(await gitlinksAt(git, sides.base.commit)),
    ...(await gitlinksAt(git, sides.head.commit)),
  ]);
  const out: UnmatchedPath[] = [];
  for (const { arg, path } of missing) {
    const nested = nestedRepository(git.root, join(resolve(git.root, path), MANIFEST_FILENAME));
    const submodule =
      [...links].find((s) => path === s || path.startsWith(`${s}/`)) ??
      (nested === undefined ? undefined : relative(git.root, nested).split(sep).join(posix.sep));
    if (submodule !== undefined) {
      out.push({ arg, path, reason: 'submodule', submodule });
    } else if ([...links].some((s) => s.startsWith(`${path}/`))) {
      continue;
    } else if (inputs.notManifests.has(path)) {
      const finding = inputs.notManifests.get(path);
      out.push({ arg, path, reason: 'not-a-manifest', ...(finding ? { finding } : {}) });
    } else {
      out.push({ arg, path, reason: 'nothing' });
    }
  }
  return out;
}

/**
 * The sides of a batch of candidates: their blobs from one `cat-file`, and the files of the
 * working tree read as every command reads a manifest (nothing outside the repository).
 */
async function readBatch(git: Git, batch: readonly Candidate[]): Promise<SidePair[]> {
  const blobs = await readBlobs(
    git,
    batch.flatMap((c) => [
      ...(c.base !== undefined && c.baseSize === undefined ? [c.base] : []),
      ...(c.head !== undefined && c.headSize === undefined ? [c.head] : []),
    ]),
  );
  // a named file's blob over the limit is not read, as a file of the working tree is not
  const blob = (path: string, oid: string, size: number | undefined): SideText =>
    size !== undefined
      ? { path, finding: tooLargeFinding(path, size) }
      : { path, text: blobs.get(oid) ?? '' };
  const onDisk = batch.filter((c) => c.onDisk);
  // a named file's folders are checked on the way, as for a file `validate` is given
  const scopes = readScopes(
    onDisk.map((c) => resolve(git.root, c.path)),
    {
      cwd: git.root,
      paths: onDisk.filter((c) => c.named).map((c) => resolve(git.root, c.path)),
      repoRoot: git.root,
    },
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
      c.base === undefined ? undefined : blob(c.path, c.base, c.baseSize);
    const read = working.get(c.path);
    const head: SideText | undefined = read
      ? { path: c.path, ...read }
      : c.head === undefined
        ? undefined
        : blob(c.path, c.head, c.headSize);
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
