import { escapeLine } from '../../report/escape.js';
import { basename, join, resolve } from 'node:path';
import { plural } from '../../report/words.js';
import { wrapLine } from '../../report/wrap.js';
import type { RiskTier } from '../../core/manifest.js';
import { readManifest } from '../../core/manifest/reader.js';
import {
  checkMinimum,
  checkName,
  checkTarget,
  checkTargetDate,
  closestTemplate,
  nameFromFolder,
  readTemplateDefaults,
  scaffoldManifest,
  todoPlaces,
} from '../../core/scaffold.js';
import type { InitAnswers } from '../../core/scaffold.js';
import { InternalError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import {
  CI_PROVIDERS,
  GITLAB_CI,
  GITLAB_INCLUDED,
  planCiFile,
  writeCiFile,
} from '../../io/ci-scaffold.js';
import type { CiPlan, CiProvider } from '../../io/ci-scaffold.js';
import { MANIFEST_FILENAME, statPath, toDisplayPath } from '../../io/fs.js';
import {
  existingAncestor,
  existingManifest,
  gitUserName,
  namesInUse,
  schemaReference,
  writeNewManifest,
} from '../../io/scaffold.js';
import type { ExistingManifest, InitTarget } from '../../io/scaffold.js';
import { listTemplates, readTemplate } from '../../io/templates.js';
import { describeFinding } from '../../report/messages/words.js';
import type { CommandContext } from '../context.js';
import { localToday } from '../today.js';

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
  /** Write the CI files of this provider into the repository, and nothing else. */
  ci?: CiProvider;
}

export async function runInit(
  dir: string,
  options: InitOptions,
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  if (options.ci !== undefined) return runInitCi(dir, options.ci, options, ctx);
  const templates = listTemplates();
  if (options.listTemplates) {
    const width = Math.max(...templates.map((t) => t.name.length));
    // on a terminal, a long description goes on under itself
    io.stdout(
      templates
        .map(
          (t) => `${wrapLine(`${t.name.padEnd(width)}  ${t.description}`, ctx.width, width + 2)}\n`,
        )
        .join(''),
    );
    return 0;
  }
  const targetDir = resolve(io.cwd, dir);
  const file = join(targetDir, MANIFEST_FILENAME);
  const target: InitTarget = { dir: targetDir, file, shown: toDisplayPath(io.cwd, file) };
  const existing = checkFlags(
    target,
    options,
    templates.map((t) => t.name),
    ctx,
  );

  const taken = await namesInUse(target, io.cwd, (message) =>
    io.stderr(`mlops init: ${escapeLine(message)}\n`),
  );
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
      checkMinimum,
      checkTargetDate: (date) => checkTargetDate(date, localToday()),
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
  writeNewManifest(target, text, options.force === true, existing);
  io.stdout(nextSteps(target.shown, answers, text, schemaRef, ctx));
  return 0;
}

/**
 * Everything that can be refused before a question is asked. Returns the manifest that
 * `--force` replaces, as it is now.
 */
function checkFlags(
  target: InitTarget,
  options: InitOptions,
  templates: string[],
  ctx: CommandContext,
): ExistingManifest | undefined {
  const cwd = ctx.io.cwd;
  const st = statPath(target.dir);
  if (st && !st.isDirectory) {
    throw new UsageError(`${toDisplayPath(cwd, target.dir)} is a file, not a folder`, {
      hint: 'pass the folder that should hold mlops.yaml',
    });
  }
  // never opened when it is a FIFO or a device: refused unless it is a regular file
  const existing = existingManifest(target, options.force === true);
  if (options.name !== undefined) {
    const problem = checkName(options.name);
    if (problem)
      throw new UsageError(`--name: ${problem}`, {
        hint: 'metadata.name is a slug such as "churn-model"',
      });
  }
  const given = options.template;
  if (given !== undefined && !templates.includes(given)) {
    const close = closestTemplate(given, templates);
    throw new UsageError(
      `unknown template "${given}"${close ? ` (did you mean "${close}"?)` : ''}`,
      {
        hint: `templates: ${templates.join(', ')} (see ${ctx.invokedAs} init --list-templates)`,
      },
    );
  }
  if (options.owner !== undefined && options.owner.trim() === '') {
    throw new UsageError('--owner is empty', { hint: 'name the person who answers for the model' });
  }
  return existing;
}

