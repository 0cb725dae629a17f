// Where the reports of validate, check and diff go: `-f, --format name[=path]` (repeatable, at
// most one to standard output), `-o, --output <file>`, `--quiet` and `--max-warnings`, with
// their defaults from the `output` settings of mlops.config.yaml. Files are written atomically
// (a temporary file beside them, then a rename), replacing what was there.
import { lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { settingOf } from '../core/config.js';
import type { ConfigInForce, ResolvedConfig, SettingKey } from '../core/config.js';
import { didYouMean } from '../core/suggest.js';
import { InputError, UsageError } from '../errors.js';
import { toDisplayPath } from '../io/fs.js';
import { writeError, writeFileAtomic, writeIntoSpecial } from '../io/write.js';
import { plural } from '../report/words.js';
import type { ReportContext } from '../report/context.js';
import { createColors } from './colors.js';
import type { CliIO, CommandContext } from './context.js';

export type OutputCommand = 'validate' | 'check' | 'diff';

/** What gathering a result needs of the process: where it runs and its environment. */
export interface GatherIO {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The usual file extension of each format, for examples in hints. */
const EXTENSION: Record<string, string> = {
  text: 'txt',
  stylish: 'txt',
  markdown: 'md',
  github: 'txt',
  sarif: 'sarif',
  junit: 'xml',
};
const example = (format: string): string => `mlops-report.${EXTENSION[format] ?? 'json'}`;

/** The output flags as the command line gives them. */
export interface OutputFlags {
  /** `-f, --format`, each `name` or `name=path`. */
  format?: string[];
  /** `-o, --output <file>`. */
  output?: string;
  /** `--quiet` (true), `--no-quiet` (false), or neither. */
  quiet?: boolean;
  /** `--max-warnings <n>`, as given. */
  maxWarnings?: string;
}

/** One report to make, and where it goes. */
export interface OutputTarget {
  /** The reporter's name. */
  format: string;
  /** The file it is written to (absolute, and as the user named it); absent: standard output. */
  file?: { abs: string; shown: string };
}

/** Every report of a run, and the options that shape them and the exit code. */
export interface OutputPlan {
  targets: OutputTarget[];
  /** Errors only in every format (warnings still count for `maxWarnings`). */
  quiet: boolean;
  /** What set `quiet`: `--quiet`, or the config file. */
  quietFrom: string;
  /** Exit 1 when there are more warnings than `limit`; `from` says what set it. */
  maxWarnings?: { limit: number; from: string };
  /** The `output` settings of the config that a flag overrode (left out of JSON's `config`). */
  overridden: SettingKey[];
}

/**
 * The reporter of `name` among `available`, or undefined. `text` and `stylish` (ESLint's name)
 * are one format: whichever of the two the reporters have.
 */
function reporterName(name: string, available: readonly string[]): string | undefined {
  if (available.includes(name)) return name;
  if (name === 'stylish' && available.includes('text')) return 'text';
  if (name === 'text' && available.includes('stylish')) return 'stylish';
  return undefined;
}

/** The names a user may give, for messages: the reporters, with stylish called text. */
function shownNames(available: readonly string[]): string[] {
  return available.map((n) => (n === 'stylish' ? 'text' : n));
}

interface Spec {
  name: string;
  path?: string;
  /** The folder a relative path is relative to. */
  base: string;
  /** How the message names the spec: `--format json=x` or `output.format in mlops.config.yaml`. */
  where: string;
}

function splitSpec(spec: string): { name: string; path?: string } {
  const eq = spec.indexOf('=');
  return eq < 0 ? { name: spec } : { name: spec.slice(0, eq), path: spec.slice(eq + 1) };
}

/** `--max-warnings`: a whole number; -1 turns a limit of the config file off. */
function parseMaxWarnings(value: string): number {
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < -1) {
    throw new UsageError(`--max-warnings must be a whole number of 0 or more, not "${value}"`, {
      hint: 'give the number of warnings to allow, e.g. --max-warnings 0; -1 allows any number',
    });
  }
  return n;
}

/**
 * The reports of a run of `command`: the flags, else the `output` settings of `run` (the config
 * files above the folder the command runs in), else the text report on standard output. A name
 * the command does not have is a UsageError from a flag; from the config file, which all
 * commands share, it is left out. Throws before any work is done: a second report to standard
 * output, two reports to one file, or a file that is a folder.
 */
export function planOutput(
  command: OutputCommand,
  flags: OutputFlags,
  available: readonly string[],
  run: ResolvedConfig,
  cwd: string,
): OutputPlan {
  const overridden: SettingKey[] = [];
  const specs: Spec[] = [];
  if (flags.format !== undefined && flags.format.length > 0) {
    overridden.push('output.format');
    for (const spec of flags.format)
      specs.push({ ...splitSpec(spec), base: cwd, where: `--format ${spec}` });
  } else {
    const { value, source } = settingOf(run, 'output.format', undefined, []);
    const dir = run.chain.find((c) => c.file === source)?.dir ?? cwd;
    for (const spec of value) {
      const parsed = splitSpec(spec);
      // the config is shared by every command: a format this one lacks is not for it
      if (reporterName(parsed.name, available) === undefined) continue;
      specs.push({ ...parsed, base: dir, where: `output.format in ${source ?? 'the config'}` });
    }
  }

  const targets: OutputTarget[] = [];
  let toStdout: Spec | undefined;
  for (const spec of specs) {
    const format = reporterName(spec.name, available);
    if (format === undefined) {
      const names = shownNames(available);
      throw new UsageError(
        spec.name === ''
          ? `${spec.where}: no format name`
          : `unknown format "${spec.name}" for mlops ${command}${didYouMean(spec.name, names)}`,
        {
          hint: `--format takes one of ${names.join(', ')}; add =<file> to write it to a file, e.g. --format sarif=mlops.sarif`,
        },
      );
    }
    if (spec.path === undefined) {
      if (toStdout) {
        throw new UsageError(
          `--format ${toStdout.name} and --format ${spec.name} both go to standard output; only one can`,
          {
            hint: `give all formats but one a file: --format ${spec.name}=<file>`,
          },
        );
      }
      toStdout = spec;
      targets.push({ format });
      continue;
    }
    if (spec.path === '') {
      throw new UsageError(`${spec.where}: no file after "="`, {
        hint: `name the file, e.g. --format ${spec.name}=${example(spec.name)}`,
      });
    }
    targets.push({ format, file: fileTarget(spec.path, spec.base, cwd) });
  }
  if (!toStdout) {
    // reports written to files only: the text report still goes to standard output
    targets.unshift({ format: reporterName('text', available) ?? available[0]! });
  }
  if (flags.output !== undefined) {
    if (flags.output === '') {
      throw new UsageError('--output needs a file name', {
        hint: 'e.g. --output mlops-report.txt; leave it out to write to standard output',
      });
    }
    const stdout = targets.find((t) => t.file === undefined)!;
    stdout.file = fileTarget(flags.output, cwd, cwd);
  }
  const seen = new Map<string, OutputTarget>();
  for (const t of targets) {
    if (!t.file) continue;
    const other = seen.get(t.file.abs);
    if (other) {
      throw new UsageError(
        `${other.format} and ${t.format} would both be written to ${t.file.shown}`,
        { hint: 'give each format a file of its own' },
      );
    }
    seen.set(t.file.abs, t);
    if (statSync(t.file.abs, { throwIfNoEntry: false })?.isDirectory()) {
      throw new InputError(`cannot write ${t.file.shown}: it is a folder; nothing was written`, {
        hint: `give the path of a file, e.g. ${t.file.shown.replace(/\/+$/, '')}/${example(t.format)}`,
      });
    }
  }

  let quiet = false;
  let quietFrom = '--quiet';
  if (flags.quiet !== undefined) {
    overridden.push('output.quiet');
    quiet = flags.quiet;
  } else {
    const { value, source } = settingOf(run, 'output.quiet', undefined, false);
    quiet = value;
    if (source) quietFrom = `quiet: true in ${source}`;
  }

  let maxWarnings: OutputPlan['maxWarnings'];
  if (flags.maxWarnings !== undefined) {
    overridden.push('output.maxWarnings');
    const limit = parseMaxWarnings(flags.maxWarnings);
    if (limit >= 0) maxWarnings = { limit, from: `--max-warnings ${limit}` };
  } else {
    const { value, source } = settingOf(run, 'output.maxWarnings', undefined, -1);
    if (value >= 0) maxWarnings = { limit: value, from: `maxWarnings: ${value} in ${source}` };
  }
  return {
    targets,
    quiet,
    quietFrom,
    ...(maxWarnings ? { maxWarnings } : {}),
    overridden,
  };
}

function fileTarget(path: string, base: string, cwd: string): { abs: string; shown: string } {
  const abs = resolve(base, path);
  return { abs, shown: isAbsolute(path) && base === cwd ? path : toDisplayPath(cwd, abs) };
}

/**
 * Makes each report of `plan` (once per format; `toFile`: for a file, which is never colored)
 * and sends it where it goes: the files first, then standard output. A file that cannot be
 * written stops the run with an InputError naming it and the cause (exit 2); files written
 * before it stay written. A report made in parts (`Iterable<string>`) is written as it is made.
 */
export function writeOutputs(
  plan: OutputPlan,
  render: (format: string, toFile: boolean) => string | Iterable<string>,
  io: Pick<CliIO, 'stdout'>,
): void {
  const made = new Map<string, string>();
  // a text made in parts is made again for each target rather than held whole
  const report = (format: string, toFile: boolean): string | Iterable<string> => {
    const key = `${format}\0${toFile}`;
    const known = made.get(key);
    if (known !== undefined) return known;
    const text = render(format, toFile);
    if (typeof text === 'string') made.set(key, text);
    return text;
  };
  let stdout: { format: string } | undefined;
  for (const t of plan.targets) {
    if (t.file) writeReport(t.file, report(t.format, true));
    else stdout = t;
  }
  // standard output last, once every file is written
  if (stdout) {
    const text = report(stdout.format, false);
    if (typeof text === 'string') {
      if (text) io.stdout(text);
    } else for (const part of text) if (part) io.stdout(part);
  }
}

function writeReport(
  file: { abs: string; shown: string },
  content: string | Iterable<string>,
): void {
  let target = file.abs;
  try {
    // through a symlink, as the shell's `>` writes, rather than over it (also to a file the
    // link names that does not exist yet)
    for (let hops = 0; lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink(); hops++) {
      if (hops === 40)
        throw Object.assign(new Error('symlink loop'), { code: 'ELOOP', path: file.abs });
      target = resolve(dirname(target), readlinkSync(target));
    }
    if (writeIntoSpecial(target, content)) return;
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, content, { overwrite: true });
  } catch (error) {
    throw writeError(error, file.shown, target);
  }
}

