import { readFileSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { allItems, diffManifestPair, diffManifestSets } from '../../core/diff.js';
import type { DiffResult, DiffSide, ManifestSide } from '../../core/diff.js';
import {
  MAX_MANIFEST_BYTES,
  parseManifest,
  parseManifestFast,
  tooLargeFinding,
} from '../../core/load.js';
import { GitError, InputError, UsageError } from '../../errors.js';
import { MANIFEST_FILENAME, isInside, statPath } from '../../io/fs.js';
import { listTreeAt, readBlobs } from '../../io/git-batch.js';
import { createGit } from '../../io/git.js';
import type { Git } from '../../io/git.js';
import { diffReporters } from '../../report/diff.js';
import type { DiffFormat } from '../../report/diff.js';
import type { CommandContext } from '../context.js';
import { exitCodeFor } from '../exit-code.js';

export interface DiffOptions {
  format: DiffFormat;
  /** Exit 1 when a change or finding is at or above this level. */
  failOn: 'error' | 'warn' | 'info' | 'none';
}

export async function runDiff(
  revisions: string[],
  paths: string[],
  options: DiffOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  if (revisions.length > 2) {
    throw new UsageError(
      `mlops diff takes at most two revisions or two files, not ${revisions.length}`,
      {
        hint: 'mlops diff [base] [head] [-- paths...]; put manifest paths after --',
      },
    );
  }
  const files = revisions.map((r) => (r.startsWith('-') ? undefined : statPath(resolve(cwd, r))));
  if (revisions.length === 2 && files.some((f) => f?.isFile)) {
    const missing = revisions.find((r, i) => !files[i]?.isFile && /\.ya?ml$/i.test(r));
    if (missing)
      throw new InputError(`no such file: ${missing}`, {
        hint: 'mlops diff <a.yaml> <b.yaml> compares two manifest files',
      });
  }
  const result =
    revisions.length === 2 && files.every((f) => f?.isFile)
      ? compareFiles(revisions[0]!, revisions[1]!, paths, cwd)
      : await compareRevisions(revisions, paths, cwd);
  ctx.io.stdout(
    diffReporters[options.format](result, {
      color: ctx.color,
      toolVersion: ctx.toolVersion,
      verbose: ctx.verbose,
    }),
  );
  const findings = allItems(result).map((i) => ({
    severity: i.level === 'warn' ? ('warning' as const) : i.level,
  }));
  return exitCodeFor(findings, options.failOn === 'warn' ? 'warning' : options.failOn);
}

/** Parses one side's text; a side that does not parse carries its first error with line:column. */
function parseSide(file: string, text: string): ManifestSide {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MANIFEST_BYTES)
    return { file, error: `${file}:1:1 ${tooLargeFinding(file, bytes).message}` };
  // the fast parser declines anything the two parsers could read differently
  const fast = parseManifestFast(text);
  if (fast !== undefined) return { file, data: fast };
  const parsed = parseManifest(text, file);
  const first = parsed.diagnostics.find((d) => d.severity === 'error');
  if (first) return { file, error: `${file}:${first.line}:${first.column} ${first.message}` };
  return parsed.data === undefined
    ? { file, error: `${file}:1:1 the file holds no manifest` }
    : { file, data: parsed.data };
}

function compareFiles(a: string, b: string, paths: string[], cwd: string): DiffResult {
  if (paths.length > 0) {
    throw new UsageError('paths after -- limit a diff of revisions, not of two files', {
      hint: 'run mlops diff <a.yaml> <b.yaml> alone',
    });
  }
  const read = (file: string): string => {
    try {
      return readFileSync(resolve(cwd, file), 'utf8');
    } catch (cause) {
      throw new InputError(`cannot read ${file}`, {
        cause,
        hint: 'check that the file exists and is readable',
      });
    }
  };
  const m = diffManifestPair(parseSide(a, read(a)), parseSide(b, read(b)), { ignoreMove: true });
  return {
    base: { label: a },
    head: { label: b },
    compared: 1,
    manifests: m.status === 'unchanged' ? [] : [m],
  };
}

async function openRepository(cwd: string): Promise<Git> {
  try {
    return await createGit(cwd);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new GitError(error.message, {
      cause: error,
      hint: 'run mlops diff inside a git repository, or compare two files: mlops diff a.yaml b.yaml',
    });
  }
}