/** The answers without a terminal: flags, then the folder name and git, then the template. */
function defaultAnswers(
  target: InitTarget,
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
async function assertValid(text: string, target: InitTarget, template: string): Promise<void> {
  // read as every command reads a manifest, so "validates" means what `mlops validate` says
  const { findings } = readManifest(text, target.shown, await loadValidator());
  const errors = findings.filter((f) => f.severity === 'error');
  const first = errors[0];
  if (first) {
    throw new InternalError(
      `the manifest made from template "${template}" does not validate (${plural(errors.length, 'error')}; first, line ${first.line}: ${first.code} ${describeFinding(first).message}); nothing was written`,
    );
  }
}

function definedOnly<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * What init says once the file is written: what is left to fill in (the `TODO:` marks of the
 * file written, by what they stand for), what to review, and the commands that check it, spelt
 * as the user runs mlops. On a terminal, each line wraps at its width.
 */
function nextSteps(
  shown: string,
  answers: InitAnswers,
  text: string,
  schemaRef: string,
  ctx: CommandContext,
): string {
  const { color, invokedAs } = ctx;
  // never a raw control character on the terminal; quoted so the commands can be copied
  shown = escapeLine(shown);
  const arg = /^[\w./-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`;
  const { count, places } = todoPlaces(text);
  const steps: string[] = [];
  if (count > 0)
    steps.push(`Fill in the ${plural(count, '"TODO:" mark')}: ${listed(places.map(escapeLine))}.`);
  steps.push(
    'Value metrics: measure each baseline and say where it comes from, agree each target with its date (target.by) and the worst level that still pays (minimumAcceptable); `check` lists what is missing (rule E2).',
    'Guardrails: confirm the bounds in all six Trustworthy AI dimensions, and plan the evidence (test and monitoring reports) that will show each one is met.',
    `Validate it, then check it:\n       ${invokedAs} validate ${arg}\n       ${invokedAs} check ${arg}`,
  );
  const lines = [
    `${color.green(`Created ${shown}`)} (template ${answers.template}, risk tier ${answers.riskTier}, status envision).`,
    '',
    color.bold('Next steps:'),
    ...steps.map((step, i) => `  ${i + 1}. ${step}`),
  ];
  if (schemaRef.startsWith('/') || /^[A-Za-z]:/.test(schemaRef)) {
    lines.push(
      '',
      `The schema line points to ${escapeLine(schemaRef)}; add mlops as a devDependency for a path that works in every clone.`,
    );
  }
  return `${lines.map((l) => wrapLine(l, ctx.width)).join('\n')}\n`;
}

/** `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length > 1
    ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
    : (items[0] ?? '');
}

/** `mlops init --ci <provider>`: the CI file at the top of the repository, and nothing else. */
async function runInitCi(
  dir: string,
  provider: string,
  options: InitOptions,
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  if (!(CI_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--ci: unknown provider "${provider}"`, {
      hint: `pass one of ${CI_PROVIDERS.map((p) => `--ci ${p}`).join(', ')}`,
    });
  }
  const manifestFlags = (
    [
      ['--template', options.template],
      ['--list-templates', options.listTemplates],
      ['--name', options.name],
      ['--owner', options.owner],
      ['--risk-tier', options.riskTier],
    ] as const
  )
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([flag]) => flag);
  if (manifestFlags.length > 0) {
    throw new UsageError(
      `--ci writes only the CI files; ${manifestFlags.join(', ')} ${manifestFlags.length === 1 ? 'is' : 'are'} for a new mlops.yaml`,
      {
        hint: `run \`${ctx.invokedAs} init --ci ${provider}\` on its own, and \`${ctx.invokedAs} init "FOLDER" ${manifestFlags[0]} ...\` for the manifest`,
      },
    );
  }
  const targetDir = resolve(io.cwd, dir);
  if (!statPath(targetDir)?.isDirectory) {
    throw new UsageError(`${toDisplayPath(io.cwd, targetDir)} is not a folder`, {
      hint: 'pass a folder inside the repository (the CI files go at its top), or none for this one',
    });
  }
  const force = options.force === true;
  const plan = await planCiFile(provider as CiProvider, targetDir, io.cwd, force, io.env);
  writeCiFile(plan, force);
  io.stdout(ciNextSteps(plan, io.cwd, ctx.color));
  return 0;
}

/** A path or word as one shell argument, as it can be pasted. */
function shellArg(s: string): string {
  s = escapeLine(s);
  return /^[\w./@:+=-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

function ciNextSteps(plan: CiPlan, cwd: string, color: CommandContext['color']): string {
  const file = plan.target.file
    .slice(plan.root.length + 1)
    .split(/[\\/]/)
    .join('/');
  const review = plan.provider === 'github' ? 'pull requests' : 'merge requests';
  const lines: string[] = [
    `${color.green(`${plan.existing ? 'Replaced' : 'Created'} ${escapeLine(plan.target.shown)}`)}: mlops validate, mlops check as the gate, and mlops diff on ${review}${
      plan.provider === 'github'
        ? ` (pushes to ${escapeLine(plan.defaultBranch)} are checked too)`
        : ' (the default branch is checked too)'
    }.`,
  ];
  if (plan.include) {
    lines.push(
      `The repository has its own ${GITLAB_CI}, which was left unchanged: ${GITLAB_INCLUDED} ${
        plan.include.included ? 'is already included from it.' : 'must be included from it.'
      }`,
    );
  }
  // each step: what it is for, then the command, which works when pasted
  const steps: [why: string, command: string][] = [];
  const rootShown = toDisplayPath(cwd, plan.root);
  if (rootShown !== '.') {
    steps.push(["Go to the repository's top folder:", `cd ${shellArg(rootShown)}`]);
  }
  const added = [file];
  if (plan.needsInstall) {
    steps.push([
      'Install mlops as a devDependency (the pipeline runs npm ci, then that mlops):',
      'npm install --save-dev mlops',
    ]);
  }
  if (plan.include && !plan.include.included) {
    steps.push(
      plan.include.hasInclude
        ? [`Add this item to the include: list of ${GITLAB_CI}:`, `- local: ${GITLAB_INCLUDED}`]
        : [
            `Include it from ${GITLAB_CI}:`,
            `printf '\\ninclude:\\n  - local: ${GITLAB_INCLUDED}\\n' >> ${GITLAB_CI}`,
          ],
    );
    added.push(GITLAB_CI);
  }
  if (plan.needsInstall) added.push('package.json', 'package-lock.json');
  steps.push([
    'Commit:',
    `git add ${added.map(shellArg).join(' ')} && git commit -m "Check the mlops manifests in CI"`,
  ]);
  if (plan.provider === 'gitlab') {
    steps.push([
      'To post the diff on merge requests, put a project access token (Reporter role, api scope) in the CI/CD variable MLOPS_GITLAB_TOKEN, masked and not protected:',
      'glab variable set MLOPS_GITLAB_TOKEN --masked --value "$(glab token create mlops-notes --access-level reporter --scope api --duration 8760h)"',
    ]);
  }
  lines.push('', color.bold('Next steps:'));
  steps.forEach(([why, command], i) => lines.push(`  ${i + 1}. ${why}`, `       ${command}`));
  lines.push(
    '',
    'The phase mlops check holds each branch to comes from check.branches in mlops.config.yaml\n(for example main: deploy); with no match, each model is held to its metadata.status.',
  );
  return `${lines.join('\n')}\n`;
}
