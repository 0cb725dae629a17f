// The programmatic API: `import { validate, check, diff } from 'mlops'`. Each function returns
// the object that the command prints with `--format json`, made by the same code, and never
// prints anything or exits. What would stop the command (exit 2) is thrown as an MlopsError:
// a UsageError, an InputError or a GitError, with a `hint`.
import { resolve } from 'node:path';
import { checkErrorsOnly, gatherCheck } from './cli/commands/check.js';
import { diffErrorsOnly, gatherDiff } from './cli/commands/diff.js';
import { gatherValidate, validateErrorsOnly } from './cli/commands/validate.js';
import { createColors } from './cli/colors.js';
import type { ConfigInForce, SettingKey } from './core/config.js';
import { UsageError } from './errors.js';
import { toolVersion } from './io/assets.js';
import { checkJson } from './report/check.js';
import type { ReportContext } from './report/context.js';
import { diffJson } from './report/diff.js';
import { validateJson } from './report/validate.js';

export { GitError, InputError, MlopsError, UsageError } from './errors.js';

export type Severity = 'error' | 'warning' | 'info';
export type Phase = 'envision' | 'build' | 'deploy' | 'monitor';
/** Where in a manifest: keys and list indexes. */
export type PathSegment = string | number;
/** The data a finding's words were made from. */
export type Args = {
  readonly [key: string]: string | number | boolean | null | readonly (string | number)[];
};

/** What would resolve a finding: a command to run, or a key of the manifest to edit. */
export type Fix =
  | { kind: 'command'; argv: readonly string[] }
  | { kind: 'edit'; op: 'set' | 'add' | 'remove'; path: readonly PathSegment[]; value?: unknown };

/** The config files of a run (`mlops.config.yaml`); present only when one applied. */
export interface ConfigReport {
  files: string[];
  /** The settings in force (less those a flag or option overrode), with the file of each. */
  settings: { key: string; value: unknown; source: string }[];
  /** Manifests that `ignore` left out. */
  ignored: { file: string; pattern: string; source: string }[];
}

/** A finding of reading a manifest, as `mlops validate` lists it. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  /** Relative to the repository root (`<stdin>` for standard input). */
  file: string;
  path: PathSegment[];
  line: number;
  column: number;
  args: Args;
  /** 16 hex digits, the same across runs, reorders and moves. */
  fingerprint?: string;
  fix?: Fix;
}

/** `mlops validate --format json`. */
export interface ValidateReport {
  schemaVersion: 1;
  command: 'validate';
  /** No error (warnings may fail the command under `strict`: see the CLI). */
  ok: boolean;
  summary: { files: number; errors: number; warnings: number };
  files: string[];
  config?: ConfigReport;
  diagnostics: Diagnostic[];
}

/** A finding of a readiness rule. */
export interface RuleFinding {
  code: string;
  severity: Severity;
  message: string;
  /** The fix in words. */
  fix?: string;
  /** Where in the manifest. */
  at: PathSegment[];
  line?: number;
  column?: number;
  args: Args;
  /** The fix as data. */
  action?: Fix;
  fingerprint?: string;
}

export interface Waiver {
  /** Absent on a waiver of the earlier contract. */
  id?: string;
  rule: string;
  /** The item (or evidence path) whose findings it excuses. */
  target?: string;
  reason: string;
  owner: string;
  expires: string;
  /** `in_force`, or the first reason it is not. */
  status:
    | 'in_force'
    | 'earlier_shape'
    | 'duplicate'
    | 'not_waivable'
    | 'expired'
    | 'beyond_maximum'
    | 'uncommitted'
    | 'unapproved';
  problems: string[];
  /** Days from today to its expiry day (0: it holds today only). */
  daysLeft?: number;
  approver?: string;
  approverRole?: string;
  signOffs: { role: string; status: string; by?: string; date?: string; recordedBy?: string }[];
  committed?: { commit: string; date: string };
  /** The last expiry allowed: `maxDays` after the commit that added it. */
  latest?: string;
  maxDays: number;
  index: number;
}

export interface RuleReport {
  /** G1 to M4. */
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'waived' | 'warning';
  findings: RuleFinding[];
  /** Findings a waiver in force excuses, with the waiver's id. */
  waived?: (RuleFinding & { waiver: string })[];
}

