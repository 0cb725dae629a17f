import { resolve } from 'node:path';
import { diffManifestPair, diffManifestSets } from '../../core/diff.js';
import type { DiffResult, ManifestSide } from '../../core/diff.js';
import type { Finding } from '../../core/findings.js';
import { readManifest } from '../../core/manifest/reader.js';
import type { SchemaValidator } from '../../core/manifest/schema-findings.js';
import { InputError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { applyConfig } from '../../io/config.js';
import { pathScope, readDiffInputs } from '../../io/diff-inputs.js';
import { statPath } from '../../io/fs.js';
import { readManifestText, readScopes } from '../../io/validate-files.js';
import { openRepository, resolveDiffSides } from '../../io/revisions.js';
import { diffReporters } from '../../report/diff.js';
import type { DiffFormat } from '../../report/diff.js';
import type { CommandContext } from '../context.js';
import { exitCodeForGroups, failOnFromSetting } from '../exit-code.js';

export interface DiffOptions {
  format: DiffFormat;
  /** Exit 1 when a change or finding is at or above this level (default: failOn.diff, else error). */
  failOn?: 'error' | 'warn' | 'info' | 'none';
}

export async function runDiff(
  revisions: string[],
  paths: string[],
  options: DiffOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  if (revisions.length > 2) {
    throw new UsageError(
      `mlops diff takes at most two revisions or two files, not ${revisions.length}`,
      {
        hint: 'mlops diff [base] [head] [-- paths...]; put manifest paths after --',
      },
    );
  }
  const files = revisions.map((r) => (r.startsWith('-') ? undefined : statPath(resolve(cwd, r))));
  // a file is anything but a folder: a FIFO or device given as a file is refused when read
  const isFile = (f: (typeof files)[number]): boolean => f !== undefined && !f.isDirectory;
  if (revisions.length === 2 && files.some(isFile)) {
    const missing = revisions.find((r, i) => !isFile(files[i]) && /\.ya?ml$/i.test(r));
    if (missing)
      throw new InputError(`no such file: ${missing}`, {
        hint: 'mlops diff <a.yaml> <b.yaml> compares two manifest files',
      });
  }
  const validator = await loadValidator();
  const result =
    revisions.length === 2 && files.every(isFile)
      ? compareFiles(revisions[0]!, revisions[1]!, paths, cwd, validator)
      : await compareRevisions(revisions, paths, ctx, validator);
  // each manifest is held to the failOn of the config files above it in the working tree
  const manifestPaths = result.manifests.map((m) => resolve(result.root, m.file));
  const config = await applyConfig(manifestPaths, { cwd, ignore: false, root: result.root });
  const { code, decisive } = exitCodeForGroups(
    result.manifests.map((m, i) => ({
      findings: [...m.changes, ...m.findings],
      ...failOnFromSetting(
        config.configOf(manifestPaths[i]!),
        'failOn.diff',
        options.failOn,
        'error',
        (level) => (level === 'warn' ? 'warning' : level),
      ),
    })),
    'error',
  );
  ctx.io.stdout(
    diffReporters[options.format](result, {
      color: ctx.color,
      toolVersion: ctx.toolVersion,
      verbose: ctx.verbose,
      config: config.inForce({
        overridden: options.failOn !== undefined ? ['failOn.diff'] : [],
        decisive,
      }),
    }),
  );
  return code;
}

/** Reads one side as every command reads a manifest: its data, its findings, their places. */
function readSide(
  file: string,
  content: { text: string } | { finding: Finding },
  validator: SchemaValidator,
): ManifestSide {
  if ('finding' in content)
    return {
      file,
      data: undefined,
      findings: [content.finding],
      locate: () => ({ line: 1, column: 1 }),
    };
  return { file, ...readManifest(content.text, file, validator) };
}

function compareFiles(
  a: string,
  b: string,
  paths: string[],
  cwd: string,
  validator: SchemaValidator,
): DiffResult & { root: string } {
  if (paths.length > 0) {
    throw new UsageError('paths after -- limit a diff of revisions, not of two files', {
      hint: 'run mlops diff <a.yaml> <b.yaml> alone',
    });
  }
  // read as validate reads a file it is given: type and size checked, symlinks kept in scope
  const abs = [resolve(cwd, a), resolve(cwd, b)];
  const scopes = readScopes(abs, { cwd, paths: [a, b] });
  const read = (file: string): { text: string } | { finding: Finding } => {
    const i = file === a ? 0 : 1;
    return readManifestText({ abs: abs[i]!, file, scope: scopes[i]! });
  };
  const m = diffManifestPair(readSide(a, read(a), validator), readSide(b, read(b), validator), {
    ignoreMove: true,
  });
  return {
    base: { label: a },
    head: { label: b },
    compared: 1,
    manifests: m.status === 'unchanged' ? [] : [m],
    root: cwd,
  };
}

async function compareRevisions(
  revisions: string[],
  paths: string[],
  ctx: CommandContext,
  validator: SchemaValidator,
): Promise<DiffResult & { root: string }> {
  const { cwd, env } = ctx.io;
  const git = await openRepository(cwd, {
    env,
    hint: 'run mlops diff inside a git repository, or compare two files: mlops diff a.yaml b.yaml',
  });
  const { base, head } = await resolveDiffSides(git, revisions, cwd);
  const inScope = pathScope(git, paths, cwd);
  const inputs = await readDiffInputs(git, base, head, inScope);
  const manifests = diffManifestSets(
    inputs.base.map((s) => readSide(s.path, { text: s.text }, validator)),
    inputs.head.map((s) =>
      readSide(s.path, s.finding ? { finding: s.finding } : { text: s.text }, validator),
    ),
  ).filter((m) => m.status !== 'unchanged' && (inScope(m.baseFile) || inScope(m.headFile)));
  const scoped = new Set([...inputs.basePaths, ...inputs.headPaths].filter((p) => inScope(p)));
  const moves = manifests.filter(
    (m) => m.baseFile !== m.headFile && inScope(m.baseFile) && inScope(m.headFile),
  ).length;
  return { base, head, compared: scoped.size - moves, manifests, root: git.root };
}
