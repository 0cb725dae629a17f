import { posix, relative, resolve, sep } from 'node:path';
import type { DiffSide } from '../core/diff.js';
import type { Finding } from '../core/findings.js';
import { InputError } from '../errors.js';
import { MANIFEST_FILENAME, isInside, statPath } from './fs.js';
import { listTreeAt, readBlobs } from './git-batch.js';
import type { Git } from './git.js';
import { missingFromWorkTree } from './discover.js';
import { readScopeOf } from './read.js';
import { readManifestText } from './validate-files.js';

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

/** A manifest's text at one side, by repository-relative path. */
export interface SideText {
  path: string;
  text: string;
  /** Set when the working-tree file was not read (outside, not a file, unreadable, not UTF-8). */
  finding?: Finding;
}

/** The manifests to compare, read from git (and the working tree for a side without commit). */
export interface DiffInputs {
  /** Manifests that may have changed, at the base. */
  base: SideText[];
  /** Manifests that may have changed, at the head. */
  head: SideText[];
  /** Every manifest path at each side, in or out of scope, changed or not. */
  basePaths: Set<string>;
  headPaths: Set<string>;
}

const isManifest = (file: string): boolean => posix.basename(file) === MANIFEST_FILENAME;

/**
 * Reads the manifests of both sides with a fixed number of git processes: one `ls-tree` a
 * side, one `ls-files` for the working tree, one `cat-file --batch` for every blob. A manifest
 * whose blob (or text) is the same at both sides cannot have changed and is left out. Outside
 * the scope, a manifest found at one side only is kept: a manifest in scope may have moved there.
 */
export async function readDiffInputs(
  git: Git,
  base: DiffSide & { commit: string },
  head: DiffSide,
  inScope: PathScope,
): Promise<DiffInputs> {
  const baseAll = await listTreeAt(git, base.commit, isManifest);
  const headAll: { path: string; oid?: string; text?: string; finding?: Finding }[] = head.commit
    ? await listTreeAt(git, head.commit, isManifest)
    : (await git.listFiles({ untracked: true, named: MANIFEST_FILENAME }))
        // not deleted in the working tree
        .filter((path) => {
          const abs = resolve(git.root, path);
          // kept when it cannot be looked at: reading it below says so, instead of calling it deleted
          return isManifest(path) && (statPath(abs)?.isFile ?? !missingFromWorkTree(abs));
        })
        .map((path) => ({ path }));
  const basePaths = new Set(baseAll.map((e) => e.path));
  const headPaths = new Set(headAll.map((h) => h.path));
  const baseTree = baseAll.filter((e) => inScope(e.path) || !headPaths.has(e.path));
  const headFiles = headAll.filter((h) => inScope(h.path) || !basePaths.has(h.path));
  for (const h of headFiles) {
    if (h.oid !== undefined) continue;
    // read as validate reads it: nothing outside the repository, no FIFO, capped
    const abs = resolve(git.root, h.path);
    const read = readManifestText({
      abs,
      file: h.path,
      scope: readScopeOf(abs, git.root, { repoRoot: git.root, trustedParents: true }),
    });
    if ('finding' in read) h.finding = read.finding;
    else h.text = read.text;
  }
  const baseOid = new Map(baseTree.map((e) => [e.path, e.oid]));
  const unchanged = new Set(
    headFiles
      .filter((h) => h.oid !== undefined && baseOid.get(h.path) === h.oid)
      .map((h) => h.path),
  );
  const blobs = await readBlobs(git, [
    ...baseTree.filter((e) => !unchanged.has(e.path)).map((e) => e.oid),
    ...headFiles.flatMap((h) => (h.oid !== undefined && !unchanged.has(h.path) ? [h.oid] : [])),
  ]);
  const baseText = new Map(
    baseTree.filter((e) => !unchanged.has(e.path)).map((e) => [e.path, blobs.get(e.oid) ?? '']),
  );
  for (const h of headFiles) {
    const text = h.text ?? (h.oid !== undefined ? blobs.get(h.oid) : undefined);
    if (h.oid === undefined && h.finding === undefined && baseText.get(h.path) === text)
      unchanged.add(h.path);
    h.text = text ?? '';
  }
  return {
    base: [...baseText]
      .filter(([path]) => !unchanged.has(path))
      .map(([path, text]) => ({ path, text })),
    head: headFiles
      .filter((h) => !unchanged.has(h.path))
      .map((h) => ({
        path: h.path,
        text: h.text ?? '',
        ...(h.finding ? { finding: h.finding } : {}),
      })),
    basePaths,
    headPaths,
  };
}
