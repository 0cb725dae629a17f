import { existsSync, realpathSync, statSync } from 'node:fs';
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
  /**
   * When every file was found by walking folders (no git, no file named): the manifests the
   * walk saw as something other than a regular file (a link, a pipe), usually none. Every other
   * file was a regular file when the walk listed it, and is opened without a look of its own
   * (see ReadOptions.regular).
   */
  notRegular?: ReadonlySet<string>;
}

/** Options of `discoverManifests`. */
export interface DiscoverOptions {
  /**
   * Fail (GitError) outside a git repository instead of walking folders: the caller judges the
   * manifests against this repository's history, so a path given inside a submodule (or any
   * repository of its own within this one) is an InputError saying to run mlops there.
   */
  requireGit?: boolean;
  /** The repository, when the caller has opened it already (implies `requireGit`). */
  git?: Git;
  /** The environment git runs with, over `process.env`. */
  env?: GitEnvironment;
  /** Told of each manifest a walk of folders finds, as it finds it. */
  found?: () => void;
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
    if (!st && missingFromWorkTree(abs)) {
      throw new InputError(`no such file or directory: ${p}`, {
        hint: 'check the path; with no paths, every mlops.yaml in the repository is used',
      });
    }
    // a path that exists but cannot be looked at (a folder above it unreadable) is passed on:
    // reading it says what is wrong, naming the file
    if (!st || st.isFile) files.add(abs);
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
  const hasGit = new Map<string, boolean>();
  const nestedRepositories = (root: string, dir: string): string[] => {
    // from `root` (excluded) down to `dir` (included), the folders holding a `.git`: submodules
    // and other repositories of their own inside the one at `root`, outermost first
    const found: string[] = [];
    for (let d = dir; d !== root && isInside(root, d); d = dirname(d)) {
      let has = hasGit.get(d);
      if (has === undefined) hasGit.set(d, (has = existsSync(join(d, '.git'))));
      if (has) found.unshift(d);
    }
    return found;
  };
  if (git && requireGit) {
    for (const abs of [...files, ...dirs]) {
      const nested = nestedRepositories(git.root, files.has(abs) ? dirname(abs) : abs)[0];
      if (nested !== undefined) throw nestedRepositoryError(cwd, abs, nested);
    }
  }
  if (dirs.length > 0) {
    if (git) {
      // a folder inside a submodule is listed by the submodule's own repository, since the
      // one around it sees the submodule as a single entry
      const byRepository = new Map<string, string[]>();
      for (const d of dirs) {
        if (!isInside(git.root, d)) {
          walkForManifests(d, configs, options.found).forEach((f) => files.add(f));
          continue;
        }
        const owner = nestedRepositories(git.root, d).at(-1) ?? '';
        byRepository.set(owner, [...(byRepository.get(owner) ?? []), d]);
      }
      for (const [owner, inRepo] of byRepository) {
        const repo =
          owner === ''
            ? git
            : await createGit(owner, {
                env: { ...options.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined },
              });
        const under = inRepo.map((d) => toDisplayPath(repo.root, d));
        for (const f of await repo.listFiles({
          untracked: true,
          named: [MANIFEST_FILENAME, CONFIG_FILENAME],
          under,
        })) {
          const abs = join(repo.root, f);
          // deleted in the work tree; one that exists but cannot be looked at is kept
          if (missingFromWorkTree(abs)) continue;
          if (f === CONFIG_FILENAME || f.endsWith(`/${CONFIG_FILENAME}`))
            configs.dirs.add(dirname(abs));
          else files.add(abs);
        }
      }
    } else {
      const walkedAll = files.size === 0;
      const notRegular = new Set<string>();
      const seen = { ...configs, notRegular };
      if (walkedAll && dirs.length === 1) {
        // one folder walked: its list is already sorted, and has each file once
        const walked = walkForManifests(dirs[0]!, seen, options.found);
        return { files: walked, configs, notRegular };
      }
      for (const d of dirs) walkForManifests(d, seen, options.found).forEach((f) => files.add(f));
      if (walkedAll) return { files: [...files].sort(), configs, notRegular };
    }
  }
  return { files: [...files].sort(), ...(git ? { git } : {}), configs };
}

/**
 * Whether a path git lists (or the user names) is missing from the work tree: it or a folder
 * above it is not there. Any other failure to look at it (a folder above it that cannot be
 * searched, a symlink loop) is not "missing": the file is passed on, and reading it reports
 * what is wrong, naming it, instead of the file being skipped as if deleted.
 */
export function missingFromWorkTree(abs: string): boolean {
  try {
    // undefined for ENOENT, without the cost of an exception
    return statSync(abs, { throwIfNoEntry: false }) === undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}

function nestedRepositoryError(cwd: string, abs: string, nested: string): InputError {
  const shown = toDisplayPath(cwd, nested);
  const where = abs === nested ? '' : `${toDisplayPath(cwd, abs)}: `;
  return new InputError(
    `${where}${shown} is a submodule (a git repository of its own): its manifests and evidence are committed there, not in the repository around it`,
    { hint: `run mlops inside the submodule: cd ${shown}` },
  );
}
