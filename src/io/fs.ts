import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILENAME } from '../core/config.js';
import { InputError } from '../errors.js';
import { SEP_DOT, SEP_SEP } from './read.js';

export { isInside } from './read.js';

export const MANIFEST_FILENAME = 'mlops.yaml';

/** Forward-slash path relative to `from`, as users see it in output and in git. */
export function toDisplayPath(from: string, abs: string): string {
  // the common case, a path under `from`, without path.relative (~8 us a call)
  const rest = restUnder(from, abs);
  if (rest !== undefined) return rest;
  const rel = relative(from, abs);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/**
 * `toDisplayPath` of each of `paths` (absolute): path.relative runs once, for the deepest
 * folder holding them all, rather than once a path (~10 us each, 100 ms at 10,000 paths
 * outside the working folder). The same answers as `toDisplayPath`, path by path.
 */
export function toDisplayPaths(from: string, paths: readonly string[]): string[] {
  let base: { dir: string; rel: string } | undefined;
  return paths.map((abs) => {
    const under = restUnder(from, abs);
    if (under !== undefined) return under;
    if (base === undefined) {
      const dir = commonFolder(paths);
      const rel = relative(from, dir);
      base = { dir: dir.endsWith(sep) ? dir.slice(0, -1) : dir, rel: rel.split(sep).join('/') };
    }
    const rest = base.rel === '' ? undefined : restUnder(base.dir, abs);
    return rest !== undefined ? `${base.rel}/${rest}` : toDisplayPath(from, abs);
  });
}

/**
 * The deepest folder holding every one of `paths` (absolute and normalized, as discovery gives
 * them; at least one), found by prefix tests alone.
 */
export function commonFolder(paths: readonly string[]): string {
  let dir = dirname(paths[0]!);
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i]!;
    while (!(p.startsWith(dir) && (dir.endsWith(sep) || p[dir.length] === sep))) {
      const up = dirname(dir);
      if (up === dir) return dir;
      dir = up;
    }
  }
  return dir;
}

/**
 * The forward-slash rest of `abs` below the folder `from`, when `abs` lies strictly under it
 * and no `.` or `..` segment, doubled or trailing separator could make slicing it differ
 * from path.relative.
 */
function restUnder(from: string, abs: string): string | undefined {
  if (
    abs.length > from.length + 1 &&
    abs.startsWith(from) &&
    abs[from.length] === sep &&
    isAbsolute(from) &&
    !abs.includes(SEP_DOT) &&
    !abs.includes(SEP_SEP) &&
    !abs.endsWith(sep)
  ) {
    const rel = abs.slice(from.length + 1);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }
  return undefined;
}

/**
 * Walks `dir` for manifests, skipping node_modules and dot-folders, and never entering a
 * symlinked folder. Every entry named mlops.yaml that is not a folder is listed, a symlink or
 * a FIFO too: reading it says what is wrong with it, so that none is skipped unseen. Sorted.
 */
export function walkForManifests(
  dir: string,
  seen?: { dirs: Set<string>; gitDirs: Set<string>; notRegular?: Set<string> },
  found?: () => void,
): string[] {
  const out: string[] = [];
  const stack = [resolve(dir)];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (cause) {
      throw new InputError(`cannot read directory ${current}`, {
        cause,
        hint: 'check the path and its permissions',
      });
    }
    // path.join normalizes each time: a folder read from disk and a name it holds need only a
    // separator between them, added once per folder
    const prefix = current.endsWith(sep) ? current : current + sep;
    // indexed: a for-of allocates a result object per entry until the loop is optimized, and a
    // run that lists 10,000 folders ends before it is
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      // a Dirent tells a symlink from a folder without following it
      if (entry.isDirectory()) {
        if (entry.name === '.git') seen?.gitDirs.add(current);
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        stack.push(prefix + entry.name);
      } else if (entry.name === MANIFEST_FILENAME) {
        out.push(prefix + entry.name);
        if (!entry.isFile()) seen?.notRegular?.add(prefix + entry.name);
        found?.();
      } else if (entry.name === CONFIG_FILENAME) {
        seen?.dirs.add(current);
      } else if (entry.name === '.git') {
        seen?.gitDirs.add(current); // a worktree's or submodule's .git file
      }
    }
  }
  return out.sort();
}

/** Finds the enclosing git work tree by looking for `.git`, without starting git. */
export function findRepoRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface StatInfo {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
}

/** What is at `path`, following symlinks; never opens it. Undefined when nothing is there. */
export function statPath(path: string): StatInfo | undefined {
  try {
    const s = statSync(path);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size };
  } catch {
    return undefined;
  }
}

/**
 * Whether anything is at `path`, without following a symlink or opening it: a dangling link, a
 * FIFO or a file in a folder that cannot be searched (EACCES) all count, so that reading it
 * says what is wrong rather than taking it for deleted.
 */
export function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}
