import { join } from 'node:path';
import {
  checkManifests,
  isIsoDate,
  meetsRequirement,
  requiredPhases,
} from '../../core/check/index.js';
import type { CheckRead, CheckSource, ManifestReport } from '../../core/check/index.js';
import { phaseForBranch } from '../../core/config.js';
import type { ResolvedConfig } from '../../core/config.js';
import type { Phase } from '../../core/manifest.js';
import { readManifest } from '../../core/manifest/reader.js';
import type { ReadResult } from '../../core/manifest/reader.js';
import { GitError, InputError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { startCheckInputs, subjectSettings } from '../../io/check-inputs.js';
import { applyConfig, runConfig } from '../../io/config.js';
import { discoverManifests } from '../../io/discover.js';
import { findRepoRoot, toDisplayPath } from '../../io/fs.js';
import { SHALLOW_HINT, openRepository } from '../../io/revisions.js';
import { MANY_MANIFESTS, boundHeapGrowth, collectGarbage } from '../../io/heap.js';
import { readManifestText, readScopes } from '../../io/validate-files.js';
import { checkJsonChunks, checkReporters } from '../../report/check.js';
import type { CheckResult } from '../../report/check.js';
import type { CommandContext } from '../context.js';
import { exitCodeFor } from '../exit-code.js';
import { invocation } from '../invocation.js';
import { finalExitCode, planOutput, reportContexts, writeOutputs } from '../output.js';
import type { GatherIO, GatheredRun, OutputFlags } from '../output.js';

/** The options that decide what `mlops check` finds (not how it is shown). */
export interface CheckGatherOptions {
  phase?: Phase;
  /** The branch checked: without `phase`, `check.branches` of the config gives the phase. */
  branch?: string;
  today?: string;
  /** The config of the run (`runConfig`), when the caller has it. */
  run?: ResolvedConfig;
  /** Versions of evidence history to read (see `startCheckInputs`); `mlops report` sets it. */
  historyDepth?: number;
  /** The last commit date of every evidence file (see `startCheckInputs`); `mlops export` sets it. */
  everyDate?: boolean;
  /** The newest committed versions of each manifest to read; `mlops export` sets it. */
  manifestVersions?: number;
  /** See `CheckSource.detail`: called for each judged manifest, with `i` its index in `files`. */
  detail?: CheckSource['detail'];
}

export interface CheckOptions extends CheckGatherOptions, OutputFlags {}

/** What `mlops check` found; its code is 1 when a manifest is not ready for what it is held to. */
export type CheckRun = GatheredRun<CheckResult>;

import { localToday } from '../today.js';

export { localToday };

/** Judges manifests as `mlops check` does; prints nothing. */
export async function gatherCheck(
  paths: string[],
  options: CheckGatherOptions,
  io: GatherIO,
): Promise<CheckRun> {
  const { cwd, env } = io;
  if (options.today !== undefined && !isIsoDate(options.today)) {
    throw new UsageError(`--today "${options.today}" is not a date`, {
      hint: 'give a calendar date as YYYY-MM-DD, e.g. --today 2026-11-27',
    });
  }
  const today = options.today ?? localToday();
  const git = await openRepository(cwd, {
    env,
    hint: 'mlops check judges evidence committed to git: run it inside the repository (git init, then commit the manifest and its evidence); `mlops validate` checks shape without git',
  });
  const inputs = startCheckInputs(git, cwd, {
    ...(options.historyDepth !== undefined ? { historyDepth: options.historyDepth } : {}),
    ...(options.everyDate ? { everyDate: true } : {}),
    ...(options.manifestVersions ? { manifestVersions: options.manifestVersions } : {}),
  });
  const discovered = await discoverManifests(paths, cwd, { git });
  const run = options.run ?? (await runConfig(cwd, git.root));
  const config = await applyConfig(discovered.files, {
    cwd,
    paths,
    run,
    root: git.root,
    known: discovered.configs,
  });
  const { files } = config;
  if (files.length === 0) {
    throw new InputError(
      `no ${paths.length ? 'mlops.yaml under the paths given' : 'mlops.yaml found in this repository'}`,
      {
        hint: `create one with \`${invocation(io)} init "FOLDER"\`, or pass manifest files`,
      },
    );
  }
  const validator = await loadValidator();
  // the same reading as `mlops validate`: a manifest with an error finding is not judged, and
  // one that leads outside the repository, is no regular file or is not UTF-8 is not read
  const scopes = readScopes(files, { cwd, paths, repoRoot: git.root });
  const readAt = (abs: string, i: number): CheckRead => {
    const file = toDisplayPath(cwd, abs);
    const content = readManifestText({ abs, file, scope: scopes[i]! });
    const read: ReadResult =
      'text' in content
        ? readManifest(content.text, file, validator)
        : {
            data: undefined,
            findings: [content.finding],
            locate: () => ({ line: 1, column: 1 }),
          };
    return { file, repoPath: inputs.repoPathOf(abs), read };
  };
  // read, gathered for and judged a batch at a time; validate's repository-level pass too
  boundHeapGrowth(files.length);
  const reports = await checkManifests({
    count: files.length,
    ...(files.length >= MANY_MANIFESTS ? { afterBatch: collectGarbage } : {}),
    ...(options.detail ? { detail: options.detail } : {}),
    read: (i) => readAt(files[i]!, i),
    gather: (subjects) =>
      inputs.gather(
        subjects.map((s) => ({
          ...s,
          settings: subjectSettings(config.configOf(join(git.root, s.repoPath)), cwd, {
            pinnedToday: options.today === undefined,
          }),
        })),
        today,
      ),
  });
  // a judgement that needs history a shallow clone lacks is not made from a graft commit
  const missing = inputs.missingHistory();
  if (missing.length > 0) {
    const first = missing[0]!;
    throw new GitError(
      `this is a shallow clone: judging ${toDisplayPath(cwd, join(git.root, first.manifest))} needs history it does not have (${first.needs.slice(0, 3).join(', ')}${first.needs.length > 3 ? ', ...' : ''})${missing.length > 1 ? ` (and ${missing.length - 1} more manifest${missing.length > 2 ? 's' : ''})` : ''}`,
      { hint: SHALLOW_HINT },
    );
  }

  // without --phase, the branch's phase from check.branches, if one matches
  const branch =
    options.phase === undefined && options.branch !== undefined
      ? phaseForBranch(run.settings.check?.branches, options.branch)
      : undefined;
  const phase = options.phase ?? branch?.phase;
  const result: CheckResult = {
    today,
    ...(phase ? { phase } : {}),
    manifests: reports.map((report) => ({
      report,
      heldTo: requiredPhases(report.status, phase),
      ok: meetsRequirement(report, phase),
    })),
    root: toDisplayPath(cwd, git.root),
  };
  const failures = result.manifests
    .filter((m) => !m.ok)
    .map(() => ({ severity: 'error' as const }));
  const source = run.sources['check.branches'];
  return {
    result,
    code: exitCodeFor(failures, 'error'),
    root: git.root,
    inForce: (overridden = []) =>
      config.inForce({
        overridden: [...overridden, ...(branch ? [] : (['check.branches'] as const))],
        decisive:
          branch && source
            ? [{ key: 'check.branches', value: `${branch.pattern} → ${branch.phase}`, source }]
            : [],
      }),
  };
}

/** The warnings of a manifest's report: in what it reads, and in the phases it is held to. */
function reportWarnings(report: ManifestReport, heldTo: readonly Phase[]): number {
  let n = report.invalid?.filter((f) => f.severity === 'warning').length ?? 0;
  for (const p of report.phases) {
    if (!heldTo.includes(p.phase)) continue;
    for (const rule of p.rules) {
      if (rule.status === 'waived') continue;
      n += rule.findings.filter((f) => f.severity === 'warning').length;
    }
  }
  return n;
}

/**
 * What `--quiet` keeps of a check: errors. A rule whose findings are all warnings passes, as it
 * does for readiness; other rules and unreadable manifests keep their error findings.
 */
export function checkErrorsOnly(result: CheckResult): CheckResult {
  const errors = <F extends { severity: string }>(list: readonly F[]): F[] =>
    list.filter((f) => f.severity === 'error');
  return {
    ...result,
    manifests: result.manifests.map((m) => ({
      ...m,
      report: {
        ...m.report,
        ...(m.report.invalid ? { invalid: errors(m.report.invalid) } : {}),
        phases: m.report.phases.map((p) => ({
          ...p,
          rules: p.rules.map((r) =>
            r.status === 'warning'
              ? { ...r, status: 'pass' as const, findings: [] }
              : { ...r, findings: errors(r.findings) },
          ),
        })),
      },
    })),
  };
}

export async function runCheck(
  paths: string[],
  options: CheckOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const run = await runConfig(cwd, findRepoRoot(cwd));
  const reporters: Record<string, (typeof checkReporters)[keyof typeof checkReporters]> =
    checkReporters;
  const plan = planOutput('check', options, Object.keys(reporters), run, cwd);
  const gathered = await gatherCheck(paths, { ...options, run }, ctx.io);
  const { result } = gathered;
  const shown = plan.quiet ? checkErrorsOnly(result) : result;
  const config = gathered.inForce(plan.overridden);
  const contextFor = await reportContexts(ctx, { config, cwd, root: gathered.root });
  writeOutputs(
    plan,
    (format, toFile) =>
      // JSON, the largest (some 14 kB a manifest), is written a manifest at a time
      format === 'json'
        ? checkJsonChunks(shown, contextFor(toFile))
        : reporters[format]!(shown, contextFor(toFile)),
    ctx.io,
  );
  return finalExitCode(
    plan,
    {
      code: gathered.code,
      warnings: result.manifests.reduce((n, m) => n + reportWarnings(m.report, m.heldTo), 0),
      // readiness never fails on a warning
      failsOnHidden: false,
    },
    ctx.io,
  );
}

/**
 * A `.catch` for commands built on `gatherCheck`: outside a git repository, git's message with
 * the command's own hint; any other error as it is.
 */
export function outsideRepository(hint: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof GitError && error.kind === 'not-a-repository')
      throw new GitError(error.message, { kind: error.kind, cause: error, hint });
    throw error;
  };
}
