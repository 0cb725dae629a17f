import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../core/manifest/limits.js';
import { readYaml } from '../core/manifest/reader.js';
import { GitError, UsageError } from '../errors.js';
import { SCHEMA_PATH } from './assets.js';
import { discoverManifests } from './discover.js';
import { findRepoRoot, isInside, statPath, toDisplayPath } from './fs.js';
import { writeFileAtomic } from './write.js';
import { readGitConfig } from './git.js';

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
  for (const other of files) {
    if (resolve(other) === target.file || (statPath(other)?.size ?? 0) > MAX_MANIFEST_BYTES)
      continue;
    let text: string;
    try {
      text = readFileSync(other, 'utf8');
    } catch {
      continue;
    }
    const { data } = readYaml(text, toDisplayPath(cwd, other));
    const metadata = (data as { metadata?: { name?: unknown } } | undefined)?.metadata;
    if (typeof metadata?.name === 'string' && !names.has(metadata.name))
      names.set(metadata.name, other);
  }
  return names;
}

/** Writes the new manifest; without `force` an existing one is never replaced. */
export function writeNewManifest(target: InitTarget, text: string, force: boolean): void {
  // Created only now that every answer is in, so a cancelled run leaves no empty folder.
  const created = mkdirSync(target.dir, { recursive: true });
  try {
    writeFileAtomic(target.file, text, { overwrite: force });
  } catch (error) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(target);
    throw error;
  }
}
