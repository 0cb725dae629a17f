import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { existsSync, lstatSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { DiffSide, SourcePair } from '../core/diff.js';
import type {
  EvidenceAccess,
  EvidenceContent,
  EvidenceLookup,
  EvidenceWanted,
} from '../core/diff-evidence.js';
import { isDataPath } from '../core/evidence-digest.js';
import type { Finding } from '../core/findings.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../core/manifest/limits.js';
import { InputError } from '../errors.js';
import { MAX_EVIDENCE_TEXT_BYTES, readEvidenceFiles } from './evidence.js';
import { MANIFEST_FILENAME, isInside, statPath } from './fs.js';
import { declaresManifest } from './manifest-file.js';
import { catFileBatch, readBlobs } from './git-batch.js';
import { boundHeapGrowth } from './heap.js';
import { notUtf8Error, runGit, splitZBytes } from './git.js';
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
export type SidePair = SourcePair<SideText>;

/** The manifests to compare, read from git (and the working tree for a side without commit). */
export interface DiffInputs {
  /**
   * The manifests that may have changed, a batch of paths at a time, read a batch at a time so
   * that however many there are, only a few batches of texts are held at once. With them, the
   * manifests whose text is the same at both sides but whose evidence may have changed.
   */
  batches: AsyncIterable<SidePair[]>;
  /** The evidence files of both sides: which may differ, and reading them. */
  evidence: EvidenceAccess;
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
  /** The same blob at both sides: there for its evidence only. */
  same?: boolean;
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
  const baseTree = await listTree(git, base.commit, keep);
  const headTree = head.commit ? await listTree(git, head.commit, keep) : undefined;
  const evidence = await evidenceIndex(git, base.commit, baseTree, head.commit, headTree);
  let baseAll: NamedEntry[] = baseTree.kept;
  let headAll: NamedEntry[] = headTree
    ? headTree.kept
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
    // the same blob at both sides: unchanged, unless what its evidence says may have changed
    if (c && h.oid !== undefined && c.base === h.oid) {
      if (evidence.mayReference === undefined) candidates.delete(h.path);
      else Object.assign(c, more, { same: true });
    } else if (c) Object.assign(c, more);
    else candidates.set(h.path, { path: h.path, ...more });
  }
  const list = [...candidates.values()];
  boundHeapGrowth(list.length);
  return {
    batches: batchesOf(git, list, evidence.mayReference),
    evidence: evidence.access,
    basePaths,
    headPaths,
    notManifests,
  };
}

/** A file of a commit's tree, as `git ls-tree -r -l -z` lists it. */
interface TreeRecord {
  /** The path's bytes (git sorts a listing by them). */
  path: Buffer;
  mode: string;
  oid: string;
}

/**
 * A commit's tree: the entries `keep` accepts, every regular file and symbolic link in git's
 * order (to compare with the other side's), its links and its files too large to read.
 */
interface Tree {
  kept: NamedEntry[];
  records: TreeRecord[];
  /** Symbolic links (mode 120000), to their objects. */
  links: Map<string, string>;
  /** Files larger than evidence is read, by their size. */
  large: Map<string, number>;
}

/**
 * The files of a commit from one `git ls-tree -r -l`: the regular files `keep` accepts (a
 * path of those that is not valid UTF-8 is an InputError naming it, as `listTreeAt` does), and
 * every regular file and symbolic link (paths that are not UTF-8 are left out: no manifest can
 * name them).
 */
