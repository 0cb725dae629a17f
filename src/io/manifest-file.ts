import { readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../core/manifest/limits.js';
import { suggest } from '../core/suggest.js';
import { InputError } from '../errors.js';
import {
  MANIFEST_FILENAME,
  entryExists,
  findRepoRoot,
  isInside,
  statPath,
  toDisplayPath,
} from './fs.js';
import { createGit } from './git.js';
import type { GitEnvironment } from './git.js';
import { readInputFile, readScopeOf } from './read.js';
import type { ReadResult } from './read.js';
import { lockForWrite, replaceFile, snapshotOf, writeError } from './write.js';
import type { FileSnapshot } from './write.js';

/**
 * Whether a text says it is a manifest: a `kind: ModelManifest` key, in block or flow style,
 * quoted or not. Looked for in the text rather than the data, so that a manifest that does not
 * parse is still taken for one, and its findings are reported.
 */
const DECLARES = /(?:^|[\s{,])(["']?)kind\1[ \t]*:[ \t]*(["']?)ModelManifest\2(?=[\s,}#]|$)/m;

/** Whether `text` says it is a manifest (see DECLARES), whatever its file is named. */
export function declaresManifest(text: string): boolean {
  return DECLARES.test(text);
}

/** A manifest opened for one edit, locked against other mlops processes until `release`. */
export interface ManifestEdit {
  /** The text as read under the lock. */
  text: string;
  /**
   * Replaces the manifest with `text` in one step (through a symlink, to the file it leads
   * to), keeping its mode, unless the file changed since it was read: then an InputError
   * saying so, and nothing is written.
   */
  replace(text: string): void;
  /** Releases the lock; call it whatever happened. */
  release(): void;
}

/** The repository's root as a real path, when `dir` is inside one. */
export function realRepoRoot(dir: string): string | undefined {
  const root = findRepoRoot(dir);
  if (root === undefined) return undefined;
  try {
    return realpathSync.native(root);
  } catch {
    return undefined;
  }
}

/** Why a read of the manifest `shown` gave no file to edit. */
function refusal(read: Exclude<ReadResult, { kind: 'file' }>, shown: string): InputError {
  switch (read.kind) {
    case 'missing':
      return new InputError(
        read.link !== undefined
          ? `${shown} is a symlink to ${read.link}, which does not exist; it was left unchanged`
          : `no such manifest: ${shown}`,
        { hint: 'pass the path of an mlops.yaml, or of the folder holding it' },
      );
    case 'outside':
      return new InputError(
        `${shown} leads outside the repository (to ${read.target}); it was left unchanged`,
        {
          hint: `run the command on ${read.target} in its own repository, or replace the symlink with the file`,
        },
      );
    case 'not_a_file':
      return new InputError(`${shown} is a ${read.type}, not a file; nothing was written`, {
        hint: 'pass the path of an mlops.yaml, or of the folder holding it',
      });
    case 'too_large':
      return new InputError(`${shown} is over 1 MiB; it is not a manifest mlops can edit`, {
        hint: 'a manifest is a few kilobytes: check that this is the right file',
      });
    case 'unreadable':
      return new InputError(
        `cannot read ${shown}: ${read.code === 'EACCES' || read.code === 'EPERM' ? 'permission denied' : read.code}`,
        { hint: 'check that the file exists and is readable' },
      );
  }
}

/**
 * Opens the manifest at `abs` (`shown` as the user sees it) for an edit, under the lock of the
 * file it leads to. A symlink is followed inside the repository and refused when it leads out
 * of it; a FIFO, device or folder is refused unopened. `action` completes "changed while ...".
 * With `cwd`, the folder the command runs in, the repository is the one `validate` reads the
 * file in: the one around `cwd` when the path lies in it, so that a symlinked folder leading
 * into another repository is outside, as it is for `validate`.
 */
export function openManifestForEdit(
  abs: string,
  shown: string,
  action: string,
  cwd?: string,
): ManifestEdit {
  const realRoot = editRoot(abs, cwd);
  const options = { maxBytes: MAX_MANIFEST_BYTES, ...(realRoot ? { realRoot } : {}) };
  // a first look only finds the file to lock; it is read again, under the lock
  const first = readInputFile(abs, options);
  if (first.kind !== 'file') throw refusal(first, shown);
  const release = lockForWrite(first.real, shown);
  try {
    const read = readInputFile(abs, options);
    if (read.kind !== 'file') throw refusal(read, shown);
    const changed = (): InputError =>
      new InputError(`${shown} changed while ${action}; nothing was written`, {
        hint: 'run the command again',
      });
    if (read.real !== first.real) throw changed();
    // bytes are kept, not decoded and encoded again: text that is not UTF-8 would not survive
    const bytes = Buffer.from(read.bytes);
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) {
      throw new InputError(`${shown} is not valid UTF-8 text; it was left unchanged`, {
        hint: 'save the file as UTF-8, then run the command again',
      });
    }
    let snapshot: FileSnapshot | undefined;
    try {
      snapshot = snapshotOf(read.real, bytes);
    } catch (error) {
      throw writeError(error, shown, read.real);
    }
    if (snapshot === undefined) throw changed();
    const expected = snapshot;
    return {
      text,
      replace(edited: string): void {
        if (!replaceFile(read.real, Buffer.from(edited, 'utf8'), expected, shown)) throw changed();
      },
      release,
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** The real path nothing of the edit may lie outside of: the repository of the file, if any. */
function editRoot(abs: string, cwd: string | undefined): string | undefined {
  if (cwd === undefined) return realRepoRoot(dirname(abs));
  const scope = readScopeOf(abs, resolve(cwd));
  return scope.within === 'repository' ? scope.realRoot : undefined;
}

/** Options of `manifestOfArgument`. */
export interface ArgumentOptions {
  /** The folder the command runs in; paths are shown relative to it. */
  cwd: string;
  /** The environment git runs with, over `process.env`. */
  env?: GitEnvironment;
  /** The command that approves `path` (shown relative to `cwd`), as a hint spells it. */
  commandFor: (path: string) => string;
  /** The command that creates a manifest in the folder `dir`, as a hint spells it. */
  initFor: (dir: string) => string;
}

/**
 * The manifest a command that edits one is given `arg` for: the file named, or the
 * `mlops.yaml` of the folder named (a path whose own name is `mlops.yaml` is always the file).
 * A folder without one, and a path where nothing is, are InputErrors naming the path and what
 * to do: the manifests under the folder, the nearest manifest of the repository to a path
 * that is not there, or `mlops init`. The file itself is not opened here.
 */
export async function manifestOfArgument(
  arg: string,
  options: ArgumentOptions,
): Promise<{ abs: string; shown: string }> {
  const cwd = resolve(options.cwd);
  const abs = resolve(cwd, arg);
  const shown = toDisplayPath(cwd, abs);
  const st = statPath(abs);
  if (st?.isDirectory && basename(abs) !== MANIFEST_FILENAME) {
    const file = join(abs, MANIFEST_FILENAME);
    // a symlink there counts: opening it says where it leads
    if (entryExists(file)) return { abs: file, shown: toDisplayPath(cwd, file) };
    throw await folderWithoutManifest(abs, shown, cwd, options);
  }
  // a file, or something there that cannot be looked at: opening it says what it is
  if (st !== undefined || entryExists(abs)) return { abs, shown };
  const manifests = await manifestsNear(abs, cwd, options.env);
  const near = nearestManifestPath(shown, manifests, { ancestors: false });
  throw new InputError(
    `no such file or folder: ${shown}${near === undefined ? '' : ` (did you mean "${near}"?)`}`,
    {
      hint:
        near === undefined
          ? `pass a manifest or the folder holding it; to start one there: \`${options.initFor(/\.ya?ml$/i.test(shown) ? posix.dirname(shown) : shown)}\``
          : `run \`${options.commandFor(near)}\``,
    },
  );
}

/** The refusal of a folder that holds no `mlops.yaml` of its own. */
async function folderWithoutManifest(
  abs: string,
  shown: string,
  cwd: string,
  options: ArgumentOptions,
): Promise<InputError> {
  // the manifests further down, when it is a folder of model folders
  const under = (await manifestsNear(join(abs, MANIFEST_FILENAME), cwd, options.env)).filter((m) =>
    isInside(abs, resolve(cwd, m)),
  );
  const folders = under.map((m) => posix.dirname(m));
  // a manifest of another name in the folder itself
  const own = ownManifests(abs, cwd);
  if (own.length === 1 || (own.length > 1 && folders.length === 0)) {
    return new InputError(
      `${shown} holds no ${MANIFEST_FILENAME}; ${own.length === 1 ? 'its manifest is' : 'the manifests in it are'} ${own.slice(0, 3).join(', ')}${own.length > 3 ? ', ...' : ''}`,
      { hint: `name the file: \`${options.commandFor(own[0]!)}\`` },
    );
  }
  if (folders.length === 0) {
    return new InputError(`${shown} is a folder with no ${MANIFEST_FILENAME} in it`, {
      hint: `create one with \`${options.initFor(shown)}\`, or pass the folder of an existing manifest`,
    });
  }
  const listed = folders.slice(0, 3).join(', ') + (folders.length > 3 ? ', ...' : '');
  return new InputError(
    `${shown} holds no ${MANIFEST_FILENAME} of its own; ${folders.length === 1 ? 'one manifest is' : `${folders.length} manifests are`} in folders under it: ${listed}`,
    {
      hint:
        folders.length === 1
          ? `run \`${options.commandFor(folders[0]!)}\``
          : `pass one of those folders: \`${options.commandFor(folders[0]!)}\``,
    },
  );
}

/**
 * The files of the folder `dir` with a YAML name that say they are a manifest, relative to
 * `cwd`: read as the file to approve is (regular files at most 1 MiB, nothing outside the
 * repository), and only the folder itself, not below it.
 */
function ownManifests(dir: string, cwd: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n));
  } catch {
    return [];
  }
  const realRoot = editRoot(join(dir, MANIFEST_FILENAME), cwd);
  const found: string[] = [];
  for (const name of names.sort()) {
    const abs = join(dir, name);
    const read = readInputFile(abs, {
      maxBytes: MAX_MANIFEST_BYTES,
      ...(realRoot !== undefined ? { realRoot } : {}),
    });
    if (read.kind === 'file' && declaresManifest(read.bytes.toString('utf8')))
      found.push(toDisplayPath(cwd, abs));
  }
  return found;
}

/**
 * The manifests a path that names nothing may have meant, relative to `cwd` with `/`: every
 * `mlops.yaml` of the repository holding the nearest existing folder above `abs` (tracked, or
 * untracked and not ignored), or, outside a repository, those of that folder and of the
 * folders right inside it (so that no large tree is walked to answer a typo).
 */
async function manifestsNear(abs: string, cwd: string, env?: GitEnvironment): Promise<string[]> {
  let dir = dirname(abs);
  while (!statPath(dir)?.isDirectory && dirname(dir) !== dir) dir = dirname(dir);
  const root = findRepoRoot(dir);
  const found: string[] = [];
  if (root !== undefined) {
    try {
      const git = await createGit(dir, env ? { env } : {});
      for (const f of await git.listFiles({ untracked: true, named: MANIFEST_FILENAME }))
        found.push(join(git.root, f));
    } catch {
      // no suggestion then: the error about the path stands on its own
    }
  } else {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      // an unreadable folder: no suggestion
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (name === MANIFEST_FILENAME) found.push(path);
      else if (!name.startsWith('.') && name !== 'node_modules' && statPath(path)?.isDirectory)
        if (entryExists(join(path, MANIFEST_FILENAME))) found.push(join(path, MANIFEST_FILENAME));
    }
  }
  return found.map((f) => toDisplayPath(cwd, f)).sort();
}

/**
 * The manifest file or folder nearest to `input`, a path that names none of them, among
 * `manifests` (paths of manifest files, written as `input` is: relative to the same folder,
 * with `/`). In order: a likely typo of one of them or of its folder (with `ancestors`, of any
 * folder above a manifest too); the deepest manifest folder that holds `input`; the manifest
 * folder whose own name is, or is a likely typo of, the last name in `input`, when just one is.
 */
export function nearestManifestPath(
  input: string,
  manifests: readonly string[],
  options: { ancestors: boolean },
): string | undefined {
  const clean = input.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return undefined;
  const isFolder = (d: string): boolean => d !== '.' && d !== '/' && !/(?:^|\/)\.\.$/.test(d);
  const own = new Set<string>();
  const folders = new Set<string>();
  for (const m of manifests) {
    let d = posix.dirname(m);
    if (!isFolder(d)) continue;
    own.add(d);
    do {
      folders.add(d);
      d = posix.dirname(d);
    } while (options.ancestors && isFolder(d));
  }
  const typo = suggest(clean, [...manifests, ...folders]);
  if (typo !== undefined) return typo;
  let holder: string | undefined;
  for (const d of own) {
    if (clean.startsWith(`${d}/`) && (holder === undefined || d.length > holder.length)) holder = d;
  }
  if (holder !== undefined) return holder;
  const name = posix.basename(clean);
  const byName = new Map<string, string[]>();
  for (const d of own) {
    const base = posix.basename(d);
    byName.set(base, [...(byName.get(base) ?? []), d]);
  }
  const exact = byName.get(name);
  if (exact !== undefined) return exact.length === 1 ? exact[0] : undefined;
  const near = suggest(name, byName.keys());
  const matches = near === undefined ? undefined : byName.get(near);
  return matches?.length === 1 ? matches[0] : undefined;
}
