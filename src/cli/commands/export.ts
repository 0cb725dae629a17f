import { lstatSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { annexIvOfFacts } from '../../core/annex-iv.js';
import type { AnnexIvDocument } from '../../core/annex-iv.js';
import type { Facts } from '../../core/check/index.js';
import { didYouMean } from '../../core/suggest.js';
import { InputError, UsageError } from '../../errors.js';
import { manifestOfArgument } from '../../io/manifest-file.js';
import { toDisplayPath } from '../../io/fs.js';
import { openRepository } from '../../io/revisions.js';
import { writeError, writeFileAtomic } from '../../io/write.js';
import { renderAnnexIv } from '../../report/annex-iv.js';
import type { Reporter } from '../../report/context.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateResult } from '../../report/validate.js';
import { createColors } from '../colors.js';
import type { CommandContext } from '../context.js';
import { gatherCheck, outsideRepository } from './check.js';

/** The options of `mlops export` (src/cli/run.ts). */
export interface ExportOptions {
  output?: string;
  force?: boolean;
}

/** The most committed versions of the manifest listed under "Changes". */
const MANIFEST_VERSIONS = 100;

/** The documents `mlops export` writes. */
const DOCUMENTS = ['annex-iv'] as const;

/** A word as one shell argument, as it can be pasted. */
function shellArg(s: string): string {
  const word = s.startsWith('-') ? `./${s}` : s;
  return /^[\w./@:+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** A path as it may be quoted in a message: on one line. */
const shown = (s: string): string =>
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) ? JSON.stringify(s) : s;

/**
 * Where `-o` writes, refused before anything is judged: a link (never followed), anything but
 * a regular file, and an existing file without `--force`.
 */
function outputTarget(
  output: string,
  cwd: string,
  command: string,
  force: boolean,
): { abs: string; shown: string } {
  if (output.trim() === '')
    throw new UsageError('-o needs a path', {
      hint: 'give the file to write the document to, e.g. -o annex-iv.md, or leave -o out for standard output',
    });
  const abs = resolve(cwd, output);
  const name = shown(toDisplayPath(cwd, abs));
  let st;
  try {
    st = lstatSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    throw writeError(error, name);
  }
  if (st === undefined) return { abs, shown: name };
  if (st.isSymbolicLink())
    throw new InputError(`${name} is a symbolic link; mlops export never writes through one`, {
      hint: `write to the file itself: \`${command} -o ${shellArg(output)}\` with the path the link leads to, or another path`,
    });
  if (!st.isFile())
    throw new InputError(
      `${name} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}; the document is written to a file`,
      { hint: `give a file path, e.g. \`${command} -o annex-iv.md\`` },
    );
  if (!force)
    throw new InputError(`${name} exists; it was left unchanged`, {
      hint: `replace it with \`${command} -o ${shellArg(output)} --force\`, or give another path`,
    });
  return { abs, shown: name };
}

/** `mlops export <document> <manifest>`: see README "mlops export annex-iv". */
export async function runExport(
  document: string,
  manifestArg: string,
  opts: ExportOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd, env } = ctx.io;
  const run = ctx.invokedAs;
  if (!(DOCUMENTS as readonly string[]).includes(document))
    throw new UsageError(
      `unknown document "${shown(document)}"${didYouMean(document, DOCUMENTS)}`,
      {
        hint: `the documents are: ${DOCUMENTS.join(', ')}; e.g. \`${run} export annex-iv ${shellArg(manifestArg)}\``,
      },
    );
  const command = (path: string): string => `${run} export ${document} ${shellArg(path)}`;
  const force = opts.force === true;
  const target =
    opts.output !== undefined
      ? outputTarget(opts.output, cwd, command(manifestArg), force)
      : undefined;

  // a folder stands for its own mlops.yaml
  const { abs, shown: file } = await manifestOfArgument(manifestArg, {
    cwd,
    ...(env ? { env } : {}),
    commandFor: command,
    initFor: (dir) => `${run} init ${shellArg(dir)}`,
  });

  if (target !== undefined && sameFile(target.abs, abs))
    throw new InputError(`${target.shown} is the manifest itself; it was left unchanged`, {
      hint: `write the document to another file, e.g. \`${command(file)} -o annex-iv.md\``,
    });

  // judged as `mlops check` judges it: the same reading, evidence and git state
  let facts: Facts | undefined;
  const gathered = await gatherCheck(
    [abs],
    {
      // dated reports, and the changes of the manifest through its committed versions
      everyDate: true,
      manifestVersions: MANIFEST_VERSIONS,
      detail: (_index, f) => {
        facts = f;
      },
    },
    ctx.io,
  ).catch(
    outsideRepository(
      'mlops export reads the evidence committed to git: run it inside the repository (git init, then commit the manifest and its evidence)',
    ),
  );
  const judged = gathered.result.manifests[0];
  if (judged === undefined || judged.report.invalid !== undefined || facts === undefined) {
    // the same listing as `mlops validate <file>`
    const color = ctx.io.stderrIsTTY === true ? ctx.color : await createColors(0);
    const reporters: Record<string, Reporter<ValidateResult> | undefined> = validateReporters;
    const text = (reporters.text ?? reporters.stylish)!;
    ctx.io.stderr(
      text(
        { files: [file], diagnostics: judged?.report.invalid ?? [] },
        { color, toolVersion: ctx.toolVersion, verbose: ctx.verbose },
      ),
    );
    throw new InputError(
      `${file} does not validate; the technical documentation is written from a valid manifest${target ? ` (${target.shown} was not written)` : ''}`,
      {
        hint: `fix what \`${run} validate ${shellArg(file)}\` reports (listed above), then export again`,
      },
    );
  }

  const head = await headCommit(cwd, env);
  const pinned =
    facts.input.todaySource !== undefined
      ? { today: facts.input.today, source: facts.input.todaySource }
      : undefined;
  const doc: AnnexIvDocument = annexIvOfFacts(facts, {
    ...(head !== undefined ? { head } : {}),
    ...(pinned !== undefined ? { pinned } : {}),
  });
  const markdown = renderAnnexIv(doc, { invokedAs: run });
  if (target === undefined) {
    ctx.io.stdout(markdown);
    return 0;
  }
  try {
    writeFileAtomic(target.abs, markdown, { overwrite: force, fsync: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !force)
      throw new InputError(`${target.shown} exists; it was left unchanged`, {
        hint: `replace it with \`${command(file)} -o ${shellArg(opts.output!)} --force\`, or give another path`,
      });
    throw writeError(error, target.shown, target.abs);
  }
  const missing = doc.total - doc.present;
  ctx.io.stdout(
    `wrote ${target.shown}: the Annex IV technical documentation of ${file}, ${doc.present} of ${doc.total} items present${missing > 0 ? `, ${missing} marked missing` : ''}\n`,
  );
  return 0;
}

/** Whether two paths name the same file (after links), as far as can be told. */
function sameFile(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return a === b || real(a) === real(b);
}

/** The commit the repository is at, when it has one. */
async function headCommit(
  cwd: string,
  env: CommandContext['io']['env'],
): Promise<string | undefined> {
  try {
    const git = await openRepository(cwd, { ...(env ? { env } : {}), hint: '' });
    return await git.resolveRev('HEAD');
  } catch {
    return undefined;
  }
}
