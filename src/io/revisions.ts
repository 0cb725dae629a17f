import { resolve } from 'node:path';
import type { DiffSide } from '../core/diff.js';
import { GitError, UsageError } from '../errors.js';
import { statPath } from './fs.js';
import { createGit } from './git.js';
import type { Git, GitEnvironment } from './git.js';

/**
 * Opens the repository around `cwd` for a command that needs one. When there is none, `hint`
 * says what the command needs instead; git's other refusals (dubious ownership) keep their hint.
 */
export async function openRepository(
  cwd: string,
  options: { env?: GitEnvironment; hint: string },
): Promise<Git> {
  try {
    return await createGit(cwd, options.env ? { env: options.env } : {});
  } catch (error) {
    if (!(error instanceof GitError) || error.kind !== 'not-a-repository') throw error;
    throw new GitError(error.message, {
      cause: error,
      kind: error.kind,
      ...(error.gitMessage ? { gitMessage: error.gitMessage } : {}),
      hint: options.hint,
    });
  }
}

export const SHALLOW_HINT =
  'this is a shallow clone: fetch more history with `git fetch --deepen=100` (repeat as needed) or `git fetch --unshallow`; in CI, check out with full history (actions/checkout: fetch-depth: 0)';

/** How hints spell a command: `mlops` or `npx mlops` (see CommandContext.invokedAs). */
export interface Spelled {
  invokedAs: string;
}

/** A path or revision as one shell argument, as it can be pasted. */
function shellArg(s: string): string {
  return /^[\w./@:+=,^~-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * Resolves a revision the user gave; in a shallow clone, says how to fetch what is missing.
 * `revisions` are all the user gave: when `rev` is a path, the hint moves it after `--`.
 */
async function resolveCommit(
  git: Git,
  rev: string,
  cwd: string,
  revisions: readonly string[],
  how: Spelled,
): Promise<string> {
  try {
    return await git.resolveRev(rev);
  } catch (error) {
    if (!(error instanceof GitError) || error.kind !== 'unknown-revision' || rev.startsWith('-'))
      throw error;
    if (git.shallow) {
      throw new GitError(`revision "${rev}" is not in this shallow clone`, {
        cause: error,
        kind: error.kind,
        hint: SHALLOW_HINT,
      });
    }
    if (statPath(resolve(cwd, rev))) {
      // the revisions the user gave, less this path (in a range, where base and head go)
      const others = revisions.includes(rev)
        ? revisions.filter((r) => r !== rev).map(shellArg)
        : ['<base>', '[head]'];
      throw new GitError(error.message, {
        cause: error,
        kind: error.kind,
        hint: `to limit the diff to a path, put it after --: \`${[how.invokedAs, 'diff', ...others, '--', shellArg(rev)].join(' ')}\``,
      });
    }
    throw error;
  }
}

async function mergeBase(
  git: Git,
  a: string,
  b: string,
  what: string,
  how: Spelled,
): Promise<string> {
  let base: string | undefined;
  try {
    base = await git.mergeBase(a, b);
  } catch (error) {
    // a shallow clone may lack the objects merge-base walks through: fetching more helps
    if (!git.shallow) throw error;
  }
  if (base !== undefined) return base;
  if (git.shallow) {
    throw new GitError(`${what} have no common commit in this shallow clone`, {
      kind: 'no-common-history',
      hint: SHALLOW_HINT,
    });
  }
  throw new GitError(`${what} have no common history`, {
    kind: 'no-common-history',
    hint: `name the base revision: ${how.invokedAs} diff <base> [head]`,
  });
}

/** A side that is a commit. */
export type CommitSide = DiffSide & { commit: string };

/** The merge-base of HEAD with the default branch (origin/HEAD, else main, else master). */
async function defaultBase(git: Git, how: Spelled): Promise<CommitSide> {
  let head: string;
  try {
    head = await git.resolveRev('HEAD');
  } catch (cause) {
    if (!(cause instanceof GitError) || cause.kind !== 'unknown-revision') throw cause;
    throw new GitError('this repository has no commit yet, so there is no base to diff against', {
      cause,
      kind: 'unknown-revision',
      hint: `commit first, or compare two files: ${how.invokedAs} diff a.yaml b.yaml`,
    });
  }
  for (const branch of ['origin/HEAD', 'main', 'master']) {
    let tip: string;
    try {
      tip = await git.resolveRev(branch);
    } catch (error) {
      if (error instanceof GitError && error.kind === 'unknown-revision') continue;
      throw error;
    }
    const commit = await mergeBase(git, head, tip, `HEAD and ${branch}`, how);
    return { label: `merge-base of HEAD and ${branch}`, rev: branch, commit };
  }
  throw new GitError('found no default branch (origin/HEAD, main or master) to diff against', {
    hint: `name the base revision: ${how.invokedAs} diff <base> [head]`,
  });
}

/**
 * The two sides of `mlops diff [base] [head]`, or of one range `a..b` / `a...b` (from their
 * merge-base), as git reads them. Without a head commit, the head is the working tree; without
 * any revision, the base is the merge-base of HEAD with the default branch. `cwd` is where the
 * user stands, to tell a revision from a path they forgot to put after `--`.
 */
export async function resolveDiffSides(
  git: Git,
  revisions: readonly string[],
  cwd: string,
  how: Spelled = { invokedAs: 'mlops' },
): Promise<{ base: CommitSide; head: DiffSide }> {
  const commitSide = async (rev: string): Promise<CommitSide> => ({
    label: rev,
    rev,
    commit: await resolveCommit(git, rev, cwd, revisions, how),
  });
  // without a commit, a side is the working tree: tracked files, and untracked ones not ignored
  const worktree: DiffSide = { label: 'working tree' };
  const [first, second] = revisions;
  if (first === undefined) return { base: await defaultBase(git, how), head: worktree };
  const range = /^(.*?)(\.\.\.?)(.*)$/.exec(first);
  if (second !== undefined) {
    if (range || second.includes('..')) {
      throw new UsageError('give either two revisions or one range, not both', {
        hint: `${how.invokedAs} diff main feature, or ${how.invokedAs} diff main..feature`,
      });
    }
    return { base: await commitSide(first), head: await commitSide(second) };
  }
  if (!range) return { base: await commitSide(first), head: worktree };
  const [, from = '', dots, to = ''] = range;
  const head = await commitSide(to || 'HEAD');
  const base = await commitSide(from || 'HEAD');
  if (dots === '...') {
    const what = `${base.label} and ${head.label}`;
    const commit = await mergeBase(git, base.commit, head.commit, what, how);
    return { base: { label: `merge-base of ${what}`, rev: base.rev!, commit }, head };
  }
  return { base, head };
}
