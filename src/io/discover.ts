import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILENAME } from '../core/config.js';
import { InputError } from '../errors.js';
import {
  MANIFEST_FILENAME,
  findRepoRoot,
  isInside,
  statPath,
  toDisplayPath,
  walkForManifests,
} from './fs.js';
import { createGit } from './git.js';
import type { Git, GitEnvironment } from './git.js';

export interface Discovered {
  /** Absolute paths of the manifests, sorted, without duplicates. */
  files: string[];
  /** The git work tree, when the files were found through git. */
  git?: Git;
  /**
   * What discovery saw of config files and repositories, so their lookup needs no stat of its
   * own: a folder at or under one of `roots` holds a config file exactly when it is in `dirs`,
   * and a `.git` exactly when it is in `gitDirs`.
   */
  configs: { roots: string[]; dirs: Set<string>; gitDirs: Set<string> };
}

/** Options of `discoverManifests`. */
export interface DiscoverOptions {
  /** Fail (GitError) outside a git repository instead of walking folders. */
  requireGit?: boolean;
  /** The repository, when the caller has opened it already (implies `requireGit`). */
  git?: Git;
  /** The environment git runs with, over `process.env`. */
  env?: GitEnvironment;
}

/**
 * Finds manifests as cli.md says: the named files, `mlops.yaml` files under named folders, or
 * every `mlops.yaml` in the repository (tracked, or untracked and not ignored). Outside a git
 * repository folders are walked instead, unless `requireGit` is set.
 */
export async function discoverManifests(
  paths: readonly string[],
  cwd: string,
  options: DiscoverOptions = {},
): Promise<Discovered> {
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const st = statPath(abs);
    if (!st) {
      throw new InputError(`no such file or directory: ${p}`, {
        hint: 'check the path; with no paths, every mlops.yaml in the repository is used',
      });
    }
    if (st.isFile) files.add(abs);
    else dirs.push(abs);
  }
  // git is started (~40 ms) only when it has something to say: folders inside the repository
  // to search, or a caller needing it; folders outside it are walked either way
  let git: Git | undefined = options.git;
  const requireGit = options.requireGit === true || git !== undefined;
  // GIT_DIR names a repository that no `.git` on the way up may show: then git answers
  const gitDirSet = Boolean(options.env?.GIT_DIR ?? process.env.GIT_DIR);
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const wantsGit = (): boolean => {
    if (paths.length > 0 && dirs.length === 0) return false;
    if (gitDirSet) return true;
    const root = findRepoRoot(cwd);
    return (
      root !== undefined && (paths.length === 0 || dirs.some((d) => isInside(real(root), real(d))))
    );
  };
  if (!git && (requireGit || wantsGit())) {
    git = await createGit(cwd, options.env ? { env: options.env } : {});
  }
  if (paths.length === 0) dirs.push(git ? git.root : cwd);
  const configs = { roots: [...dirs], dirs: new Set<string>(), gitDirs: new Set<string>() };
  if (dirs.length > 0) {
    if (git) {
      const inRepo = dirs.filter((d) => isInside(git.root, d));
      for (const d of dirs.filter((d) => !isInside(git.root, d)))
        walkForManifests(d, configs).forEach((f) => files.add(f));
      if (inRepo.length > 0) {
        const under = inRepo.map((d) => toDisplayPath(git.root, d));
        for (const f of await git.listFiles({
          untracked: true,
          named: [MANIFEST_FILENAME, CONFIG_FILENAME],
          under,
        })) {
          const abs = join(git.root, f);
          if (!existsSync(abs)) continue;
          if (f === CONFIG_FILENAME || f.endsWith(`/${CONFIG_FILENAME}`))
            configs.dirs.add(dirname(abs));
          else files.add(abs);
        }
      }
    } else {
      for (const d of dirs) walkForManifests(d, configs).forEach((f) => files.add(f));
    }
  }
  return { files: [...files].sort(), ...(git ? { git } : {}), configs };
}
