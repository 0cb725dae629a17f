import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { plural } from '../../core/diagnostics.js';
import { parseManifest, parseManifestFast, MAX_MANIFEST_BYTES } from '../../core/load.js';
import type { RiskTier } from '../../core/manifest.js';
import {
  checkName,
  checkTarget,
  nameFromFolder,
  readTemplateDefaults,
  scaffoldManifest,
} from '../../core/scaffold.js';
import type { InitAnswers } from '../../core/scaffold.js';
import { didYouMean } from '../../core/suggest.js';
import { validateText } from '../../core/validate.js';
import { GitError, InternalError, UsageError } from '../../errors.js';
import { SCHEMA_PATH, loadValidator } from '../../io/assets.js';
import { discoverManifests } from '../../io/discover.js';
import {
  MANIFEST_FILENAME,
  findRepoRoot,
  isInside,
  statPath,
  toDisplayPath,
  writeFileAtomic,
} from '../../io/fs.js';
import { listTemplates, readTemplate } from '../../io/templates.js';
import type { CommandContext } from '../context.js';

/** Exit code after Ctrl-C at a question: the shell convention for an interrupted command (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

export interface InitOptions {
  template?: string;
  listTemplates?: boolean;
  name?: string;
  owner?: string;
  riskTier?: RiskTier;
  yes?: boolean;
  force?: boolean;
}

export async function runInit(
  dir: string,
  options: InitOptions,
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  const templates = listTemplates();
  if (options.listTemplates) {
    const width = Math.max(...templates.map((t) => t.name.length));
    io.stdout(templates.map((t) => `${t.name.padEnd(width)}  ${t.description}\n`).join(''));
    return 0;
  }
  const targetDir = resolve(io.cwd, dir);
  const file = join(targetDir, MANIFEST_FILENAME);
  const target: Target = { dir: targetDir, file, shown: toDisplayPath(io.cwd, file) };
  checkFlags(
    target,
    options,
    templates.map((t) => t.name),
    io.cwd,
  );

  const taken = await namesInUse(target, ctx);
  const nameProblem = (name: string): string | undefined => {
    const other = taken.get(name);
    return (
      checkName(name) ??
      (other ? `"${name}" is already the name of ${toDisplayPath(io.cwd, other)}` : undefined)
    );
  };
  if (options.name !== undefined && taken.has(options.name)) {
    throw new UsageError(`--name: ${nameProblem(options.name)}`, {
      hint: 'names are unique across the repository; choose another',
    });
  }
  const suggested = {
    name: options.name ?? nameFromFolder(basename(target.dir)),
    owner: options.owner ?? (await gitUserName(existingAncestor(target.dir), io.env)),
  };

  let answers: InitAnswers;
  if (!options.yes && io.stdinIsTTY && io.stdoutIsTTY) {
    const { askInitAnswers } = await import('../../io/prompts.js');
    const asked = await askInitAnswers({
      given: definedOnly({
        name: options.name,
        owner: options.owner,
        riskTier: options.riskTier,
        template: options.template,
      }),
      suggested: definedOnly({
        name:
          suggested.name !== undefined && nameProblem(suggested.name) === undefined
            ? suggested.name
            : undefined,
        owner: suggested.owner,
      }),
      templates: templates.map((t) => ({
        ...t,
        defaults: readTemplateDefaults(readTemplate(t.name)),
      })),
      checkName: nameProblem,
      checkTarget,
    });
    if (asked === undefined) {
      io.stderr('mlops init: cancelled; nothing was written\n');
      return EXIT_CANCELLED;
    }
    answers = asked;
  } else {
    answers = defaultAnswers(target, options, suggested, ctx);
  }
  const problem = nameProblem(answers.name);
  if (problem) {
    throw new UsageError(problem, {
      hint: taken.has(answers.name)
        ? 'names are unique across the repository; pass --name <slug>'
        : 'pass --name <slug>',
    });
  }

  const schemaRef = schemaReference(target.dir);
  const text = scaffoldManifest(readTemplate(answers.template), answers, schemaRef);
  await assertValid(text, target, answers.template);
  writeManifest(target, text, options.force === true);
  io.stdout(nextSteps(target.shown, answers, text, schemaRef, ctx.color));
  return 0;
}

interface Target {
  dir: string;
  /** Absolute path of the mlops.yaml to write. */
  file: string;
  /** The file as the user sees it, relative to the working directory. */
  shown: string;
}

const alreadyExists = (target: Target): UsageError =>
  new UsageError(`${target.shown} already exists; it was left unchanged`, {
    hint: 'pass --force to overwrite it',
  });

/** Everything that can be refused before a question is asked. */
function checkFlags(target: Target, options: InitOptions, templates: string[], cwd: string): void {
  const st = statPath(target.dir);
  if (st && !st.isDirectory) {
    throw new UsageError(`${toDisplayPath(cwd, target.dir)} is a file, not a folder`, {
      hint: 'pass the folder that should hold mlops.yaml',
    });
  }
  if (statPath(target.file) && !options.force) throw alreadyExists(target);
  if (options.name !== undefined) {
    const problem = checkName(options.name);
    if (problem)
      throw new UsageError(`--name: ${problem}`, {
        hint: 'metadata.name is a slug such as "churn-model"',
      });
  }
  const given = options.template;
  if (given !== undefined && !templates.includes(given)) {
    const byPrefix = templates.filter(
      (n) => given.length >= 3 && n.startsWith(given.toLowerCase()),
    );
    const close =
      byPrefix.length === 1 ? ` (did you mean "${byPrefix[0]}"?)` : didYouMean(given, templates);
    throw new UsageError(`unknown template "${given}"${close}`, {
      hint: `templates: ${templates.join(', ')} (see mlops init --list-templates)`,
    });
  }
  if (options.owner !== undefined && options.owner.trim() === '') {
    throw new UsageError('--owner is empty', { hint: 'name the person who answers for the model' });
  }
}