export interface PhaseReport {
  phase: Phase;
  /** Its own rules pass (or are waived). */
  rulesPass: boolean;
  /** Its rules pass and every earlier phase is ready. */
  ready: boolean;
  passed: number;
  total: number;
  rules: RuleReport[];
}

/** Where an observed value was read: the evidence file, the pointer, its last commit date. */
export interface ObservedSource {
  path: string;
  pointer?: string;
  date?: string;
}

/** A candidate's projected value of a value metric, from its value evaluation (build). */
export interface ProjectionReport {
  candidate: string;
  evaluation?: string;
  observed?: number;
  source?: ObservedSource;
}

/** A value metric: baseline, target and what was observed. */
export interface ValueReport {
  id: string;
  name?: string;
  unit?: string;
  direction?: string;
  baseline?: number;
  target?: number;
  minimumAcceptable?: number;
  bounds: { baseline?: number; minimum?: number; target?: number; tolerance?: number };
  observed?: number;
  source?: { kind: 'monitor' | 'build'; evaluation?: string } & ObservedSource;
  /** In build: the selected candidate's projection beside the baseline candidate's. */
  projections?: { selected?: ProjectionReport; baseline?: ProjectionReport };
  status: 'on_track' | 'at_risk' | 'failing' | 'unknown';
}

/** How an observed value stands against its bounds. */
export type BoundsStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** A guardrail's observed value in one phase it is active in (build evidence, or live evidence in monitor). */
export interface GuardrailReading {
  id: string;
  dimension: string;
  metric: string;
  phase: 'build' | 'monitor';
  observed?: number;
  bounds: { min?: number; max?: number };
  source?: ObservedSource;
  status: BoundsStatus;
  groups?: { group: string; observed?: number; status: BoundsStatus }[];
}

/** A drift check's observed value: a distance bounded by `max`, or a p-value bounded by `min`. */
export interface DriftReading {
  id: string;
  method: string;
  statistic: 'distance' | 'pvalue';
  observed?: number;
  bounds: { min?: number; max?: number; warn?: number };
  source?: ObservedSource;
  status: BoundsStatus;
}

/** The readiness of one manifest. */
export interface CheckedManifest {
  file: string;
  name?: string;
  riskTier?: string;
  status?: string;
  /** The phases it must be ready for. */
  heldTo: Phase[];
  ok: boolean;
  readyThrough: Phase | null;
  /** Set when it does not validate: its findings (`action` is the fix as data); nothing was judged. */
  invalid?: (Omit<Diagnostic, 'fix'> & { action?: Fix })[];
  phases: PhaseReport[];
  values: ValueReport[];
  guardrails: GuardrailReading[];
  drift: DriftReading[];
  waivers: Waiver[];
  /** Set when a config file pins the date the manifest is judged at (`today`). */
  pinned?: { today: string; source: string };
  /** Set when a config file sets who may record approvals (`approvals.identity`). */
  identity?: { mode: 'recorded' | 'author' | 'signed'; source: string };
}

/** `mlops check --format json`. */
export interface CheckReport {
  schemaVersion: 1;
  command: 'check';
  /** Every manifest meets what it is held to. */
  ok: boolean;
  today: string;
  phase: Phase | null;
  summary: { manifests: number; ok: number; notOk: number };
  manifests: CheckedManifest[];
  config?: ConfigReport;
}

/** One side of a diff. */
export interface DiffSideReport {
  label: string;
  rev?: string;
  commit?: string;
}

export type DiffLevel = 'error' | 'warn' | 'info';

/** A manifest with a change or a finding. */
export interface ChangedManifest {
  model: string;
  file: string;
  status: 'added' | 'deleted' | 'changed' | 'unchanged' | 'unparseable';
  baseFile?: string;
  headFile?: string;
  baseVersion?: string;
  headVersion?: string;
}

/**
 * One change of meaning, in words and as data: of the manifest's text, or of the evidence it
 * names (`breached`, `degraded`, `improved`: an observed value that moved past, toward or away
 * from its bound; `evidence`: another evidence file that changed; `stale`: an approval the
 * change makes stale).
 */
