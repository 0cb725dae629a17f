import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GitError, InputError, InternalError, UsageError } from '../errors.js';
import { TEMPLATES_DIR } from './assets.js';
import { findRepoRoot, isInside, statPath, toDisplayPath } from './fs.js';
import { createGit, runGitText } from './git.js';
import type { Git, GitEnvironment } from './git.js';
import { readInputFile } from './read.js';
import { existingAncestor, existingManifest, writeNewManifest } from './scaffold.js';
import type { ExistingManifest, InitTarget } from './scaffold.js';

/** Where `mlops init --ci` can write a pipeline. */
export const CI_PROVIDERS = ['github', 'gitlab'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

/** The GitHub workflow, from the repository's root. */
export const GITHUB_WORKFLOW = '.github/workflows/mlops.yml';
/** GitLab's pipeline file, and the file written beside one that is not mlops'. */
export const GITLAB_CI = '.gitlab-ci.yml';
export const GITLAB_INCLUDED = 'mlops.gitlab-ci.yml';

/** In the GitHub template, the branch whose pushes are checked: the default branch. */
const DEFAULT_BRANCH_MARK = '"__DEFAULT_BRANCH__"';

/** The most bytes of an existing pipeline file that are read to tell whether it is mlops'. */
const MAX_PIPELINE_BYTES = 4 * 1024 * 1024;

/** The CI file `mlops init --ci` writes, and what it found in the repository. */
export interface CiPlan {
  provider: CiProvider;
  /** The repository's top folder. */
  root: string;
  target: InitTarget;
  text: string;
  /** The file `--force` replaces, as it was when init started. */
  existing: ExistingManifest | undefined;
  /**
   * GitLab, when the repository has its own .gitlab-ci.yml: the file was written beside it, and
   * must be included from it. `included`: it already is; `hasInclude`: the file has an
   * `include:` key to add it to.
   */
  include?: { included: boolean; hasInclude: boolean };
  /** What the workflow needs that the repository does not have yet. */
  needsInstall: boolean;
  /** The default branch (GitHub: the branch whose pushes are checked). */
  defaultBranch: string;
}

/** A CI template as shipped with mlops. */
export function readCiTemplate(provider: CiProvider, dir: string = TEMPLATES_DIR): string {
  try {
    return readFileSync(join(dir, 'ci', `${provider}.yml`), 'utf8');
  } catch (cause) {
    throw new InternalError(`the ${provider} CI template cannot be read`, {
      cause,
      hint: 'reinstall mlops',
    });
  }
}

/**
 * Where the CI file of `provider` goes for the repository that holds `dir`, and its text. Refuses
 * (without writing anything) a folder outside any git repository, an existing file without
 * `force`, and, with or without it, anything at the target that is not a regular file or that
 * leads outside the repository.
 */
export async function planCiFile(
  provider: CiProvider,
  dir: string,
  cwd: string,
  force: boolean,
  env: GitEnvironment,
): Promise<CiPlan> {
  const git = await openRepository(dir, cwd, env);
  const root = logicalRoot(dir, git.root);
  const realRoot = realpathSync.native(root);
  const defaultBranch = await readDefaultBranch(git);
  let text = readCiTemplate(provider);
  let file: string;
  let include: CiPlan['include'];
  if (provider === 'github') {
    file = GITHUB_WORKFLOW;
    if (text.split(DEFAULT_BRANCH_MARK).length !== 2) {
      throw new InternalError('the github CI template has no single default-branch mark', {
        hint: 'reinstall mlops',
      });
    }
    text = text.replace(DEFAULT_BRANCH_MARK, JSON.stringify(branchFilter(defaultBranch)));
  } else {
    const own = readPipeline(join(root, GITLAB_CI), realRoot);
    if (own === undefined || isMlopsFile(own, text)) {
      file = GITLAB_CI;
    } else {
      file = GITLAB_INCLUDED;
      include = {
        included: own.kind === 'file' && own.text.includes(GITLAB_INCLUDED),
        hasInclude: own.kind === 'file' && /^include\s*:/m.test(own.text),
      };
    }
  }
  const abs = join(root, ...file.split('/'));
  const target: InitTarget = {
    dir: dirname(abs),
    file: abs,
    shown: toDisplayPath(cwd, abs),
  };
  assertInside(target, realRoot, cwd);
  const existing = existingManifest(target, force);
  return {
    provider,
    root,
    target,
    text,
    existing,
    ...(include ? { include } : {}),
    needsInstall: needsInstall(root, realRoot),
    defaultBranch,
  };
}

/** Writes the planned file: atomically, never over a file that appeared in the meantime. */
export function writeCiFile(plan: CiPlan, force: boolean): void {
  writeNewManifest(plan.target, plan.text, force, plan.existing);
}

async function openRepository(dir: string, cwd: string, env: GitEnvironment): Promise<Git> {
  try {
    return await createGit(dir, { env });
  } catch (error) {
    if (error instanceof GitError && error.kind === 'not-a-repository') {
      const shown = toDisplayPath(cwd, dir);
      throw new UsageError(
        `${shown === '.' ? 'this folder' : shown} is not in a git repository; the CI files go at the top of one`,
        {
          hint: `run \`git init\` in the repository's top folder first, or pass a folder inside a repository: mlops init --ci <github|gitlab> <dir>`,
        },
      );
    }
    throw error;
  }
}

/** The top folder as the user reaches it (through a symlinked parent, say), else git's. */
function logicalRoot(dir: string, gitRoot: string): string {
  const found = findRepoRoot(dir);
  if (found === undefined) return gitRoot;
  try {
    return realpathSync.native(found) === realpathSync.native(gitRoot) ? found : gitRoot;
  } catch {
    return gitRoot;
  }
}

/**
 * The repository's default branch: the one origin/HEAD names, else main or master when there
 * is one, else the branch checked out, else main.
 */
async function readDefaultBranch(git: Git): Promise<string> {
  const ask = async (args: string[]): Promise<string> => {
    try {
      return (await runGitText(git, args, { okStatus: [1] })).split('\n')[0]!.trim();
    } catch {
      return '';
    }
  };
  const origin = await ask(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (origin.startsWith('origin/') && origin.length > 'origin/'.length)
    return origin.slice('origin/'.length);
  const local = await ask([
    'for-each-ref',
    '--format=%(refname:short)',
    'refs/heads/main',
    'refs/heads/master',
  ]);
  if (local !== '') return local;
  return (await ask(['symbolic-ref', '--quiet', '--short', 'HEAD'])) || 'main';
}

/** A branch name as a GitHub branch filter that matches it alone. */
function branchFilter(branch: string): string {
  return branch.replace(/[*?+[\]!\\]/g, (c) => `\\${c}`);
}

type Pipeline = { kind: 'file'; text: string } | { kind: 'other' };

/** The repository's own pipeline file: undefined when there is none. Never opens a FIFO. */
function readPipeline(abs: string, realRoot: string): Pipeline | undefined {
  const read = readInputFile(abs, { realRoot, maxBytes: MAX_PIPELINE_BYTES });
  if (read.kind === 'missing' && read.link === undefined) return undefined;
  return read.kind === 'file'
    ? { kind: 'file', text: read.bytes.toString('utf8') }
    : { kind: 'other' };
}

/** A file mlops wrote: it starts with the template's first line. */
function isMlopsFile(pipeline: Pipeline, template: string): boolean {
  if (pipeline.kind !== 'file') return false;
  const firstLine = (s: string): string => s.slice(0, s.indexOf('\n'));
  return firstLine(pipeline.text) === firstLine(template);
}

/** Refuses a target whose folder leads out of the repository through a symlink. */
function assertInside(target: InitTarget, realRoot: string, cwd: string): void {
  const ancestor = existingAncestor(target.dir);
  let real: string;
  try {
    real = realpathSync.native(ancestor);
  } catch (error) {
    throw new InputError(
      `cannot look at ${toDisplayPath(cwd, ancestor)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; nothing was written`,
      { hint: 'check the permissions of the folder' },
    );
  }
  if (!isInside(realRoot, real)) {
    const shown = toDisplayPath(cwd, ancestor);
    throw new InputError(
      `${shown} leads outside the repository (to ${real}); ${target.shown} was not written`,
      { hint: `remove the symlink ${shown}, then run mlops init again` },
    );
  }
}

/** Whether `npm install --save-dev mlops` is still to be run for `npm ci` and `npx mlops`. */
function needsInstall(root: string, realRoot: string): boolean {
  if (!statPath(join(root, 'package-lock.json'))?.isFile) return true;
  const read = readInputFile(join(root, 'package.json'), { realRoot, maxBytes: 1024 * 1024 });
  if (read.kind !== 'file') return true;
  try {
    const pkg = JSON.parse(read.bytes.toString('utf8')) as Record<string, unknown>;
    const has = (key: string): boolean => {
      const deps = pkg[key];
      return deps !== null && typeof deps === 'object' && 'mlops' in deps;
    };
    return !(has('devDependencies') || has('dependencies'));
  } catch {
    return true;
  }
}