/**
 * The exit code once `--max-warnings` is applied to the command's own (`code`), saying on
 * standard error why a run fails that its reports may not show: too many warnings, or warnings
 * that `--quiet` left out.
 */
export function finalExitCode(
  plan: OutputPlan,
  outcome: {
    code: 0 | 1;
    /** Warnings in the whole result, shown or not. */
    warnings: number;
    /** The command's code fails on findings that `--quiet` left out of the reports. */
    failsOnHidden: boolean;
  },
  io: Pick<CliIO, 'stderr'>,
): 0 | 1 {
  let code = outcome.code;
  if (plan.quiet && outcome.failsOnHidden) {
    io.stderr(`mlops: the run fails on warnings that ${plan.quietFrom} leaves out of the report\n`);
    io.stderr('hint: run the same command without --quiet (or with --no-quiet) to see them\n');
  }
  const max = plan.maxWarnings;
  if (max && outcome.warnings > max.limit) {
    io.stderr(`mlops: ${plural(outcome.warnings, 'warning')}, more than ${max.from} allows\n`);
    io.stderr(
      `hint: fix the warnings${plan.quiet ? ' (run without --quiet to see them)' : ''}, or allow more with --max-warnings <n>\n`,
    );
    code = 1;
  }
  return code;
}

/** What `validate`, `check` or `diff` found, and what its reports and exit code need besides. */
export interface GatheredRun<R> {
  result: R;
  /** The command's own exit code, before `--max-warnings`. */
  code: 0 | 1;
  /** The repository root (the folder the command runs in outside a repository). */
  root: string;
  /** The `config` of the reports, less the settings `overridden` by flags. */
  inForce(overridden?: readonly SettingKey[]): ConfigInForce;
}

/**
 * The context of each report of a run, by where it goes: colored and wrapped only on standard
 * output (when the run's colors are on, and stdout is a terminal), never in a file.
 */
export async function reportContexts(
  ctx: CommandContext,
  shared: { config: ConfigInForce; cwd: string; root: string },
): Promise<(toFile: boolean) => ReportContext> {
  const plain = await createColors(0);
  return (toFile) => ({
    color: toFile ? plain : ctx.color,
    toolVersion: ctx.toolVersion,
    verbose: ctx.verbose,
    invokedAs: ctx.invokedAs,
    ...(toFile || ctx.width === undefined ? {} : { width: ctx.width }),
    ...shared,
  });
}