export interface ChangeReport {
  code: string;
  class:
    | 'loosened'
    | 'breaking'
    | 'tightened'
    | 'changed'
    | 'added'
    | 'removed'
    | 'breached'
    | 'degraded'
    | 'improved'
    | 'evidence'
    | 'stale';
  level: DiffLevel;
  model: string;
  file: string;
  line?: number;
  column?: number;
  /** By keys and ids, never list positions. */
  path: string[];
  field: string;
  old?: unknown;
  new?: unknown;
  /** An observed value that moved: the guardrail (or one of its groups) or value metric. */
  item?: {
    kind: 'guardrail' | 'valueMetric';
    id: string;
    dimension?: string;
    phase?: 'build' | 'monitor';
    group?: string;
    metric?: string;
  };
  /** Its bounds: a guardrail's `min`/`max`; a value metric's direction, minimum, target. */
  bounds?: {
    min?: number;
    max?: number;
    direction?: 'increase' | 'decrease' | 'maintain';
    minimumAcceptable?: number;
    target?: number;
    tolerance?: number;
  };
  /** How the new value stands against them. */
  standing?:
    | 'breached'
    | 'further'
    | 'stillOut'
    | 'backIn'
    | 'toward'
    | 'away'
    | 'moved'
    | 'appeared'
    | 'vanished';
  /** The evidence file (repository path) a value is read from, or that changed. */
  evidence?: {
    path: string;
    pointer?: string;
    proves?: string;
    item?: string;
    op?: 'added' | 'deleted';
    unread?: 'outside' | 'not_a_file' | 'too_large' | 'unreadable';
  };
  /** An approval the change makes stale, and the evidence files that changed under it. */
  approval?: {
    id: string;
    phase?: 'envision' | 'build' | 'deploy';
    reassessment?: string;
    waiver?: string;
    role: string;
    by: string;
    name?: string;
    date: string;
    sectionChanged: boolean;
    evidence: string[];
  };
  description: string;
  message: string;
  section?: 'envision' | 'build' | 'deploy';
  acknowledged?: {
    phase: 'envision' | 'build' | 'deploy';
    approvals: { role: string; by: string; name?: string; date: string; decision: string }[];
  };
  hint?: string;
  fingerprint: string;
}

/** A finding about a manifest's diff that is not a change: a version rule, an invalid side. */
export interface DiffFindingReport {
  code: string;
  level: DiffLevel;
  model: string;
  file: string;
  line?: number;
  column?: number;
  message: string;
  hint?: string;
  fingerprint: string;
  /** What reading that side found. */
  findings?: {
    code: string;
    severity: Severity;
    file: string;
    line?: number;
    column?: number;
    path: PathSegment[];
    message: string;
    hint?: string;
  }[];
}

/** `mlops diff --format json`. */
export interface DiffReport {
  schemaVersion: 1;
  command: 'diff';
  /** No change or finding at the error level. */
  ok: boolean;
  base: DiffSideReport;
  head: DiffSideReport;
  summary: {
    compared: number;
    changed: number;
    errors: number;
    warnings: number;
    infos: number;
  };
  manifests: ChangedManifest[];
  changes: ChangeReport[];
  findings: DiffFindingReport[];
  config?: ConfigReport;
}

/** What every function takes. */
export interface CommonOptions {
  /** The folder to run in, as the CLI's current folder (default: `process.cwd()`). */
  cwd?: string;
  /** The environment, for git and the cache's location (default: `process.env`). */
  env?: Record<string, string | undefined>;
  /** Errors only, as `--quiet`. */
  quiet?: boolean;
}

export interface ValidateOptions extends CommonOptions {
  /** As `--strict` (true) or `--no-strict` (false); default: `strict` of mlops.config.yaml. */
  strict?: boolean;
  /** Read and write the result cache (default: true). */
  cache?: boolean;
  /** The text of one manifest to validate instead of files, as `mlops validate -`. */
  text?: string;
  /** With `text`: the path it stands for, as `--stdin-filepath` (default: `<stdin>`). */
  filepath?: string;
}

export interface CheckOptions extends CommonOptions {
  phase?: Phase;
  /** As `--branch`: without `phase`, `check.branches` of mlops.config.yaml gives the phase. */
  branch?: string;
  /** YYYY-MM-DD, for expiry and freshness (default: today). */
  today?: string;
}