/** The answers without a terminal: flags, then the folder name and git, then the template. */
function defaultAnswers(
  target: Target,
  options: InitOptions,
  suggested: { name: string | undefined; owner: string | undefined },
  ctx: CommandContext,
): InitAnswers {
  if (suggested.name === undefined) {
    throw new UsageError(`cannot make a name from the folder name "${basename(target.dir)}"`, {
      hint: 'pass --name <slug>',
    });
  }
  const template = options.template ?? 'default';
  if (suggested.owner === undefined) {
    ctx.io.stderr(
      'mlops init: no --owner and no `git config user.name`; metadata.owner.name is left as a TODO\n',
    );
  }
  return {
    name: suggested.name,
    owner: suggested.owner ?? 'TODO: the accountable owner',
    riskTier: options.riskTier ?? readTemplateDefaults(readTemplate(template)).riskTier,
    template,
  };
}

/** A template that does not validate once filled in is a bug in mlops: nothing is written. */
async function assertValid(text: string, target: Target, template: string): Promise<void> {
  // the same check as `mlops validate`, fast path included
  const errors = validateText(text, target.shown, await loadValidator()).filter(
    (d) => d.severity === 'error',
  );
  const first = errors[0];
  if (first) {
    throw new InternalError(
      `the manifest made from template "${template}" does not validate (${plural(errors.length, 'error')}; first, line ${first.line}: ${first.code} ${first.message}); nothing was written`,
    );
  }
}

function writeManifest(target: Target, text: string, force: boolean): void {
  // Created only now that every answer is in, so a cancelled run leaves no empty folder.
  const created = mkdirSync(target.dir, { recursive: true });
  try {
    writeFileAtomic(target.file, text, { overwrite: force });
  } catch (error) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(target);
    throw error;
  }
}

function definedOnly<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function nextSteps(
  shown: string,
  answers: InitAnswers,
  text: string,
  schemaRef: string,
  color: CommandContext['color'],
): string {
  // `TODO:"` is the header's mention of the marks, not a mark
  // quoted so the commands can be copied as they are
  const arg = /^[\w./-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
  const todos = plural(text.match(/TODO:(?!")/g)?.length ?? 0, '"TODO:" mark');
  const lines = [
    `${color.green(`Created ${shown}`)} (template ${answers.template}, risk tier ${answers.riskTier}, status envision).`,
    '',
    color.bold('Next steps:'),
    `  1. Fill in the ${todos}: the problem and hypothesis, the stakeholders' names.`,
    '  2. Value metrics: where each baseline comes from (source), the targets, and minimumAcceptable.',
    '  3. Guardrails: confirm the bounds in all six Trustworthy AI dimensions, and plan the evidence',
    '     (test and monitoring reports) that will show each one is met.',
    `  4. mlops validate ${arg}   then   mlops check ${arg}`,
  ];
  if (schemaRef.startsWith('/') || /^[A-Za-z]:/.test(schemaRef)) {
    lines.push(
      '',
      `The schema line points to ${schemaRef}; add mlops as a devDependency for a path that works in every clone.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The nearest folder that exists at or above `dir`. */
function existingAncestor(dir: string): string {
  let current = dir;
  while (!statPath(current)?.isDirectory) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/**
 * Where the `$schema` line points. Inside a repository that holds the schema (the project's own
 * node_modules/mlops, or mlops' own checkout), a path relative to the manifest, so it resolves in
 * every clone; otherwise the installed package's absolute path, which resolves on this machine.
 */
function schemaReference(targetDir: string): string {
  const root = findRepoRoot(existingAncestor(targetDir));
  const slashes = (p: string): string => p.split(sep).join('/');
  if (root) {
    for (let d = targetDir; isInside(root, d); d = dirname(d)) {
      const candidate = join(d, 'node_modules', 'mlops', 'schemas', basename(SCHEMA_PATH));
      if (statPath(candidate)?.isFile) return slashes(relative(targetDir, candidate));
      if (d === root) break;
    }
    if (isInside(root, SCHEMA_PATH)) return slashes(relative(targetDir, SCHEMA_PATH));
  }
  return slashes(SCHEMA_PATH);
}

const execFileAsync = promisify(execFile);

/** `git config user.name`, or undefined (no git, no name, or not set): never an error. */
async function gitUserName(
  cwd: string,
  env: CommandContext['io']['env'],
): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['config', '--get', 'user.name'], {
      cwd,
      env: { ...process.env, ...env },
    });
    const name = stdout.trim();
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

/** `metadata.name` of every other manifest in the repository, to refuse a duplicate name. */
async function namesInUse(target: Target, ctx: CommandContext): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const start = existingAncestor(target.dir);
  if (!findRepoRoot(start)) return names;
  let files: string[];
  try {
    files = (await discoverManifests([], start)).files;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    ctx.io.stderr(
      `mlops init: could not list the repository's manifests (${error.message}); names are not checked for duplicates\n`,
    );
    return names;
  }
  for (const other of files) {
    if (resolve(other) === target.file || (statPath(other)?.size ?? 0) > MAX_MANIFEST_BYTES)
      continue;
    let text: string;
    try {
      text = readFileSync(other, 'utf8');
    } catch {
      continue;
    }
    const data = parseManifestFast(text) ?? parseManifest(text, other).data;
    const metadata = (data as { metadata?: { name?: unknown } } | undefined)?.metadata;
    if (typeof metadata?.name === 'string' && !names.has(metadata.name))
      names.set(metadata.name, other);
  }
  return names;
}