async function isShallow(git: Git): Promise<boolean> {
  try {
    return (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  } catch {
    return false;
  }
}

const SHALLOW_HINT =
  'this is a shallow clone: fetch more history with `git fetch --deepen=100` (repeat as needed) or `git fetch --unshallow`; in CI, check out with full history (actions/checkout: fetch-depth: 0)';

/** Resolves a revision the user gave; in a shallow clone, says how to fetch what is missing. */
async function resolveCommit(git: Git, rev: string, cwd: string): Promise<string> {
  try {
    return await git.resolveRev(rev);
  } catch (error) {
    if (!(error instanceof GitError) || rev.startsWith('-')) throw error;
    if (await isShallow(git)) {
      throw new GitError(`revision "${rev}" is not in this shallow clone`, {
        cause: error,
        hint: SHALLOW_HINT,
      });
    }
    if (statPath(resolve(cwd, rev))) {
      throw new GitError(error.message, {
        cause: error,
        hint: `to limit the diff to a path, put it after --: mlops diff [base] [head] -- ${rev}`,
      });
    }
    throw error;
  }
}

async function mergeBase(git: Git, a: string, b: string, what: string): Promise<string> {
  let out = '';
  try {
    out = (await git.raw(['merge-base', a, b])).trim();
  } catch {
    out = '';
  }
  if (out) return out.split('\n')[0]!;
  if (await isShallow(git)) {
    throw new GitError(`${what} have no common commit in this shallow clone`, {
      hint: SHALLOW_HINT,
    });
  }
  throw new GitError(`${what} have no common history`, {
    hint: 'name the base revision: mlops diff <base> [head]',
  });
}

/** cli.md: the merge-base of HEAD with the default branch (origin/HEAD, else main, else master). */
async function defaultBase(git: Git): Promise<DiffSide> {
  let head: string;
  try {
    head = await git.resolveRev('HEAD');
  } catch (cause) {
    throw new GitError('this repository has no commit yet, so there is no base to diff against', {
      cause,
      hint: 'commit first, or compare two files: mlops diff a.yaml b.yaml',
    });
  }
  for (const branch of ['origin/HEAD', 'main', 'master']) {
    let tip: string;
    try {
      tip = await git.resolveRev(branch);
    } catch {
      continue;
    }
    const commit = await mergeBase(git, head, tip, `HEAD and ${branch}`);
    return { label: `merge-base of HEAD and ${branch}`, rev: branch, commit };
  }
  throw new GitError('found no default branch (origin/HEAD, main or master) to diff against', {
    hint: 'name the base revision: mlops diff <base> [head]',
  });
}

async function commitSide(git: Git, rev: string, cwd: string): Promise<DiffSide> {
  return { label: rev, rev, commit: await resolveCommit(git, rev, cwd) };
}

/** `[base] [head]`, or one range `a..b` / `a...b` (from their merge-base), as git reads them. */
async function resolveSides(
  git: Git,
  revisions: string[],
  cwd: string,
): Promise<{ base: DiffSide; head: DiffSide }> {
  // without a commit, a side is the working tree: tracked files, and untracked ones not ignored
  const worktree: DiffSide = { label: 'working tree' };
  const [first, second] = revisions;
  if (first === undefined) return { base: await defaultBase(git), head: worktree };
  const range = /^(.*?)(\.\.\.?)(.*)$/.exec(first);
  if (second !== undefined) {
    if (range || second.includes('..')) {
      throw new UsageError('give either two revisions or one range, not both', {
        hint: 'mlops diff main feature, or mlops diff main..feature',
      });
    }
    return { base: await commitSide(git, first, cwd), head: await commitSide(git, second, cwd) };
  }
  if (!range) return { base: await commitSide(git, first, cwd), head: worktree };
  const [, from = '', dots, to = ''] = range;
  const head = await commitSide(git, to || 'HEAD', cwd);
  const base = await commitSide(git, from || 'HEAD', cwd);
  if (dots === '...') {
    const commit = await mergeBase(
      git,
      base.commit!,
      head.commit!,
      `${base.label} and ${head.label}`,
    );
    return {
      base: { label: `merge-base of ${base.label} and ${head.label}`, rev: base.rev!, commit },
      head,
    };
  }
  return { base, head };
}

/**
 * Which manifests the `-- paths` the user gave cover (repository-relative prefixes; they may
 * no longer exist, as for a deleted manifest).
 */
function pathScope(git: Git, paths: string[], cwd: string): (file: string | undefined) => boolean {
  const prefixes = paths.map((p) => {
    const abs = resolve(cwd, p);
    if (!isInside(git.root, abs)) {
      throw new InputError(`${p} is outside the repository ${git.root}`, {
        hint: 'pass paths inside the repository',
      });
    }
    return relative(git.root, abs).split(sep).join(posix.sep);
  });
  return (file) =>
    file !== undefined &&
    (prefixes.length === 0 ||
      prefixes.some((p) => p === '' || file === p || file.startsWith(`${p}/`)));
}

const isManifest = (file: string): boolean => posix.basename(file) === MANIFEST_FILENAME;

async function compareRevisions(
  revisions: string[],
  paths: string[],
  cwd: string,
): Promise<DiffResult> {
  const git = await openRepository(cwd);
  const { base, head } = await resolveSides(git, revisions, cwd);
  const inScope = pathScope(git, paths, cwd);
  const baseAll = await listTreeAt(git, base.commit!, isManifest);
  const headAll: { path: string; oid?: string; text?: string }[] = head.commit
    ? await listTreeAt(git, head.commit, isManifest)
    : (await git.listFiles({ untracked: true, pathspecs: [`:(glob)**/${MANIFEST_FILENAME}`] }))
        .filter((path) => isManifest(path) && statPath(resolve(git.root, path))?.isFile) // not deleted in the working tree
        .map((path) => ({ path }));
  // outside the paths, a file found at one side only may still be where a manifest in scope moved
  const basePaths = new Set(baseAll.map((e) => e.path));
  const headPaths = new Set(headAll.map((h) => h.path));
  const baseTree = baseAll.filter((e) => inScope(e.path) || !headPaths.has(e.path));
  const headFiles = headAll.filter((h) => inScope(h.path) || !basePaths.has(h.path));
  for (const h of headFiles) {
    if (h.oid !== undefined) continue;
    try {
      h.text = readFileSync(resolve(git.root, h.path), 'utf8');
    } catch (cause) {
      throw new InputError(`cannot read ${h.path}`, {
        cause,
        hint: 'check that the file is readable',
      });
    }
  }
  // a file whose blob is the same at both sides cannot have changed: never read it
  const baseOid = new Map(baseTree.map((e) => [e.path, e.oid]));
  const unchanged = new Set(
    headFiles
      .filter((h) => h.oid !== undefined && baseOid.get(h.path) === h.oid)
      .map((h) => h.path),
  );
  const blobs = await readBlobs(git, [
    ...baseTree.filter((e) => !unchanged.has(e.path)).map((e) => e.oid),
    ...headFiles.flatMap((h) => (h.oid !== undefined && !unchanged.has(h.path) ? [h.oid] : [])),
  ]);
  const baseText = new Map(
    baseTree.filter((e) => !unchanged.has(e.path)).map((e) => [e.path, blobs.get(e.oid) ?? '']),
  );
  for (const h of headFiles) {
    const text = h.text ?? (h.oid !== undefined ? blobs.get(h.oid) : undefined);
    if (h.oid === undefined && baseText.get(h.path) === text) unchanged.add(h.path);
    h.text = text ?? '';
  }
  const baseSides = [...baseText]
    .filter(([path]) => !unchanged.has(path))
    .map(([path, text]) => parseSide(path, text));
  const headSides = headFiles
    .filter((h) => !unchanged.has(h.path))
    .map((h) => parseSide(h.path, h.text ?? ''));
  const manifests = diffManifestSets(baseSides, headSides).filter(
    (m) => m.status !== 'unchanged' && (inScope(m.baseFile) || inScope(m.headFile)),
  );
  const scoped = new Set([...basePaths, ...headPaths].filter((p) => inScope(p)));
  const moves = manifests.filter(
    (m) => m.baseFile !== m.headFile && inScope(m.baseFile) && inScope(m.headFile),
  ).length;
  return { base, head, compared: scoped.size - moves, manifests };
}
