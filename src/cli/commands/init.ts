import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { parseManifest, parseManifestFast, MAX_MANIFEST_BYTES } from '../../core/load.js';
import type { RiskTier } from '../../core/manifest.js';
import { checkName, checkTarget, nameFromFolder, readTemplateDefaults, scaffoldManifest } from '../../core/scaffold.js';
import type { InitAnswers } from '../../core/scaffold.js';
import { didYouMean } from '../../core/suggest.js';
import { validateParsed } from '../../core/validate.js';
import { GitError, InternalError, UsageError } from '../../errors.js';
import { SCHEMA_PATH, loadValidator } from '../../io/assets.js';
import { discoverManifests } from '../../io/discover.js';
import { MANIFEST_FILENAME, findRepoRoot, isInside, statPath, toDisplayPath, writeFileAtomic } from '../../io/fs.js';
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

export async function runInit(dir: string, options: InitOptions, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const templates = listTemplates();
  if (options.listTemplates) {
    const width = Math.max(...templates.map((t) => t.name.length));
    io.stdout(templates.map((t) => `${t.name.padEnd(width)}  ${t.description}\n`).join(''));
    return 0;
  }

  const targetDir = resolve(io.cwd, dir);
  const file = join(targetDir, MANIFEST_FILENAME);
  const shown = toDisplayPath(io.cwd, file);
  const st = statPath(targetDir);
  if (st && !st.isDirectory) {
    throw new UsageError(`${toDisplayPath(io.cwd, targetDir)} is a file, not a folder`, { hint: 'pass the folder that should hold mlops.yaml' });
  }
  const exists = (): UsageError =>
    new UsageError(`${shown} already exists; it was left unchanged`, { hint: 'pass --force to overwrite it' });
  if (statPath(file) && !options.force) throw exists();

  if (options.name !== undefined) {
    const problem = checkName(options.name);
    if (problem) throw new UsageError(`--name: ${problem}`, { hint: 'metadata.name is a slug such as "churn-model"' });
  }
  const names = templates.map((t) => t.name);
  if (options.template !== undefined && !names.includes(options.template)) {
    const given = options.template;
    const byPrefix = names.filter((n) => given.length >= 3 && n.startsWith(given.toLowerCase()));
    const close = byPrefix.length === 1 ? ` (did you mean "${byPrefix[0]}"?)` : didYouMean(given, names);
    throw new UsageError(`unknown template "${given}"${close}`, {
      hint: `templates: ${names.join(', ')} (see mlops init --list-templates)`,
    });
  }
  if (options.owner !== undefined && options.owner.trim() === '') {
    throw new UsageError('--owner is empty', { hint: 'name the person who answers for the model' });
  }

  const taken = await namesInUse(targetDir, file, ctx);
  const nameProblem = (name: string): string | undefined => {
    const other = taken.get(name);
    return checkName(name) ?? (other ? `"${name}" is already the name of ${toDisplayPath(io.cwd, other)}` : undefined);
  };
  if (options.name !== undefined && taken.has(options.name)) {
    throw new UsageError(`--name: ${nameProblem(options.name)}`, { hint: 'names are unique across the repository; choose another' });
  }

  const suggestedName = options.name ?? nameFromFolder(basename(targetDir));
  const gitOwner = options.owner ?? (await gitUserName(existingAncestor(targetDir), io.env));
  const interactive = !options.yes && io.stdinIsTTY && io.stdoutIsTTY;
  let answers: InitAnswers;
  if (interactive) {
    const { askInitAnswers } = await import('../../io/prompts.js');
    const asked = await askInitAnswers({
      given: {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.owner !== undefined ? { owner: options.owner } : {}),
        ...(options.riskTier !== undefined ? { riskTier: options.riskTier } : {}),
        ...(options.template !== undefined ? { template: options.template } : {}),
      },
      suggested: {
        ...(suggestedName !== undefined && nameProblem(suggestedName) === undefined ? { name: suggestedName } : {}),
        ...(gitOwner !== undefined ? { owner: gitOwner } : {}),
      },
      templates: templates.map((t) => ({ ...t, defaults: readTemplateDefaults(readTemplate(t.name)) })),
      checkName: nameProblem,
      checkTarget,
    });
    if (asked === undefined) {
      io.stderr('mlops init: cancelled; nothing was written\n');
      return EXIT_CANCELLED;
    }
    answers = asked;
  } else {
    if (suggestedName === undefined) {
      throw new UsageError(`cannot make a name from the folder name "${basename(targetDir)}"`, { hint: 'pass --name <slug>' });
    }
    const template = options.template ?? 'default';
    const defaults = readTemplateDefaults(readTemplate(template));
    if (gitOwner === undefined) {
      io.stderr('mlops init: no --owner and no `git config user.name`; metadata.owner.name is left as a TODO\n');
    }
    answers = {
      name: suggestedName,
      owner: gitOwner ?? 'TODO: the accountable owner',
      riskTier: options.riskTier ?? defaults.riskTier,
      template,
    };
  }
  const problem = nameProblem(answers.name);
  if (problem) {
    throw new UsageError(problem, {
      hint: taken.has(answers.name) ? 'names are unique across the repository; pass --name <slug>' : 'pass --name <slug>',
    });
  }

  const schemaRef = schemaReference(targetDir);
  const text = scaffoldManifest(readTemplate(answers.template), answers, schemaRef);
  const errors = validateParsed(parseManifest(text, shown), await loadValidator()).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new InternalError(
      `the manifest made from template "${answers.template}" does not validate (${errors.length} error${errors.length === 1 ? '' : 's'}, first: line ${first.line}: ${first.code} ${first.message}); nothing was written`,
    );
  }

  // Created only now that every answer is in, so a cancelled run leaves no empty folder.
  const created = mkdirSync(targetDir, { recursive: true });
  try {
    writeFileAtomic(file, text, { overwrite: options.force === true });
  } catch (error) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
    throw error;
  }
  io.stdout(nextSteps(shown, answers, text, schemaRef));
  return 0;
}