export interface DiffOptions extends CommonOptions {
  /** As `--fail-on`; it decides no field of the report, only the CLI's exit code. */
  failOn?: 'error' | 'warn' | 'info' | 'none';
}

/** The output settings of the config file are the CLI's: they shape no result here. */
const OUTPUT_KEYS: SettingKey[] = ['output.format', 'output.maxWarnings', 'output.quiet'];

async function contextOf(cwd: string, root: string, config: ConfigInForce): Promise<ReportContext> {
  return {
    color: await createColors(0),
    toolVersion: toolVersion(),
    verbose: false,
    config,
    cwd,
    root,
  };
}

/** The value as JSON has it: no `undefined` fields (what `JSON.stringify` leaves out). */
function asJson<T>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : asJson(v))) as T;
  if (value === null || typeof value !== 'object') return value as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = asJson(v);
  return out as T;
}

function where(options: CommonOptions): {
  cwd: string;
  env: Record<string, string | undefined>;
} {
  return { cwd: resolve(options.cwd ?? process.cwd()), env: options.env ?? process.env };
}

/**
 * Validates manifests as `mlops validate [paths...]` does (no paths: every mlops.yaml of the
 * repository, or of the folder outside one) and returns what `--format json` prints.
 */
export async function validate(
  paths: readonly string[] = [],
  options: ValidateOptions = {},
): Promise<ValidateReport> {
  const io = where(options);
  if (options.text === undefined && options.filepath !== undefined) {
    throw new UsageError('filepath names the manifest given as text', {
      hint: 'pass its text too: validate([], { text, filepath })',
    });
  }
  if (options.text !== undefined && paths.length > 0) {
    throw new UsageError('validate takes manifest paths or a manifest text, not both', {
      hint: 'call validate(paths) and validate([], { text }) separately',
    });
  }
  const text = options.text;
  const run = await gatherValidate(
    text !== undefined ? ['-'] : [...paths],
    {
      ...(options.strict !== undefined ? { strict: options.strict } : {}),
      cache: options.cache !== false,
      ...(options.filepath !== undefined ? { stdinFilepath: options.filepath } : {}),
      readStdin: () => {
        if (text === undefined) {
          throw new UsageError('"-" (standard input) is for the command line', {
            hint: 'pass the manifest as text: validate([], { text, filepath })',
          });
        }
        return Promise.resolve(Buffer.from(text, 'utf8'));
      },
    },
    { ...io, toolVersion: toolVersion() },
  );
  const result = options.quiet ? validateErrorsOnly(run.result) : run.result;
  return asJson(validateJson(result, await contextOf(io.cwd, run.root, run.inForce(OUTPUT_KEYS))));
}

/**
 * Judges readiness as `mlops check [paths...]` does (inside a git repository) and returns what
 * `--format json` prints.
 */
export async function check(
  paths: readonly string[] = [],
  options: CheckOptions = {},
): Promise<CheckReport> {
  const io = where(options);
  const run = await gatherCheck(
    [...paths],
    {
      ...(options.phase !== undefined ? { phase: options.phase } : {}),
      ...(options.branch !== undefined ? { branch: options.branch } : {}),
      ...(options.today !== undefined ? { today: options.today } : {}),
    },
    io,
  );
  const result = options.quiet ? checkErrorsOnly(run.result) : run.result;
  return asJson(checkJson(result, await contextOf(io.cwd, run.root, run.inForce(OUTPUT_KEYS))));
}

/**
 * Compares manifests as `mlops diff base [head] [-- paths...]` does: two revisions (`head`
 * left out: the working tree), or two manifest files. Returns what `--format json` prints.
 */
export async function diff(
  base: string,
  head?: string,
  paths: readonly string[] = [],
  options: DiffOptions = {},
): Promise<DiffReport> {
  const io = where(options);
  const run = await gatherDiff(
    head === undefined ? [base] : [base, head],
    [...paths],
    options.failOn !== undefined ? { failOn: options.failOn } : {},
    io,
  );
  const result = options.quiet ? diffErrorsOnly(run.result) : run.result;
  return asJson(diffJson(result, await contextOf(io.cwd, run.root, run.inForce(OUTPUT_KEYS))));
}
