import { resolve } from 'node:path';
import type { ResolvedConfig } from '../../core/config.js';
import { compareFindings } from '../../core/findings.js';
import type { Finding } from '../../core/findings.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../../core/manifest/limits.js';
import { duplicateNames } from '../../core/manifest/repository.js';
import type { NamedManifest } from '../../core/manifest/repository.js';
import { InputError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { applyConfig, runConfig } from '../../io/config.js';
import type { AppliedConfig } from '../../io/config.js';
import { discoverManifests } from '../../io/discover.js';
import { MANIFEST_FILENAME, findRepoRoot, toDisplayPath, toDisplayPaths } from '../../io/fs.js';
import { encodingFinding } from '../../io/read.js';
import { validateManifestText } from '../../io/validate-files.js';
import type { ManifestOutcome } from '../../io/validate-files.js';
import { scopesOf } from '../../io/validate-files.js';
import { validateManifests, workerWarmer } from '../../io/validate-run.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateResult } from '../../report/validate.js';
import type { CommandContext } from '../context.js';
import { exitCodeForGroups, failOnFromSetting } from '../exit-code.js';
import type { FindingGroup } from '../exit-code.js';
import { invocation } from '../invocation.js';
import { finalExitCode, planOutput, reportContexts, writeOutputs } from '../output.js';
import type { GatherIO, GatheredRun, OutputFlags } from '../output.js';

/** The options that decide what `mlops validate` finds (not how it is shown). */
export interface ValidateGatherOptions {
  /** Warnings fail too (`--strict`, `--no-strict`; else `strict` of mlops.config.yaml). */
  strict?: boolean;
  /** Read and write the result cache (`--no-cache` turns it off). */
  cache?: boolean;
  /** Worker threads: a number, or undefined for automatic. */
  jobs?: string;
  /** The name of the manifest read from standard input (`-`), as if it were at this path. */
  stdinFilepath?: string;
  /** The config of the run (`runConfig`), when the caller has it. */
  run?: ResolvedConfig;
  /** Reads standard input, for `-` (default: the process's). */
  readStdin?: () => Promise<Buffer>;
}

export interface ValidateOptions extends ValidateGatherOptions, OutputFlags {}

/** What `mlops validate` found; its code is 1 for an error, or a warning under `strict`. */
export type ValidateRun = GatheredRun<ValidateResult>;

/** Reads and validates manifests as `mlops validate` does; prints nothing. */
export async function gatherValidate(
  paths: string[],
  options: ValidateGatherOptions,
  io: GatherIO & { toolVersion: string },
): Promise<ValidateRun> {
  const { cwd } = io;
  if (paths.includes('-')) {
    if (paths.length > 1) {
      throw new UsageError('- (standard input) cannot be mixed with other paths', {
        hint: 'validate standard input alone: mlops validate - --stdin-filepath <path>',
      });
    }
    return gatherStdin(options, io);
  }
  if (options.stdinFilepath !== undefined) {
    throw new UsageError('--stdin-filepath names the manifest read from standard input', {
      hint: 'add - to read it: mlops validate - --stdin-filepath models/churn/mlops.yaml',
    });
  }
  const threads = parseJobs(options.jobs);
  // without the cache every manifest found is read: threads start while the walk goes on
  const discovered = await discoverManifests(paths, cwd, {
    env: io.env,
    ...(options.cache === false ? { found: workerWarmer(threads) } : {}),
  });
  const root = discovered.git?.root ?? findRepoRoot(cwd) ?? cwd;
  const run = options.run ?? (await runConfig(cwd, root));
  const config = await applyConfig(discovered.files, {
    cwd,
    paths,
    known: discovered.configs,
    run,
    ...(discovered.git ? { root: discovered.git.root } : {}),
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
  const display = toDisplayPaths(cwd, files);
  const outcomes = await validateManifests(files, display, {
    cwd,
    env: io.env,
    toolVersion: io.toolVersion,
    cache: options.cache !== false,
    ...(threads !== undefined ? { threads } : {}),
    scopeOf: scopesOf(files, {
      cwd,
      paths,
      ...(discovered.git ? { repoRoot: discovered.git.root } : {}),
      walked: discovered.configs,
    }),
    ...(discovered.notRegular
      ? { regular: (i: number) => !discovered.notRegular!.has(files[i]!) }
      : {}),
  });
  return judge(files, display, outcomes, config, options, root);
}

/** `mlops validate -`: one manifest from standard input, named by `--stdin-filepath`. */
async function gatherStdin(options: ValidateGatherOptions, io: GatherIO): Promise<ValidateRun> {
  const { cwd } = io;
  const named = options.stdinFilepath;
  if (named === '') {
    throw new UsageError('--stdin-filepath needs a path', {
      hint: 'name the manifest as if it were a file: --stdin-filepath models/churn/mlops.yaml',
    });
  }
  // it stands where it is named (its config files, its path in reports); it is never read there
  const abs = resolve(cwd, named ?? MANIFEST_FILENAME);
  const file = named !== undefined ? toDisplayPath(cwd, abs) : '<stdin>';
  const root = findRepoRoot(cwd) ?? cwd;
  const run = options.run ?? (await runConfig(cwd, root));
  const config = await applyConfig([abs], { cwd, ignore: false, run, root });
  const bytes = await (options.readStdin ?? readStandardInput)();
  let outcome: ManifestOutcome;
  if (bytes.length > MAX_MANIFEST_BYTES) {
    outcome = { findings: [tooLargeFinding(file, bytes.length)] };
  } else {
    const encoding = encodingFinding(bytes, file);
    outcome = encoding
      ? { findings: [encoding] }
      : await validateManifestText(bytes.toString('utf8'), file, await loadValidator());
  }
  return judge([abs], [file], [outcome], config, options, root);
}

/** Validate's repository-level pass, and the exit code of each manifest under its config. */
function judge(
  files: readonly string[],
  display: readonly string[],
  outcomes: readonly ManifestOutcome[],
  config: AppliedConfig,
  options: ValidateGatherOptions,
  root: string,
): ValidateRun {
  // findings across manifests join those of each file, in its place
  const named: NamedManifest[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const name = outcomes[i]!.name;
    if (name)
      named.push({ name: name.name, line: name.line, column: name.column, file: display[i]! });
  }
  const across = new Map<string, Finding[]>();
  for (const f of duplicateNames(named)) {
    const list = across.get(f.file!) ?? [];
    list.push(f);
    across.set(f.file!, list);
  }
  const perFile = outcomes.map((o, i) => {
    const more = across.get(display[i]!);
    return more ? [...o.findings, ...more].sort(compareFindings) : o.findings;
  });
  // most manifests share one config: each threshold is worked out once
  const thresholds = new Map<ResolvedConfig, ReturnType<typeof failOnFromSetting>>();
  const thresholdOf = (resolved: ResolvedConfig): ReturnType<typeof failOnFromSetting> => {
    let out = thresholds.get(resolved);
    if (out === undefined) {
      out = failOnFromSetting(resolved, 'strict', options.strict, false, (strict) =>
        strict ? 'warning' : 'error',
      );
      thresholds.set(resolved, out);
    }
    return out;
  };
  // a manifest without findings passes at any threshold: only the others are groups
  const groups: FindingGroup<Finding>[] = [];
  for (let i = 0; i < perFile.length; i++) {
    const findings = perFile[i]!;
    if (findings.length > 0) groups.push({ findings, ...thresholdOf(config.configOf(files[i]!)) });
  }
  const { code, decisive } = exitCodeForGroups(groups, 'error');
  return {
    result: { files: [...display], diagnostics: perFile.flat() },
    code,
    root,
    inForce: (overridden = []) =>
      config.inForce({
        overridden: [
          ...overridden,
          'check.branches',
          ...(options.strict !== undefined ? (['strict'] as const) : []),
        ],
        decisive,
      }),
  };
}

/** Standard input, up to one byte over the manifest limit (a larger input is not read on). */
async function readStandardInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(b);
    size += b.length;
    if (size > MAX_MANIFEST_BYTES) break;
  }
  return Buffer.concat(chunks);
}

/** The diagnostics `--quiet` keeps: errors. */
export function validateErrorsOnly(result: ValidateResult): ValidateResult {
  return { ...result, diagnostics: result.diagnostics.filter((f) => f.severity === 'error') };
}

export async function runValidate(
  paths: string[],
  options: ValidateOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const run = await runConfig(cwd, findRepoRoot(cwd));
  const reporters: Record<string, (typeof validateReporters)[keyof typeof validateReporters]> =
    validateReporters;
  const plan = planOutput('validate', options, Object.keys(reporters), run, cwd);
  const gathered = await gatherValidate(
    paths,
    { ...options, run },
    // not `...ctx.io`: copying it would ask every descriptor whether it is a terminal (node:tty)
    { cwd, env: ctx.io.env, toolVersion: ctx.toolVersion },
  );
  const { result } = gathered;
  const shown = plan.quiet ? validateErrorsOnly(result) : result;
  const config = gathered.inForce(plan.overridden);
  const contextFor = await reportContexts(ctx, { config, cwd, root: gathered.root });
  writeOutputs(plan, (format, toFile) => reporters[format]!(shown, contextFor(toFile)), ctx.io);
  const errors = result.diagnostics.filter((f) => f.severity === 'error').length;
  return finalExitCode(
    plan,
    {
      code: gathered.code,
      warnings: result.diagnostics.filter((f) => f.severity === 'warning').length,
      failsOnHidden: gathered.code === 1 && errors === 0,
    },
    ctx.io,
  );
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError(`--jobs must be a whole number from 1 to 64, not "${value}"`, {
      hint: 'omit --jobs to choose automatically',
    });
  }
  return n;
}
