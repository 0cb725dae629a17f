import { Argument, Command, CommanderError, Option } from 'commander';
import type { Finding } from '../core/findings.js';
import { InternalError, MlopsError } from '../errors.js';
import { toolVersion } from '../io/assets.js';
import { invocation } from './invocation.js';
import { escapeControl, escapeLine } from '../report/escape.js';
import { createColors } from './colors.js';
import type { CliIO, CommandContext } from './context.js';

interface CommonOptions {
  color?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

/** The formats of each command, as the user names them (src/report/ has their reporters). */
const FORMATS = {
  validate: ['text', 'json', 'github', 'sarif', 'junit', 'codequality'],
  check: ['text', 'json', 'markdown', 'github', 'sarif', 'junit', 'codequality'],
  diff: ['text', 'json', 'markdown', 'github', 'sarif', 'junit', 'codequality'],
  explain: ['text', 'json'],
} as const;

type OutputCommand = Exclude<keyof typeof FORMATS, 'explain'>;

/** `text` in lines of at most 80 columns, each after `indent`, the first after `first`. */
function wrap80(text: string, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of text.split(' ')) {
    if (!fresh && line.length + 1 + word.length > 80) {
      lines.push(line);
      line = indent;
      fresh = true;
    }
    line += fresh ? word : ` ${word}`;
    fresh = false;
  }
  return [...lines, line];
}

/**
 * What a command's --help ends with: examples that run as shown (a line ending in ` \\`
 * continues on the next), and what each exit code means for this command.
 */
