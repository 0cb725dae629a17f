import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../core/manifest/limits.js';
import { readYaml } from '../core/manifest/reader.js';
import { GitError, InputError, UsageError } from '../errors.js';
import { SCHEMA_PATH } from './assets.js';
import { discoverManifests } from './discover.js';
import { findRepoRoot, isInside, statPath, toDisplayPath } from './fs.js';
import { readGitConfig } from './git.js';
import { realRepoRoot } from './manifest-file.js';
import { readInputFile } from './read.js';
import { lockForWrite, replaceFile, snapshotOf, writeError, writeFileAtomic } from './write.js';
import type { FileSnapshot } from './write.js';

/** Where `mlops init` writes. */
export interface InitTarget {
  dir: string;
  /** Absolute path of the mlops.yaml to write. */
  file: string;
  /** The file as the user sees it, relative to the working directory. */
  shown: string;
}

export const alreadyExists = (target: InitTarget): UsageError =>
  new UsageError(`${target.shown} already exists; it was left unchanged`, {
    hint: 'pass --force to overwrite it',
  });

/** The nearest folder that exists at or above `dir`. */
export function existingAncestor(dir: string): string {
  let current = dir;
  while (!statPath(current)?.isDirectory) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/**
 * Where the `$schema` line points. Inside a repository that holds the schema (the project's own
 * node_modules/mlops, or mlops' own checkout), a path relative to the manifest, so it resolves in
 * every clone; otherwise the installed package's absolute path, which resolves on this machine.
 */
export function schemaReference(targetDir: string): string {
  const root = findRepoRoot(existingAncestor(targetDir));
  const slashes = (p: string): string => p.split(sep).join('/');
  if (root) {
    for (let d = targetDir; isInside(root, d); d = dirname(d)) {
      const candidate = join(d, 'node_modules', 'mlops', 'schemas', basename(SCHEMA_PATH));
      if (statPath(candidate)?.isFile) return slashes(relative(targetDir, candidate));
      if (d === root) break;
    }
    if (isInside(root, SCHEMA_PATH)) return slashes(relative(targetDir, SCHEMA_PATH));
  }
  return slashes(SCHEMA_PATH);
}

/** `git config user.name`, or undefined (no git, no name, or not set): never an error. */
export function gitUserName(
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  return readGitConfig(cwd, 'user.name', env);
}

/**
 * `metadata.name` of every other manifest in the repository (name -> absolute path), read as
 * every command reads a manifest; one that does not validate still holds its name. `warn`
 * hears why the names could not be listed, when git fails.
 */
export async function namesInUse(
  target: InitTarget,
  cwd: string,
  warn: (message: string) => void,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const start = existingAncestor(target.dir);
  if (!findRepoRoot(start)) return names;
  let files: string[];
  try {
    files = (await discoverManifests([], start)).files;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    warn(
      `could not list the repository's manifests (${error.message}); names are not checked for duplicates`,
    );
    return names;
  }
  const realRoot = realRepoRoot(start);
  for (const other of files) {
    if (resolve(other) === target.file) continue;
    // never opened when it is a FIFO or a device, or leads out of the repository
    const read = readInputFile(other, {
      maxBytes: MAX_MANIFEST_BYTES,
      ...(realRoot ? { realRoot } : {}),
    });
    if (read.kind !== 'file') continue;
    const { data } = readYaml(read.bytes.toString('utf8'), toDisplayPath(cwd, other));
    const metadata = (data as { metadata?: { name?: unknown } } | undefined)?.metadata;
    if (typeof metadata?.name === 'string' && !names.has(metadata.name))
      names.set(metadata.name, other);
  }
  return names;
}

/** The mlops.yaml that `init --force` replaces, as it was when init started. */
export interface ExistingManifest {
  /** The file written, after a symlink inside the repository. */
  real: string;
  snapshot: FileSnapshot;
}

/**
 * What is at the target now: undefined when nothing is. An existing file is refused without
 * `force` (alreadyExists); anything but a regular file (a FIFO, a device, a folder, a symlink
 * that leads nowhere or out of the repository) is refused either way, unopened.
 */
export function existingManifest(target: InitTarget, force: boolean): ExistingManifest | undefined {
  let isLink = false;
  try {
    isLink = lstatSync(target.file).isSymbolicLink();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot look at ${target.shown}: ${code ?? String(error)}`, {
      hint: 'check the permissions of its folder',
    });
  }
  const realRoot = realRepoRoot(existingAncestor(target.dir));
  const read = readInputFile(target.file, {
    maxBytes: MAX_MANIFEST_BYTES * 16,
    ...(realRoot ? { realRoot } : {}),
  });
  const leftAlone = 'it was left unchanged';
  switch (read.kind) {
    case 'missing':
      // only a symlink can exist and lead nowhere
      throw new InputError(
        `${target.shown} is a symlink to a file that does not exist; ${leftAlone}`,
        {
          hint: `remove the symlink ${target.shown}, then run mlops init again`,
        },
      );
    case 'outside':
      throw new InputError(
        `${target.shown} leads outside the repository (to ${read.target}); ${leftAlone}`,
        { hint: `remove the symlink ${target.shown}, then run mlops init again` },
      );
    case 'not_a_file':
      throw new InputError(
        `${target.shown} exists and is ${isLink ? 'a symlink to ' : ''}a ${read.type}, not a file; ${leftAlone}`,
        { hint: `move ${target.shown} out of the way, then run mlops init again` },
      );
    default:
      break;
  }
  if (!force) throw alreadyExists(target);
  if (read.kind === 'unreadable') {
    throw new InputError(`cannot read ${target.shown} (${read.code}); ${leftAlone}`, {
      hint: 'check its permissions, or remove it, then run mlops init again',
    });
  }
  const real = read.kind === 'file' ? read.real : target.file;
  let snapshot: FileSnapshot | undefined;
  try {
    snapshot = snapshotOf(real, read.kind === 'file' ? Buffer.from(read.bytes) : undefined);
  } catch (error) {
    throw writeError(error, target.shown, real);
  }
  if (snapshot === undefined) throw changedDuringInit(target);
  return { real, snapshot };
}

const changedDuringInit = (target: InitTarget): InputError =>
  new InputError(`${target.shown} changed while mlops init was running; nothing was written`, {
    hint: 'run the command again',
  });

/**
 * Writes the new manifest. Without `existing`, a file is never replaced, even one created in
 * the meantime; with it (`--force`), the file is replaced only while it is still the version
 * `existing` saw, under the same lock as `mlops approve`. Failures are InputErrors; nothing
 * is left behind.
 */
export function writeNewManifest(
  target: InitTarget,
  text: string,
  force: boolean,
  existing?: ExistingManifest,
): void {
  if (existing) {
    const release = lockForWrite(existing.real, target.shown);
    try {
      if (!replaceFile(existing.real, text, existing.snapshot, target.shown))
        throw changedDuringInit(target);
    } finally {
      release();
    }
    return;
  }
  // Created only now that every answer is in, so a cancelled run leaves no empty folder.
  let created: string | undefined;
  try {
    created = mkdirSync(target.dir, { recursive: true });
  } catch (error) {
    throw writeError(error, target.shown);
  }
  try {
    writeFileAtomic(target.file, text, { overwrite: false, fsync: true });
  } catch (error) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw force ? changedDuringInit(target) : alreadyExists(target);
    throw writeError(error, target.shown, target.file);
  }
}
