import { lstatSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding, PathSegment } from '../../core/findings.js';
import { migrateManifest } from '../../core/migrate.js';
import type { MigrationChange, MigrationNote } from '../../core/migrate.js';
import { readManifest } from '../../core/manifest/reader.js';
import { InputError, MlopsError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { applyConfig, runConfig } from '../../io/config.js';
import { discoverManifests } from '../../io/discover.js';
import { findRepoRoot, toDisplayPath } from '../../io/fs.js';
import { openManifestForEdit } from '../../io/manifest-file.js';
import { fileType, notReadFinding, readCheckedInput } from '../../io/read.js';
import { readScopes } from '../../io/validate-files.js';
import { escapeLine } from '../../report/escape.js';
import { describeFinding } from '../../report/messages/words.js';
import { formatPath } from '../../report/messages/manifest.js';
import { shellWord } from '../../report/messages/shell.js';
import type { CommandContext } from '../context.js';

/** The options of `mlops migrate` (src/cli/run.ts). */
export interface MigrateOptions {
  check?: boolean;
}

/** What became of one manifest. */
interface FileResult {
  shown: string;
  changes: MigrationChange[];
  notes: MigrationNote[];
}

/**
 * `mlops migrate [paths...]`: rewrites the manifests found as `validate` finds them to the
 * current shape (src/core/migrate.ts), each written in one step; `--check` writes nothing.
 * Exit 0: every manifest is in the current shape; 1: with `--check` one would change, or one
 * needs an edit by hand; 2: a manifest that cannot be read, edited or written, or none found.
 */
export async function runMigrate(
  given: string[],
  opts: MigrateOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd, env } = ctx.io;
  let paths = given;
  const run = ctx.invokedAs;
  const failures: MlopsError[] = [];
  // a FIFO, socket or device named as a manifest is never opened (a FIFO would block)
  const usable = paths.filter((p) => {
    const st = lstatSync(resolve(cwd, p), { throwIfNoEntry: false });
    if (st === undefined || st.isFile() || st.isDirectory() || st.isSymbolicLink()) return true;
    const shown = toDisplayPath(cwd, resolve(cwd, p));
    failures.push(
      notRead(
        notReadFinding({ kind: 'not_a_file', type: fileType(st) }, shown, undefined),
        shown,
        run,
      ),
    );
    return false;
  });
  if (usable.length === 0 && paths.length > 0) return reportFailures(failures, ctx);
  paths = usable;
  const discovered = await discoverManifests(paths, cwd, { env });
  const root = discovered.git?.root ?? findRepoRoot(cwd) ?? cwd;
  const config = await applyConfig(discovered.files, {
    cwd,
    paths,
    known: discovered.configs,
    run: await runConfig(cwd, root),
    ...(discovered.git ? { root: discovered.git.root } : {}),
  });
  const files = config.files;
  if (files.length === 0) {
    throw new InputError(
      `no ${paths.length ? 'mlops.yaml under the paths given' : 'mlops.yaml found in this repository'}`,
      {
        hint: `pass manifest files or the folders holding them, e.g. \`${run} migrate models/churn\``,
      },
    );
  }
  const scopes = readScopes(files, {
    cwd,
    paths,
    ...(discovered.git ? { repoRoot: discovered.git.root } : {}),
  });
  const validator = await loadValidator();
  const results: FileResult[] = [];
  for (const [i, abs] of files.entries()) {
    const shown = toDisplayPath(cwd, abs);
    try {
      const link = symlinkAt(abs);
      if (link !== undefined) {
        throw new InputError(
          `${shown} is a symlink (to ${link}); migrate edits a manifest only where it is, and left it unchanged`,
          { hint: `run it on the file the link leads to, or replace the link with the file` },
        );
      }
      const read = readCheckedInput(abs, shown, { scope: scopes[i] });
      if ('finding' in read) throw notRead(read.finding, shown, run);
      const text = read.bytes.toString('utf8');
      const outcome = migrateManifest(text, (t) => readManifest(t, shown, validator));
      if (outcome.kind === 'unreadable') throw notRead(outcome.findings[0], shown, run);
      if (outcome.kind === 'readBack') {
        throw new InputError(
          `${shown}: the rewrite did not read back as the same manifest with ${outcome.changes.map((c) => changeWords(c)).join('; ')}; it was left unchanged`,
          { hint: `make these changes by hand, then run \`${run} validate ${shellWord(shown)}\`` },
        );
      }
      if (outcome.changes.length > 0 && opts.check !== true) {
        const edit = openManifestForEdit(abs, shown, 'migrating', cwd);
        try {
          if (edit.text !== text)
            throw new InputError(`${shown} changed while migrating; nothing was written`, {
              hint: 'run the command again',
            });
          edit.replace(outcome.text);
        } finally {
          edit.release();
        }
      }
      results.push({ shown, changes: outcome.changes, notes: outcome.notes });
    } catch (error) {
      if (!(error instanceof MlopsError)) throw error;
      failures.push(error);
    }
  }

  const lines: string[] = [];
  for (const r of results) {
    if (r.changes.length === 0 && r.notes.length === 0)
      lines.push(`${escapeLine(r.shown)}: already in the current shape`);
    // changes and what is left to a person, in the order of the file
    const told = [
      ...r.changes.map((c) => ({ line: c.line, words: changeWords(c) })),
      ...r.notes.map((n) => ({ line: n.line, words: noteWords(n, r.shown, run) })),
    ].sort((a, b) => a.line - b.line);
    for (const t of told) lines.push(`${escapeLine(r.shown)}:${t.line}: ${t.words}`);
  }
  const changed = results.filter((r) => r.changes.length > 0);
  const count = changed.reduce((n, r) => n + r.changes.length, 0);
  const current = results.filter((r) => r.changes.length === 0 && r.notes.length === 0).length;
  const byHand = results.filter((r) => r.notes.length > 0).length;
  const manifests = (n: number): string => `${n} manifest${n === 1 ? '' : 's'}`;
  const summary = [
    changed.length > 0
      ? `${opts.check === true ? 'would migrate' : 'migrated'} ${manifests(changed.length)} (${count} change${count === 1 ? '' : 's'})`
      : '',
    current > 0 ? `${manifests(current)} already in the current shape` : '',
    byHand > 0 ? `${manifests(byHand)} to finish by hand (listed above)` : '',
    failures.length > 0 ? `${manifests(failures.length)} not migrated (see the errors)` : '',
  ].filter(Boolean);
  if (summary.length > 0) lines.push(summary.join('; '));
  if (results.some((r) => r.changes.some((c) => c.kind === 'approvalId')))
    lines.push(
      'an approval counts from the commit that adds its id: under approvals.identity author or signed, its approver commits the change (recorded: anyone may)',
    );
  if (opts.check === true && changed.length > 0)
    lines.push(`nothing was written (--check): run \`${run} migrate\` to write the changes`);
  if (lines.length > 0) ctx.io.stdout(`${lines.join('\n')}\n`);
  if (failures.length > 0) return reportFailures(failures, ctx);
  if (byHand > 0) return 1;
  return opts.check === true && changed.length > 0 ? 1 : 0;
}

