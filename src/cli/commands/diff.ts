import { resolve } from 'node:path';
import { diffManifestPair, diffManifestStream } from '../../core/diff.js';
import type { DiffResult, DiffSide, ManifestSide } from '../../core/diff.js';
import type { ResolvedConfig } from '../../core/config.js';
import type { Finding } from '../../core/findings.js';
import { readManifest, readYaml } from '../../core/manifest/reader.js';
import type { SchemaValidator } from '../../core/manifest/schema-findings.js';
import { InputError, UsageError } from '../../errors.js';
import type { MlopsError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { applyConfig, runConfig } from '../../io/config.js';
import { diffSignOffs } from '../../io/diff-signoffs.js';
import { diffPaths, readDiffInputs, unmatchedPaths } from '../../io/diff-inputs.js';
import type { UnmatchedPath } from '../../io/diff-inputs.js';
import { findRepoRoot, statPath, toDisplayPath } from '../../io/fs.js';
import { nearestManifestPath } from '../../io/manifest-file.js';
import type { ReadScope } from '../../io/read.js';
import { openRepository, resolveDiffSides } from '../../io/revisions.js';
import { readManifestText, readScopes } from '../../io/validate-files.js';
import { describeText } from '../../report/describe.js';
import { diffReporters } from '../../report/diff.js';
import type { CommandContext } from '../context.js';
import { localToday } from '../today.js';
import { exitCodeForGroups, failOnFromSetting } from '../exit-code.js';
import { finalExitCode, planOutput, reportContexts, writeOutputs } from '../output.js';
import type { GatherIO, GatheredRun, OutputFlags } from '../output.js';

/** The options that decide what `mlops diff` finds (not how it is shown). */
export interface DiffGatherOptions {
  /** Exit 1 when a change or finding is at or above this level (default: failOn.diff, else error). */
  failOn?: 'error' | 'warn' | 'info' | 'none';
  /** The config of the run (`runConfig`), when the caller has it. */
  run?: ResolvedConfig;
  /** How hints spell mlops (`CommandContext.invokedAs`; default `mlops`). */
  invokedAs?: string;
}

export interface DiffOptions extends DiffGatherOptions, OutputFlags {}

/**
 * What `mlops diff` found; its code is 1 when a change or finding is at or above the `failOn` of
 * its manifest. The result's `root` is the folder its paths are relative to.
 */
export type DiffRun = GatheredRun<DiffResult & { root: string }>;

/** Compares manifests as `mlops diff` does; prints nothing. */
export async function gatherDiff(
  revisions: string[],
  paths: string[],
  options: DiffGatherOptions,
  io: GatherIO,
): Promise<DiffRun> {
  const { cwd } = io;
  const invokedAs = options.invokedAs ?? 'mlops';
  if (revisions.length > 2) {
    throw new UsageError(
      `mlops diff takes at most two revisions or two files, not ${revisions.length}`,
      {
        hint: `${invokedAs} diff [base] [head] [-- paths...]; put manifest paths after --`,
      },
    );
  }
  // a file is anything but a folder: a FIFO or device given as a file is refused when read
  const files = revisions.map((r) => {
    const st = r.startsWith('-') ? undefined : statPath(resolve(cwd, r));
    return st !== undefined && !st.isDirectory;
  });
  if (revisions.length === 2 && files.some((f) => f)) {
    const missing = revisions.find((r, i) => !files[i] && /\.ya?ml$/i.test(r));
    if (missing)
      throw new InputError(`no such file: ${missing}`, {
        hint: `${invokedAs} diff <a.yaml> <b.yaml> compares two manifest files`,
      });
  }
  const validator = await loadValidator();
  const run = options.run ?? (await runConfig(cwd, findRepoRoot(cwd)));
  const result =
    revisions.length === 2 && files.every((f) => f)
      ? compareFiles(revisions[0]!, revisions[1]!, paths, cwd, validator, invokedAs)
      : await compareRevisions(
          revisions,
          paths,
          // approvals dated after today are not counted: the date pinned by the config, if any
          { io, invokedAs, today: run.settings.today ?? localToday(), run },
          validator,
        );
  // each manifest is held to the failOn of the config files above it in the working tree
  const manifestPaths = result.manifests.map((m) => resolve(result.root, m.file));
  const config = await applyConfig(manifestPaths, { cwd, ignore: false, root: result.root, run });
  const { code, decisive } = exitCodeForGroups(
    result.manifests.map((m, i) => ({
      findings: [...m.changes, ...m.findings],
      ...failOnFromSetting(
        config.configOf(manifestPaths[i]!),
        'failOn.diff',
        options.failOn,
        'error',
        (level) => (level === 'warn' ? 'warning' : level),
      ),
    })),
    'error',
  );
  return {
    result,
    code,
    root: findRepoRoot(result.root) ?? result.root,
    inForce: (overridden = []) =>
      config.inForce({
        overridden: [
          ...overridden,
          'check.branches',
          ...(options.failOn !== undefined ? (['failOn.diff'] as const) : []),
        ],
        decisive,
      }),
  };
}

/** What `--quiet` keeps of a diff: the changes and findings that are errors, and their manifests. */
export function diffErrorsOnly<R extends DiffResult>(result: R): R {
  return {
    ...result,
    manifests: result.manifests
      .map((m) => ({
        ...m,
        changes: m.changes.filter((c) => c.severity === 'error'),
        findings: m.findings.filter((f) => f.severity === 'error'),
      }))
      .filter((m) => m.changes.length + m.findings.length > 0),
  };
}

export async function runDiff(
  revisions: string[],
  paths: string[],
  options: DiffOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const run = await runConfig(cwd, findRepoRoot(cwd));
  const reporters: Record<string, (typeof diffReporters)[keyof typeof diffReporters]> =
    diffReporters;
  const plan = planOutput('diff', options, Object.keys(reporters), run, cwd);
  const gathered = await gatherDiff(
    revisions,
    paths,
    { ...options, run, invokedAs: ctx.invokedAs },
    ctx.io,
  );
  const { result } = gathered;
  const shown = plan.quiet ? diffErrorsOnly(result) : result;
  const config = gathered.inForce(plan.overridden);
  const contextFor = await reportContexts(ctx, { config, cwd, root: gathered.root });
  writeOutputs(plan, (format, toFile) => reporters[format]!(shown, contextFor(toFile)), ctx.io);
  const items = result.manifests.flatMap((m) => [...m.changes, ...m.findings]);
  return finalExitCode(
    plan,
    {
      code: gathered.code,
      warnings: items.filter((i) => i.severity === 'warning').length,
      failsOnHidden: gathered.code === 1 && !items.some((i) => i.severity === 'error'),
    },
    ctx.io,
  );
}

/**
 * Reads one side as every command reads a manifest: its data, its findings, their places. A
 * side that was not read (outside the repository, no regular file, not UTF-8) has its finding.
 */
function readSide(
  file: string,
  content: { text?: string; finding?: Finding },
  validator: SchemaValidator,
): ManifestSide {
  if (content.finding !== undefined) {
    return {
      file,
      data: undefined,
      findings: [content.finding],
      locate: () => ({ line: 1, column: 1 }),
    };
  }
  return { file, ...readManifest(content.text ?? '', file, validator) };
}

function compareFiles(
  a: string,
  b: string,
  paths: string[],
  cwd: string,
  validator: SchemaValidator,
  run: string,
): DiffResult & { root: string } {
  if (paths.length > 0) {
    throw new UsageError('paths after -- limit a diff of revisions, not of two files', {
      hint: `run ${run} diff ${shellArg(a)} ${shellArg(b)} alone`,
    });
  }
  // files the user named: inside a repository, nothing outside it is read
  const [scopeA, scopeB] = readScopes([resolve(cwd, a), resolve(cwd, b)], { cwd, paths: [a, b] });
  const read = (file: string, scope: ReadScope): { text: string } | { finding: Finding } =>
    readManifestText({ abs: resolve(cwd, file), file, scope });
  const sideA = readSide(a, read(a, scopeA!), validator);
  const m = diffManifestPair(sideA, readSide(b, read(b, scopeB!), validator), {
    ignoreMove: true,
  });
  return {
    base: { label: a },
    head: { label: b },
    compared: 1,
    manifests: m.status === 'unchanged' ? [] : [m],
    root: cwd,
  };
}

async function compareRevisions(
  revisions: string[],
  paths: string[],
  ctx: { io: GatherIO; invokedAs: string; today: string; run: ResolvedConfig },
  validator: SchemaValidator,
): Promise<DiffResult & { root: string }> {
  const { cwd, env } = ctx.io;
  const git = await openRepository(cwd, {
    env,
    hint: `run ${ctx.invokedAs} diff inside a git repository, or compare two files: ${ctx.invokedAs} diff a.yaml b.yaml`,
  });
  const { base, head } = await resolveDiffSides(git, revisions, cwd, ctx);
  const { inScope, given } = diffPaths(git, paths, cwd);
  const inputs = await readDiffInputs(
    git,
    base,
    head,
    inScope,
    given.map((g) => g.path),
  );
  const unmatched = await unmatchedPaths(git, given, inputs, { base, head });
  if (unmatched.length > 0) {
    const all = [...inputs.basePaths, ...inputs.headPaths].map((p) =>
      toDisplayPath(cwd, resolve(git.root, p)),
    );
    throw unmatchedError(unmatched, {
      cwd,
      root: git.root,
      manifests: [...new Set(all)].sort(),
      sides: `${sideName(base)} or ${sideName(head)}`,
      command: (replaced) =>
        [
          ctx.invokedAs,
          ...['diff', ...revisions].map(shellArg),
          ...(replaced === undefined
            ? []
            : ['--', ...paths.map((p) => shellArg(replaced.get(p) ?? p))]),
        ].join(' '),
      invokedAs: ctx.invokedAs,
    });
  }
  // who signed at the head is judged as check judges it: each manifest under its own config
  const configsOf = async (abs: readonly string[]) => {
    const applied = await applyConfig(abs, { cwd, ignore: false, root: git.root, run: ctx.run });
    return (file: string) => applied.configOf(file);
  };
  const manifests = (
    await diffManifestStream(inputs.batches, (s) => readSide(s.path, s, validator), {
      evidence: inputs.evidence,
      signOffs: diffSignOffs(git, head.commit ?? 'HEAD', cwd, configsOf),
      // a text that did not change is read for its data and places, not judged again
      peek: (s) =>
        'text' in s
          ? { file: s.path, ...readYaml(s.text, s.path) }
          : readSide(s.path, s, validator),
      today: ctx.today,
    })
  ).filter((m) => m.status !== 'unchanged' && (inScope(m.baseFile) || inScope(m.headFile)));
  const scoped = new Set([...inputs.basePaths, ...inputs.headPaths].filter((p) => inScope(p)));
  const moves = manifests.filter(
    (m) => m.baseFile !== m.headFile && inScope(m.baseFile) && inScope(m.headFile),
  ).length;
  return { base, head, compared: scoped.size - moves, manifests, root: git.root };
}

/** A side as a message names it: a revision, the merge-base of two, or the working tree. */
function sideName(side: DiffSide): string {
  if (side.commit === undefined) return 'the working tree';
  return side.label.startsWith('merge-base ') ? `the ${side.label}` : side.label;
}

/** A path or revision as one shell argument, as it can be pasted. */
function shellArg(s: string): string {
  return /^[\w./@:+=,^~-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * The refusal of paths after `--` that match no manifest: each with the manifest path or
 * folder nearest to it, and a hint that runs the diff on those when every path has one.
 */
function unmatchedError(
  unmatched: readonly UnmatchedPath[],
  options: {
    cwd: string;
    root: string;
    /** Every manifest path at either side, relative to `cwd`. */
    manifests: readonly string[];
    /** `<base> or <head>`. */
    sides: string;
    /** The diff command with some of the user's paths replaced; without paths when undefined. */
    command: (replaced: ReadonlyMap<string, string> | undefined) => string;
    invokedAs: string;
  },
): MlopsError {
  const first = unmatched[0]!;
  if (first.reason === 'submodule') {
    const shown = toDisplayPath(options.cwd, resolve(options.root, first.submodule!));
    return new InputError(
      `${first.arg} is in ${shown}, a submodule (a git repository of its own): its manifests are compared in its own repository`,
      {
        hint: `run mlops inside the submodule: \`cd ${shellArg(shown)} && ${options.invokedAs} diff\``,
      },
    );
  }
  const near = new Map<string, string>();
  for (const u of unmatched) {
    if (u.reason === 'submodule') continue;
    const shown = toDisplayPath(options.cwd, resolve(options.root, u.path));
    const nearest = nearestManifestPath(shown, options.manifests, { ancestors: true });
    if (nearest !== undefined) near.set(u.arg, nearest);
  }
  const dym = (u: UnmatchedPath): string =>
    near.has(u.arg) ? ` (did you mean "${near.get(u.arg)!}"?)` : '';
  const others = unmatched
    .slice(1)
    .map((u) => `${u.arg}${dym(u)}`)
    .join(', ');
  const more = others === '' ? '' : `; nor ${unmatched.length === 2 ? 'does' : 'do'} ${others}`;
  const hint = unmatched.every((u) => near.has(u.arg))
    ? `run \`${options.command(near)}\``
    : `after --, name manifests or the folders that hold them; without paths, \`${options.command(undefined)}\` compares every manifest`;
  if (first.reason === 'not-a-manifest' && first.finding !== undefined) {
    const { message, hint: fix } = describeText(first.finding);
    return new InputError(`${first.arg}: ${message}${more}`, {
      hint: unmatched.length === 1 && fix !== undefined ? fix : hint,
    });
  }
  const what =
    first.reason === 'not-a-manifest'
      ? `${first.arg} is not a manifest in ${options.sides}: it has no kind: ModelManifest${dym(first)}`
      : `${first.arg} matches no manifest in ${options.sides}${dym(first)}`;
  return new InputError(`${what}${more}`, { hint });
}