function helpEnd(
  run: string,
  examples: readonly string[],
  exits: readonly [number, string][],
  heading = 'Examples:',
): string {
  // comments (`  # ...`) line up after the longest command that has one; commands start as
  // the user runs mlops (`mlops`, `npx mlops`)
  const split = examples.map((example) => {
    const e = example.replace(/(^|[\s(])mlops (?=\S)/g, `$1${run} `);
    const at = e.indexOf('  # ');
    return at < 0 ? { command: e } : { command: e.slice(0, at), comment: e.slice(at + 2) };
  });
  const pad = Math.max(0, ...split.map((e) => (e.comment ? e.command.length : 0)));
  const lines = [
    '',
    heading,
    ...split.map((e) => `  ${e.comment ? `${e.command.padEnd(pad)}  ${e.comment}` : e.command}`),
    '',
    'Exit codes:',
  ];
  for (const [code, words] of exits) lines.push(...wrap80(words, `  ${code}  `, '     '));
  return lines.join('\n');
}

/**
 * The output options of validate, check and diff (src/cli/output.ts): `-f` may repeat, each
 * `name` or `name=path`; no defaults here, so that the `output` settings of the config decide.
 */
function outputOptions(cmd: Command, command: OutputCommand): Command {
  return cmd
    .addOption(
      new Option(
        '-f, --format <format>',
        `output format: ${FORMATS[command].join(', ')} (default: text); name=<file> writes that format to a file; repeatable, at most one to standard output`,
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .option('-o, --output <file>', 'write the report of standard output to this file instead')
    .option('--quiet', 'errors only: leave warnings and infos out of every report')
    .option('--no-quiet', 'warnings and infos too, whatever mlops.config.yaml says')
    .option(
      '--max-warnings <n>',
      'exit 1 when there are more than n warnings, shown or not (-1: no limit)',
    );
}

function colorLevel(
  env: CliIO['env'],
  isTTY: () => boolean,
  flag: boolean | undefined,
): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  if (flag === true) return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    const n = Number(force);
    return n >= 0 && n <= 3 ? (n as 0 | 1 | 2 | 3) : 1;
  }
  return env.TERM !== 'dumb' && isTTY() ? 1 : 0;
}

/**
 * The width text output wraps at: on a terminal, `COLUMNS` when it is a number (at least 40),
 * else the terminal's width, else 80; nothing for pipes and files.
 */
function outputWidth(io: CliIO): number | undefined {
  if (!io.stdoutIsTTY) return undefined;
  const columns = Number(io.env.COLUMNS);
  if (Number.isInteger(columns) && columns >= 40) return columns;
  return io.stdoutColumns !== undefined && io.stdoutColumns >= 40 ? io.stdoutColumns : 80;
}

/**
 * Runs the mlops CLI with `argv` (without `node` and the script) and returns the exit code.
 * Never throws: errors become a message on stderr and exit code 2.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let debug = argv.includes('--debug');
  let exitCode = 0;
  const program = new Command('mlops');
  /** How the user runs mlops, for the examples of --help: looked up when help is shown. */
  const how = (): string => invocation(io);
  // the global options, given before or after the command: the program reads them anywhere
  // on the command line (up to `--`), and each command's help lists them
  const context = async (): Promise<CommandContext> => {
    const opts = program.opts<CommonOptions>();
    debug ||= opts.debug === true;
    return {
      io,
      color: await createColors(colorLevel(io.env, () => io.stdoutIsTTY, opts.color)),
      verbose: opts.verbose === true,
      toolVersion: toolVersion(),
      invokedAs: invocation(io),
      width: outputWidth(io),
    };
  };

  program
    .description(
      'Value-driven MLOps in git: Envision, Build, Deploy and Monitor manifests with business value metrics and Trustworthy AI guardrails.',
    )
    .version(toolVersion(), '-V, --version')
    .option('--color', 'force colored output')
    .option('--no-color', 'no colored output (as NO_COLOR=1)')
    .option(
      '--verbose',
      'more detail (check: why each failing rule exists; diff: each hint and fingerprint)',
    )
    .option('--debug', 'print stack traces of errors')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    // never commander's defaults, which open process.stdout to ask for its width and colors;
    // its usage errors quote arguments, so control characters in them are shown escaped
    .configureOutput({
      writeOut: (text) => io.stdout(escapeControl(text)),
      writeErr: (text) => io.stderr(escapeControl(text)),
      getOutHelpWidth: () => io.stdoutColumns ?? 80,
      getErrHelpWidth: () => 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });

  program.addHelpText(
    'after',
    () =>
      helpEnd(
        how(),
        [
          'mlops init models/pricing  # scaffold a manifest for one model',
          'mlops validate  # every mlops.yaml in the repository',
          'mlops check --phase deploy  # the gate before a release',
        ],
        [
          [0, 'success'],
          [
            1,
            'problems found: an invalid manifest, a model not ready for what it is held to, a change at or over --fail-on',
          ],
          [
            2,
            'could not run: a bad flag, an unreadable path, not a git repository, an unknown revision',
          ],
        ],
      ) +
      `\n\nGlobal options work before or after the command: ${how()} --no-color check.\nRun \`${how()} <command> --help\` for its options, examples and exit codes.\n`,
  );

  program
    .command('init')
    .argument('[dir]', 'folder for the new mlops.yaml', '.')
    .description('scaffold an mlops.yaml: the Envision document for one model')
    .option('-t, --template <name>', 'default, classification, forecasting, recommendation, genai')
    .option('--list-templates', 'list the templates with one line each')
    .option('-n, --name <slug>', 'metadata.name (default: the folder name, slugified)')
    .option('--owner <name>', 'metadata.owner.name (default: git config user.name)')
    .addOption(
      new Option('--risk-tier <tier>', 'risk tier').choices(['low', 'medium', 'high', 'critical']),
    )
    .option('-y, --yes', 'ask nothing; use flags and defaults (implied without a TTY)')
    .option('--force', 'overwrite an existing mlops.yaml, or with --ci the CI file')
    // the provider is checked by init, which says what each one writes
    .option(
      '--ci <provider>',
      'write the CI files for this repository instead of a manifest: github or gitlab',
    )
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops init models/pricing --template classification --risk-tier high',
          'mlops init --list-templates',
          'mlops init --ci github  # the CI workflow of this repository',
        ],
        [
          [0, 'the manifest (or the CI file) was written, or the templates listed'],
          [
            2,
            'could not run: a bad flag, a file already there (--force replaces it), a target that is not a regular file; 130 when interrupted at a question',
          ],
        ],
      ),
    )
    .action(async (dir: string, opts) => {
      const { runInit } = await import('./commands/init.js');
      exitCode = await runInit(dir, opts, await context());
    });

  outputOptions(
    program
      .command('validate')
      .argument(
        '[paths...]',
        'manifest files or folders; - reads one manifest from standard input',
      ),
    'validate',
  )
    .description('check manifests against the schema and for consistency, with file:line:column')
    .option(
      '--stdin-filepath <path>',
      'the path of the manifest read from standard input (-), for its config and its place in reports',
    )
    .option('--strict', 'warnings fail too (default: strict in mlops.config.yaml, else off)')
    .option('--no-strict', 'warnings do not fail, whatever mlops.config.yaml says')
    .option('--no-cache', 'ignore and do not write the result cache')
    .option('--jobs <n>', 'worker threads (default: automatic, for large inputs)')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops validate  # every mlops.yaml in the repository',
          'mlops validate models/churn --format json',
          'mlops validate -f github -f sarif=mlops.sarif',
        ],
        [
          [0, 'every manifest is valid'],
          [
            1,
            'a manifest has an error (or a warning, with --strict), or there are more warnings than --max-warnings',
          ],
          [
            2,
            'could not run: a bad flag, a path that cannot be read, no manifest found, a report that cannot be written',
          ],
        ],
      ),
    )
    .action(async (paths: string[], opts) => {
      const { runValidate } = await import('./commands/validate.js');
      exitCode = await runValidate(paths, opts, await context());
    });

  outputOptions(
    program.command('check').argument('[paths...]', 'manifest files or folders'),
    'check',
  )
    .description(
      'report which phase each model is ready for, from the manifest and the files tracked in git',
    )
    .addOption(
      new Option('--phase <phase>', 'exit 1 unless this phase passes for every manifest').choices([
        'envision',
        'build',
        'deploy',
        'monitor',
      ]),
    )
    .option(
      '--branch <name>',
      'the branch checked: without --phase, check.branches of mlops.config.yaml gives the phase',
    )
    .option('--today <date>', 'the date for expiry and freshness, YYYY-MM-DD (default: today)')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops check  # each model held to its status',
          'mlops check --phase deploy  # the gate before a release',
          'mlops check models/churn --verbose  # and why each failing rule exists',
        ],
        [
          [0, 'every model is ready for what it is held to'],
          [
            1,
            'a model is not ready for what it is held to (--phase, --branch, or its metadata.status), or there are more warnings than --max-warnings',
          ],
          [
            2,
            'could not run: a bad flag, not a git repository, no manifest found, a report that cannot be written',
          ],
        ],
      ),
    )
    .action(async (paths: string[], opts) => {
      const { runCheck } = await import('./commands/check.js');
      exitCode = await runCheck(paths, opts, await context());
    });

  program
    .command('approve')
    .argument('<manifest>', 'the mlops.yaml to sign off, or its folder')
    .description(
      "record a sign-off of a phase section, a reassessment or a waiver in the manifest's approvals, with the digests of what it signs",
    )
    // one of the three, which runApprove asks for when none is given
    .addOption(
      new Option('--phase <phase>', 'phase approved, with the evidence its rules read')
        .choices(['envision', 'build', 'deploy'])
        .conflicts(['reassessment', 'waiver']),
    )
    .addOption(
      new Option(
        '--reassessment <id>',
        'the reassessment of monitor.reassessments approved, instead of a phase',
      ).conflicts('waiver'),
    )
    .option('--waiver <id>', 'the waiver of waivers approved, instead of a phase')
    .requiredOption('--by <stakeholder-id>', 'the approving stakeholder')
    .addOption(
      new Option('--decision <decision>', 'decision')
        .choices(['approved', 'conditional', 'rejected'])
        .default('approved'),
    )
    .option('--conditions <text>', 'conditions of a conditional approval (required with it)')
    .option('--date <date>', 'date of the decision, YYYY-MM-DD, not after today (default: today)')
    .option('--id <id>', 'id of the approval (default: <phase|id>-<stakeholder>-<date>)')
    .option(
      '--sign-key <file>',
      'sign the approval with this ssh key (ssh-keygen -Y sign, namespace mlops-approval)',
    )
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops approve models/churn/mlops.yaml --phase deploy --by cco',
          'mlops approve models/churn/mlops.yaml --phase build --by cco \\',
          '  --decision conditional --conditions "retrain on Q3 data by 2027-01-31"',
        ],
        [
          [0, 'the approval was recorded in the manifest'],
          [
            2,
            'could not run: an unknown stakeholder, phase, reassessment or waiver, none or more than one of --phase, --reassessment and --waiver, a date after today, conditional without --conditions, a role that may not approve the waiver, evidence that cannot be read, a manifest that does not validate, a key that cannot sign, a file that cannot be written; the manifest is left unchanged',
          ],
        ],
      ),
    )
    .action(async (manifest: string, opts) => {
      const { runApprove } = await import('./commands/approve.js');
      exitCode = await runApprove(manifest, opts, await context());
    });

  outputOptions(
    program
      .command('diff')
      .argument('[revisions...]', '[base] [head], or two manifest files; then -- paths'),
    'diff',
  )
    .description('semantic diff of manifests between two revisions, for pull-request review')
    .addOption(
      // no commander default: a flag left out lets failOn.diff of mlops.config.yaml decide
      new Option(
        '--fail-on <level>',
        'exit 1 at or above this level (default: failOn.diff in mlops.config.yaml, else error)',
      ).choices(['error', 'warn', 'info', 'none']),
    )
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops diff  # what this branch changed',
          'mlops diff main -- models/churn  # only the manifests in models/churn',
          'mlops diff -f markdown -o comment.md  # a pull-request comment',
        ],
        [
          [0, 'nothing at or above --fail-on (default: error)'],
          [
            1,
            'a change or finding at or above --fail-on (a loosened guardrail, a dropped value metric, a version not raised), or more warnings than --max-warnings',
          ],
          [
            2,
            'could not run: a bad flag, an unknown revision, not a git repository, a report that cannot be written',
          ],
        ],
      ),
    )
    .action(async (args: string[], opts) => {
      const dash = argv.indexOf('--');
      const paths = dash >= 0 ? argv.slice(dash + 1) : [];
      const revisions = args.slice(0, args.length - paths.length);
      const { runDiff } = await import('./commands/diff.js');
      exitCode = await runDiff(revisions, paths, opts, await context());
    });

  program
    .command('report')
    .argument(
      '[paths...]',
      'manifest files or folders (default: every mlops.yaml in the repository)',
    )
    .description(
      'write a static HTML site: the portfolio of models, and a page per model with its value over time',
    )
    .addOption(
      new Option('-f, --format <format>', 'html: the site; json: its data, for dashboards')
        .choices(['html', 'json'])
        .default('html'),
    )
    .option(
      '-o, --output <path>',
      'html: the folder of the site (default: mlops-report); json: the file (default: standard output)',
    )
    .option('--today <date>', 'the date models are judged at, YYYY-MM-DD (default: today)')
    .option('--history <n>', 'newest committed versions drawn per evidence file (default: 60)')
    .option('--force', 'replace files in the folder that an earlier report did not write')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops report  # the site in mlops-report/',
          'mlops report models/churn -o site',
          'mlops report -f json -o portfolio.json  # for dashboards',
        ],
        [
          [0, 'the report was written, whatever it shows'],
          [
            2,
            'could not run: a bad flag, not a git repository, a shallow clone, no manifest found, a file in the folder that an earlier report did not write (--force replaces it), a folder that cannot be written',
          ],
        ],
      ),
    )
    .action(async (paths: string[], opts) => {
      const { runReport } = await import('./commands/report.js');
      exitCode = await runReport(paths, opts, await context());
    });

  program
    .command('migrate')
    .argument(
      '[paths...]',
      'manifest files or folders (default: every mlops.yaml in the repository)',
    )
    .description(
      'rewrite manifests written for earlier shapes to the current one, changing only the lines it must',
    )
    .option('--check', 'change nothing: list what would change, and exit 1 if anything would')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops migrate',
          'mlops migrate models/churn/mlops.yaml',
          'mlops migrate --check  # in CI',
        ],
        [
          [0, 'every manifest is in the current shape (rewritten, or already)'],
          [
            1,
            'with --check: a manifest would change; or one needs an edit by hand (listed, with the fix)',
          ],
          [
            2,
            'could not run: a bad flag, no manifest found, a manifest that cannot be read or written',
          ],
        ],
      ),
    )
    .action(async (paths: string[], opts) => {
      const { runMigrate } = await import('./commands/migrate.js');
      exitCode = await runMigrate(paths, opts, await context());
    });

  program
    .command('export')
    .argument('<doc>', 'the document: annex-iv (EU AI Act technical documentation)')
    .argument('<manifest>', 'the manifest to export it from')
    .description(
      'write a document for a regulator from a manifest and its evidence: annex-iv, the EU AI Act technical documentation as Markdown',
    )
    .option('-o, --output <file>', 'the file to write (default: standard output)')
    .option('--force', 'replace the output file if it exists')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops export annex-iv models/churn/mlops.yaml -o annex-iv.md',
          'mlops export annex-iv models/churn/mlops.yaml  # to standard output',
        ],
        [
          [0, 'the document was written'],
          [
            2,
            'could not run: an unknown document, a manifest that does not validate, an output file that exists (--force replaces it) or cannot be written',
          ],
        ],
      ),
    )
    .action(async (document: string, manifest: string, opts) => {
      const { runExport } = await import('./commands/export.js');
      exitCode = await runExport(document, manifest, opts, await context());
    });

  program
    .command('schema')
    .description('print the JSON Schema of mlops/v1 (for editors)')
    .option('--config', 'the schema of the config file, mlops.config.yaml, instead')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops schema > mlops.v1.schema.json',
          'mlops schema --config > mlops.config.v1.schema.json',
        ],
        [
          [0, 'the schema was printed'],
          [2, 'could not run: a bad flag'],
        ],
      ),
    )
    .action(async (opts: { config?: boolean }) => {
      const { runSchema } = await import('./commands/schema.js');
      exitCode = runSchema(await context(), { config: opts.config === true });
    });

  program
    .command('explain')
    .argument('[name]', 'a readiness rule (G1 to M4) or a finding code, in any case')
    .description('what a readiness rule checks and why, or what a finding code means')
    .option('--list', 'list every rule and finding code, one line each')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(FORMATS.explain).default('text'),
    )
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          'mlops explain G3  # what rule G3 checks, and why',
          'mlops explain evidence_untracked  # what a finding code means',
          'mlops explain --list  # every rule and code',
        ],
        [
          [0, 'the rule or code was explained'],
          [2, 'could not run: no rule or code has that name, or a bad flag'],
        ],
      ),
    )
    .action(
      async (name: string | undefined, opts: { list?: boolean; format?: 'text' | 'json' }) => {
        const { runExplain } = await import('./commands/explain.js');
        exitCode = runExplain(name, opts, await context());
      },
    );

  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .description('print a shell completion script (bash, zsh or fish)')
    .addHelpText('after', () =>
      helpEnd(
        how(),
        [
          "echo 'source <(mlops completion bash)' >> ~/.bashrc",
          "echo 'source <(mlops completion zsh)' >> ~/.zshrc",
          'mlops completion fish > ~/.config/fish/completions/mlops.fish',
        ],
        [
          [0, 'the script was printed'],
          [2, 'could not run: an unknown shell'],
        ],
        'Examples (install it with one of these):',
      ),
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const [{ completionScript }, { listTemplates }, { explainNames }] = await Promise.all([
        import('./completion.js'),
        import('../io/templates.js'),
        import('./commands/explain.js'),
      ]);
      io.stdout(
        completionScript(shell, program, {
          templates: listTemplates().map((t) => t.name),
          formats: FORMATS,
          explain: explainNames(),
        }),
      );
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; every usage error is exit 2 (commander would say 1)
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, io, debug);
  }
}