async function listTree(git: Git, commit: string, keep: (path: string) => boolean): Promise<Tree> {
  const out = await runGit(git, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  const tree: Tree = { kept: [], records: [], links: new Map(), large: new Map() };
  for (const record of splitZBytes(out)) {
    // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
    const tab = record.indexOf(0x09);
    if (tab < 0) continue;
    const [mode, type, oid, size] = record
      .toString('latin1', 0, tab)
      .split(' ')
      .filter((f) => f !== '');
    if (type !== 'blob' || !oid || !mode || size === undefined) continue;
    const regular = mode === '100644' || mode === '100755';
    if (!regular && mode !== '120000') continue;
    const bytes = record.subarray(tab + 1);
    if (!isUtf8(bytes)) {
      if (regular && keep(bytes.toString('utf8'))) throw notUtf8Error(bytes);
      continue;
    }
    tree.records.push({ path: bytes, mode, oid });
    if (!regular) {
      tree.links.set(bytes.toString('utf8'), oid);
      continue;
    }
    if (Number(size) > MAX_EVIDENCE_TEXT_BYTES)
      tree.large.set(bytes.toString('utf8'), Number(size));
    if (keep(bytes.toString('utf8'))) tree.kept.push({ path: bytes.toString('utf8'), oid });
  }
  return tree;
}

/** A side's files as far as the evidence of a diff needs them. */
interface SideFiles {
  /** The commit; absent for the working tree. */
  commit?: string;
  /** The files (`mode oid`) that differ from the other side's, or are only at this one. */
  changed: Map<string, string>;
  /** Every symbolic link, to its object. */
  links: Map<string, string>;
  /** Every file larger than a blob is read, by its size. */
  large: Map<string, number>;
}

/** What `readDiffInputs` keeps of the evidence of both sides. */
interface EvidenceIndex {
  access: EvidenceAccess;
  /**
   * Whether a manifest whose text did not change may name evidence that did (a cheap test of
   * its text, which never misses one); undefined when no file other than manifests changed.
   */
  mayReference?: (text: string) => boolean;
}

/**
 * The files that differ between two listings, each in git's order (bytes of the path): walked
 * side by side, so that neither is held as a map.
 */
function changedBetween(
  base: Tree,
  head: Tree,
): { base: Map<string, string>; head: Map<string, string> } {
  const out = { base: new Map<string, string>(), head: new Map<string, string>() };
  const a = base.records;
  const b = head.records;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const order = i >= a.length ? 1 : j >= b.length ? -1 : Buffer.compare(a[i]!.path, b[j]!.path);
    if (order < 0) {
      out.base.set(a[i]!.path.toString('utf8'), `${a[i]!.mode} ${a[i]!.oid}`);
      i++;
    } else if (order > 0) {
      out.head.set(b[j]!.path.toString('utf8'), `${b[j]!.mode} ${b[j]!.oid}`);
      j++;
    } else {
      if (a[i]!.mode !== b[j]!.mode || a[i]!.oid !== b[j]!.oid) {
        out.base.set(a[i]!.path.toString('utf8'), `${a[i]!.mode} ${a[i]!.oid}`);
        out.head.set(b[j]!.path.toString('utf8'), `${b[j]!.mode} ${b[j]!.oid}`);
      }
      i++;
      j++;
    }
  }
  return out;
}

/**
 * The files that differ between the sides: between two commits, from their listings; against
 * the working tree, those `git diff-index` names against the base (with the base's object) and
 * the untracked files (two processes).
 */