/** Every failure but the last on stderr, as the last is when thrown: exit 2. */
function reportFailures(failures: readonly MlopsError[], ctx: CommandContext): never {
  for (const f of failures.slice(0, -1)) {
    ctx.io.stderr(`mlops: ${escapeLine(f.message)}\n`);
    if (f.hint) ctx.io.stderr(`hint: ${escapeLine(f.hint)}\n`);
  }
  throw failures[failures.length - 1]!;
}

/** What a symlink at `abs` says, when the path itself is one. */
function symlinkAt(abs: string): string | undefined {
  try {
    return lstatSync(abs).isSymbolicLink() ? readlinkSync(abs) : undefined;
  } catch {
    return undefined;
  }
}

/** The error for a manifest that was not read, or does not read as YAML: the finding's words. */
function notRead(f: Finding | undefined, shown: string, run: string): InputError {
  if (f === undefined)
    return new InputError(`${shown} does not read as a manifest; it was left unchanged`, {
      hint: `run \`${run} validate ${shellWord(shown)}\` to see why`,
    });
  const { message, hint } = describeFinding(f, { invokedAs: run });
  const at = /^YAML_/.test(f.code) && f.line !== undefined ? `:${f.line}:${f.column ?? 1}` : '';
  return new InputError(`cannot migrate ${shown}${at}: ${message}; it was left unchanged`, {
    hint: hint ?? `fix it, then run \`${run} migrate ${shellWord(shown)}\` again`,
  });
}

/** A change in words, as the output lists it after `file:line:`. */
function changeWords(c: MigrationChange): string {
  switch (c.kind) {
    case 'classification':
      return `classification: limited -> minimal${c.art50Added ? ', art50: true' : ' (art50: true was there)'}`;
    case 'approvalId':
      return `${formatPath(['approvals', c.index])}: id ${c.id} added (the id mlops approve writes)`;
    case 'waiver':
      return `${formatPath(['waivers', c.index])} (${c.rule}): ${[
        c.id !== undefined ? `id ${c.id}` : '',
        c.target !== undefined ? `target ${c.target}` : '',
      ]
        .filter(Boolean)
        .join(
          ', ',
        )} added; it counts once approved${c.stale !== undefined ? ` again (the approvals ${c.stale.join(', ')} signed it without the target)` : ''}`;
  }
}

/** What is left to a person, in words, with the fix. */
function noteWords(n: MigrationNote, shown: string, run: string): string {
  const file = shellWord(shown);
  switch (n.kind) {
    case 'art50Contradiction':
      return `classification: limited means minimal with art50: true, but art50 is ${n.art50}: left unchanged; set \`metadata.euAiAct.classification\` to \`minimal\` if the system has no Art. 50 duty, or remove \`metadata.euAiAct.art50\` and run \`${run} migrate ${file}\``;
    case 'notEditable':
      return `${formatPath(n.path)} is written in a form migrate does not edit: the file was left unchanged; edit \`${formatPath(n.path)}\` by hand (${handEdit(n.path)}), then run \`${run} validate ${file}\``;
    case 'approvalResign': {
      const why =
        n.why === 'signature'
          ? 'its signature covers the approval without an id, so an id would break it'
          : n.why === 'evidence'
            ? 'it binds no evidence digests, and nobody can know now what the approver looked at'
            : 'what it signs, its approver or its date is missing';
      const again =
        n.phase !== undefined && n.by !== undefined
          ? `\`${run} approve ${file} --phase ${shellWord(n.phase)} --by ${shellWord(n.by)}\``
          : `\`${run} approve\``;
      return `${formatPath(['approvals', n.index])} cannot be migrated (${why}): sign it off again with ${again}, then remove this approval`;
    }
    case 'waiverTarget':
      return `${formatPath(['waivers', n.index])} (${n.rule}) needs a target, which migrate cannot choose: set \`${formatPath(['waivers', n.index, 'target'])}\` to one of ${n.known.join(', ') || 'the items its rule names'}`;
  }
}

/** The edit migrate would have made at `path`, in words. */
function handEdit(path: PathSegment[]): string {
  if (path[0] === 'metadata') return 'limited -> minimal, and add `art50: true` beside it';
  if (path[0] === 'approvals')
    return 'add `id:` made of what it signs, the approver and the date, as in deploy-cco-2026-11-30';
  return 'add the id and target that `mlops validate` suggests';
}