function nextSteps(shown: string, answers: InitAnswers, text: string, schemaRef: string): string {
  const todos = text.split('TODO:').length - 1;
  const lines = [
    `Created ${shown} (template ${answers.template}, risk tier ${answers.riskTier}, status envision).`,
    '',
    'Next steps:',
    `  1. Fill in the ${todos} "TODO:" mark${todos === 1 ? '' : 's'}: the problem and hypothesis, the stakeholders' names.`,
    '  2. Value metrics: where each baseline comes from (source), the targets, and minimumAcceptable.',
    '  3. Guardrails: confirm the bounds in all six Trustworthy AI dimensions, and plan the evidence',
    '     (test and monitoring reports) that will show each one is met.',
    `  4. mlops validate ${shown}   then   mlops check ${shown}`,
  ];
  if (schemaRef.startsWith('/') || /^[A-Za-z]:/.test(schemaRef)) {
    lines.push('', `The schema line points to ${schemaRef}; add mlops as a devDependency for a path that works in every clone.`);
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
async function gitUserName(cwd: string, env: CommandContext['io']['env']): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['config', '--get', 'user.name'], { cwd, env: { ...process.env, ...env } });
    const name = stdout.trim();
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

/** `metadata.name` of every other manifest in the repository, to refuse a duplicate name. */
async function namesInUse(targetDir: string, file: string, ctx: CommandContext): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const start = existingAncestor(targetDir);
  if (!findRepoRoot(start)) return names;
  let files: string[];
  try {
    files = (await discoverManifests([], start)).files;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    ctx.io.stderr(`mlops init: could not list the repository's manifests (${error.message}); names are not checked for duplicates\n`);
    return names;
  }
  for (const other of files) {
    if (resolve(other) === file || (statPath(other)?.size ?? 0) > MAX_MANIFEST_BYTES) continue;
    let text: string;
    try {
      text = readFileSync(other, 'utf8');
    } catch {
      continue;
    }
    const data = parseManifestFast(text) ?? parseManifest(text, other).data;
    const metadata = (data as { metadata?: { name?: unknown } } | undefined)?.metadata;
    if (typeof metadata?.name === 'string' && !names.has(metadata.name)) names.set(metadata.name, other);
  }
  return names;
}
