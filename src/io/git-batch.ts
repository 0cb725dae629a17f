import { isUtf8 } from 'node:buffer';
import { GitError } from '../errors.js';
import { notUtf8Error, runGit, splitZBytes } from './git.js';
import type { Git } from './git.js';

/** A file in a commit's tree. */
export interface TreeEntry {
  /** Repository-relative, forward slashes. */
  path: string;
  /** The blob's object name. */
  oid: string;
}

/**
 * The regular files of a commit (symlinks and submodules left out) that `keep` accepts, from
 * one `git ls-tree` call. `commit` should be a resolved object name (see `Git.resolveRev`).
 * Paths are read as bytes: one that `keep` accepts but that is not valid UTF-8 is an
 * InputError naming it, never a path silently changed.
 */
export async function listTreeAt(
  git: Git,
  commit: string,
  keep: (path: string) => boolean = () => true,
): Promise<TreeEntry[]> {
  const out = await runGit(git, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of splitZBytes(out)) {
    // "<mode> SP <type> SP <object> TAB <path>"
    const tab = record.indexOf(0x09);
    if (tab < 0) continue;
    const [mode, type, oid] = record.toString('latin1', 0, tab).split(' ');
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || !oid) continue;
    const bytes = record.subarray(tab + 1);
    const path = bytes.toString('utf8');
    if (!keep(path)) continue;
    if (!isUtf8(bytes)) throw notUtf8Error(bytes);
    entries.push({ path, oid });
  }
  return entries;
}

/** One object of `git cat-file --batch` output; `content` is absent for a missing object. */
export interface BatchObject {
  type: string;
  content?: Buffer;
}

/**
 * Reads objects through one `git cat-file --batch` process: one process for a thousand files
 * instead of a thousand. The names are object names (no path, so no separator can clash).
 */
export async function catFileBatch(git: Git, names: readonly string[]): Promise<BatchObject[]> {
  if (names.length === 0) return [];
  const output = await runGit(git, ['cat-file', '--batch'], { input: `${names.join('\n')}\n` });
  const objects: BatchObject[] = [];
  let pos = 0;
  for (const name of names) {
    const eol = output.indexOf(0x0a, pos);
    if (eol < 0) throw new GitError(`git cat-file ended early, before ${name}`);
    const [, type = 'unreadable', size] = output.toString('utf8', pos, eol).split(' ');
    if (size === undefined) {
      // "<name> missing" or "<name> ambiguous": no content follows
      objects.push({ type });
      pos = eol + 1;
      continue;
    }
    const start = eol + 1;
    const end = start + Number(size);
    objects.push({ type, content: output.subarray(start, end) });
    pos = end + 1;
  }
  return objects;
}

/**
 * Reads many blobs through one `git cat-file --batch` process. Returns the contents by object
 * name, decoded as UTF-8. Unknown objects and git failures are GitError.
 */
export async function readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(oids)];
  const result = new Map<string, string>();
  const objects = await catFileBatch(git, wanted);
  wanted.forEach((oid, i) => {
    const object = objects[i]!;
    if (object.content === undefined) {
      throw new GitError(`git object ${oid} is ${object.type}`, {
        hint: 'the repository may be incomplete (a shallow or partial clone); fetch the missing history',
      });
    }
    result.set(oid, object.content.toString('utf8'));
  });
  return result;
}
