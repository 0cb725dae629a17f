import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILENAME } from '../core/config.js';
import { InputError } from '../errors.js';

export const MANIFEST_FILENAME = 'mlops.yaml';

/** Forward-slash path relative to `from`, as users see it in output and in git. */
export function toDisplayPath(from: string, abs: string): string {
  // the common case, a path under `from`, without path.relative (~8 us a call)
  if (
    abs.length > from.length + 1 &&
    abs.startsWith(from) &&
    abs[from.length] === sep &&
    isAbsolute(from) &&
    !abs.includes(`${sep}.`) &&
    !abs.includes(sep + sep)
  ) {
    const rel = abs.slice(from.length + 1);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }
  const rel = relative(from, abs);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** True when `child` is `parent` or lies inside it (after resolving `..`). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** Walks `dir` for manifests, skipping node_modules and dot-folders. Sorted output. */
export function walkForManifests(
  dir: string,
  seen?: { dirs: Set<string>; gitDirs: Set<string> },
): string[] {
  const out: string[] = [];
  const stack = [dir];
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
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (entry.name === '.git') seen?.gitDirs.add(current);
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        stack.push(join(current, entry.name));
      } else if (entry.name === MANIFEST_FILENAME && (entry.isFile() || entry.isSymbolicLink())) {
        out.push(join(current, entry.name));
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

/** A text file's content; a missing or unreadable file is an InputError naming it as `shown`. */
export function readTextFile(abs: string, shown: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${shown}`, {
      cause,
      hint: 'check that the file exists and is readable',
    });
  }
}

/**
 * A text file's content, or only its size when that is over `maxBytes`: a file that large is
 * refused unread. Missing or unreadable: an InputError naming it as `shown`.
 */
export function readTextFileUpTo(
  abs: string,
  shown: string,
  maxBytes: number,
): { text: string } | { size: number } {
  const size = statPath(abs)?.size ?? 0;
  return size > maxBytes ? { size } : { text: readTextFile(abs, shown) };
}

export interface StatInfo {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
}

export function statPath(path: string): StatInfo | undefined {
  try {
    const s = statSync(path);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size };
  } catch {
    return undefined;
  }
}