async function reportError(error: unknown, io: CliIO, debug: boolean): Promise<number> {
  const { red } = await createColors(colorLevel(io.env, () => io.stderrIsTTY === true, undefined));
  // a message and its hint are one line each; paths and values in them are shown escaped
  if (error instanceof MlopsError && !(error instanceof InternalError)) {
    io.stderr(`${red(`mlops: ${escapeLine(error.message)}`)}\n`);
    // an invalid config file: the places to fix, as validate lists a manifest's
    const findings = (error as { findings?: unknown }).findings;
    if (Array.isArray(findings)) {
      const { describeText } = await import('../report/describe.js');
      for (const f of findings as Finding[]) {
        const { message, hint } = describeText(f);
        io.stderr(
          `${escapeLine(`${f.file ?? ''}:${f.line ?? 1}:${f.column ?? 1}`)}  ${f.severity.padEnd(7)}  ${f.code}  ${message}\n`,
        );
        if (hint) io.stderr(`    hint: ${hint}\n`);
      }
    }
    if (error.hint) io.stderr(`hint: ${escapeLine(error.hint)}\n`);
    if (debug) io.stderr(`${escapeControl(error.stack ?? '')}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`${red('mlops: internal error')}\n${escapeControl(stack)}\n`);
  io.stderr(
    'This is a bug in mlops; please report it with the command you ran and the output above.\n',
  );
  return 2;
}