async function evidenceIndex(
  git: Git,
  baseCommit: string,
  baseTree: Tree,
  headCommit: string | undefined,
  headTree: Tree | undefined,
): Promise<EvidenceIndex> {
  const side = (commit: string | undefined, tree: Tree | undefined): SideFiles => ({
    ...(commit !== undefined ? { commit } : {}),
    changed: new Map(),
    links: tree?.links ?? new Map(),
    large: tree?.large ?? new Map(),
  });
  const base = side(baseCommit, baseTree);
  const head = side(headCommit, headTree);
  let onDisk: Set<string> | undefined;
  if (headTree) {
    const changed = changedBetween(baseTree, headTree);
    base.changed = changed.base;
    head.changed = changed.head;
  } else {
    const [raw, untracked] = await Promise.all([
      // plumbing, which never refreshes the index: a file whose stat data is stale is listed
      // as changed, and read at both sides to find it is not
      runGit(git, [
        'diff-index',
        '--raw',
        '-z',
        '--no-abbrev',
        '--no-renames',
        '--ignore-submodules=all',
        baseCommit,
        '--',
      ]),
      runGit(git, ['ls-files', '-z', '--others', '--exclude-standard']),
    ]);
    onDisk = new Set<string>();
    // ":<mode> <mode> <object> <object> <status>" NUL "<path>" NUL, the first of each the base's
    const fields = splitZBytes(raw);
    for (let k = 0; k + 1 < fields.length; k += 2) {
      const [mode, , oid] = fields[k]!.toString('latin1').slice(1).split(' ');
      const path = fields[k + 1]!;
      if (!isUtf8(path)) continue;
      onDisk.add(path.toString('utf8'));
      if (mode && oid && mode !== '000000')
        base.changed.set(path.toString('utf8'), `${mode} ${oid}`);
    }
    for (const field of splitZBytes(untracked))
      if (isUtf8(field)) onDisk.add(field.toString('utf8'));
  }
  baseTree.records = [];
  if (headTree) headTree.records = [];
  // a path may differ when it, or a folder on its way, changed or is a link at either side
  const differs = (repoPath: string): boolean => {
    for (let end = repoPath.length; end > 0; end = repoPath.lastIndexOf('/', end - 1)) {
      const q = end === repoPath.length ? repoPath : repoPath.slice(0, end);
      if (
        base.changed.has(q) ||
        head.changed.has(q) ||
        onDisk?.has(q) ||
        base.links.has(q) ||
        head.links.has(q)
      )
        return true;
    }
    return false;
  };
  const others = [...base.changed.keys(), ...head.changed.keys(), ...(onDisk ?? [])].filter(
    (p) => !isManifest(p),
  );
  const index: EvidenceIndex = {
    access: { differs, read: (wanted) => readEvidence(git, base, head, wanted) },
  };
  if (others.length > 0) {
    const names = [...new Set(others.map((p) => posix.basename(p)))];
    const links = base.links.size + head.links.size > 0;
    index.mayReference =
      links || names.length > MAX_NAMES
        ? () => true
        : (text) =>
            // an escape in a quoted string may spell a name out; else the name is in the text,
            // each of its words (a folded line breaks at spaces; a single quote is doubled)
            text.includes('\\') ||
            names.some((name) =>
              name
                .split(/[\s']+/)
                .filter((w) => w !== '')
                .every((w) => text.includes(w)),
            );
  }
  return index;
}

/** Past this many names of changed files, every manifest is read: testing each costs more. */
const MAX_NAMES = 1000;

/** Links followed on the way to one file at a commit before giving up (as the kernel's ELOOP). */
const MAX_LINKS = 40;

/** Where a path leads in a commit's tree through its links: a path, or why there is none. */
type Resolved = { path: string } | { needs: string } | { unread: 'outside' | 'unreadable' };

function resolveInTree(side: SideFiles, repoPath: string, texts: Map<string, string>): Resolved {
  let parts = repoPath.split('/').filter((s) => s !== '' && s !== '.');
  let hops = 0;
  for (let i = 0; i < parts.length;) {
    const oid = side.links.get(parts.slice(0, i + 1).join('/'));
    if (oid === undefined) {
      i++;
      continue;
    }
    const text = texts.get(oid);
    if (text === undefined) return { needs: oid };
    if (++hops > MAX_LINKS) return { unread: 'unreadable' };
    if (text.startsWith('/')) return { unread: 'outside' };
    const next = parts.slice(0, i);
    for (const seg of text.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg !== '..') next.push(seg);
      else if (next.length === 0) return { unread: 'outside' };
      else next.pop();
    }
    parts = [...next, ...parts.slice(i + 1)];
    i = 0;
  }
  return { path: parts.join('/') };
}

/** What a blob read for evidence holds, as the judge of a diff takes it. */
function contentOf(repoPath: string, content: Buffer): EvidenceContent {
  const sha256 = createHash('sha256').update(content).digest('hex');
  return isDataPath(repoPath)
    ? { kind: 'file', text: content.toString('utf8'), sha256 }
    : { kind: 'file', sha256 };
}

/**
 * Reads the evidence files wanted at each side: at a commit, through its links inside the
 * tree (their targets read first, in one `cat-file` per hop, only when a path leads through
 * one), then every blob of both sides in one `git cat-file --batch`; in the working tree, from
 * the disk as `check` reads evidence, never following a link out of the repository. A blob over
 * the limit of evidence read for values is not read.
 */
async function readEvidence(
  git: Git,
  base: SideFiles,
  head: SideFiles,
  wanted: EvidenceWanted,
): Promise<{ base: EvidenceLookup; head: EvidenceLookup }> {
  const sides = [
    { side: base, paths: [...wanted.base], out: new Map<string, EvidenceContent>() },
    { side: head, paths: [...wanted.head], out: new Map<string, EvidenceContent>() },
  ];
  const texts = new Map<string, string>();
  const names: string[] = [];
  const waiting: { out: Map<string, EvidenceContent>; path: string; name: string }[] = [];
  for (let round = 0; ; round++) {
    const needed = new Set<string>();
    for (const s of sides) {
      if (s.side.commit === undefined) continue;
      for (const path of s.paths) {
        if (s.out.has(path)) continue;
        const r = resolveInTree(s.side, path, texts);
        if ('needs' in r) {
          needed.add(r.needs);
          continue;
        }
        if ('unread' in r) {
          s.out.set(path, { kind: 'unread', reason: r.unread });
          continue;
        }
        const packed = s.side.changed.get(r.path);
        const size = s.side.large.get(r.path);
        if (size !== undefined && size > MAX_EVIDENCE_TEXT_BYTES) {
          s.out.set(path, { kind: 'unread', reason: 'too_large' });
          continue;
        }
        if (/[\r\n]/.test(r.path)) {
          s.out.set(path, { kind: 'unread', reason: 'unreadable' });
          continue;
        }
        const name = packed !== undefined ? packed.split(' ')[1]! : `${s.side.commit}:${r.path}`;
        // marked as read: its content comes with the blobs
        s.out.set(path, { kind: 'missing' });
        names.push(name);
        waiting.push({ out: s.out, path, name });
      }
    }
    if (needed.size === 0) break;
    if (round >= MAX_LINKS) break;
    const oids = [...needed];
    const links = await catFileBatch(git, oids);
    oids.forEach((oid, k) => texts.set(oid, links[k]?.content?.toString('utf8') ?? '/'));
  }
  const objects = await catFileBatch(git, [...new Set(names)]);
  const byName = new Map([...new Set(names)].map((n, k) => [n, objects[k]!]));
  for (const { out, path, name } of waiting) {
    const o = byName.get(name);
    if (o?.content === undefined) out.set(path, { kind: 'missing' });
    else if (o.type !== 'blob') out.set(path, { kind: 'unread', reason: 'not_a_file' });
    else if (o.content.length > MAX_EVIDENCE_TEXT_BYTES)
      out.set(path, { kind: 'unread', reason: 'too_large' });
    else out.set(path, contentOf(path, o.content));
  }
  for (const s of sides) {
    if (s.side.commit !== undefined || s.paths.length === 0) continue;
    const found = readEvidenceFiles(
      git.root,
      s.paths.map((path) => ({ path, text: isDataPath(path), sha256: true })),
    );
    for (const [path, file] of found) {
      if (file.kind === 'file') {
        s.out.set(path, {
          kind: 'file',
          ...(file.text !== undefined ? { text: file.text } : {}),
          ...(file.sha256 !== undefined ? { sha256: file.sha256 } : {}),
        });
      } else if (file.kind === 'missing') s.out.set(path, { kind: 'missing' });
      else
        s.out.set(path, {
          kind: 'unread',
          reason:
            file.kind === 'outside'
              ? 'outside'
              : file.kind === 'not_a_file'
                ? 'not_a_file'
                : file.kind === 'too_large'
                  ? 'too_large'
                  : 'unreadable',
        });
    }
  }
  return { base: (p) => sides[0]!.out.get(p), head: (p) => sides[1]!.out.get(p) };
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
async function readBatch(
  git: Git,
  batch: readonly Candidate[],
  mayReference: ((text: string) => boolean) | undefined,
): Promise<SidePair[]> {
  const blobs = await readBlobs(
    git,
    batch.flatMap((c) => [
      ...(c.base !== undefined && c.baseSize === undefined ? [c.base] : []),
      ...(c.head !== undefined && c.headSize === undefined && !c.same ? [c.head] : []),
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
  // the same text at both sides: kept only when it may name evidence that changed
  const same = (base: SideText): SidePair[] =>
    'text' in base && mayReference?.(base.text) === true ? [{ base, head: base, same: true }] : [];
  for (const c of batch) {
    const base: SideText | undefined =
      c.base === undefined ? undefined : blob(c.path, c.base, c.baseSize);
    if (c.same && base) {
      pairs.push(...same(base));
      continue;
    }
    const read = working.get(c.path);
    const head: SideText | undefined = read
      ? { path: c.path, ...read }
      : c.head === undefined
        ? undefined
        : blob(c.path, c.head, c.headSize);
    // a working file that reads as its base did: unchanged
    if (read && base && 'text' in read && 'text' in base && read.text === base.text) {
      pairs.push(...same(base));
      continue;
    }
    pairs.push({ base, head });
  }
  return pairs;
}

/** The candidates' pairs, a batch at a time, the next batch read while one is compared. */
async function* batchesOf(
  git: Git,
  candidates: readonly Candidate[],
  mayReference: ((text: string) => boolean) | undefined,
): AsyncGenerator<SidePair[]> {
  const batches: Candidate[][] = [];
  for (let i = 0; i < candidates.length; i += DIFF_BATCH)
    batches.push(candidates.slice(i, i + DIFF_BATCH));
  const read = (i: number): Promise<SidePair[]> => readBatch(git, batches[i]!, mayReference);
  let next = batches.length > 0 ? read(0) : undefined;
  for (let i = 0; next !== undefined; i++) {
    const current = await next;
    next = i + 1 < batches.length ? read(i + 1) : undefined;
    // awaited on the next turn; until then, a failure must not surface as an unhandled rejection
    next?.catch(() => undefined);
    yield current;
  }
}
