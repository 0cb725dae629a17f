import { readScopes } from '../../io/validate-files.js';
import { compareFindings } from '../../core/findings.js';
import type { Finding } from '../../core/findings.js';
import { duplicateNames } from '../../core/manifest/repository.js';
import type { NamedManifest } from '../../core/manifest/repository.js';
import { InputError, UsageError } from '../../errors.js';
import { applyConfig } from '../../io/config.js';
import { discoverManifests } from '../../io/discover.js';
import { toDisplayPath } from '../../io/fs.js';
import { validateManifests } from '../../io/validate-run.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateFormat } from '../../report/validate.js';
import type { CommandContext } from '../context.js';
import { exitCodeForGroups, failOnFromSetting } from '../exit-code.js';

export interface ValidateOptions {
  format: ValidateFormat;
  /** Warnings fail too (`--strict`, `--no-strict`; else `strict` of mlops.config.yaml). */
  strict?: boolean;
  /** Read and write the result cache (`--no-cache` turns it off). */
  cache: boolean;
  /** Worker threads: a number, or undefined for automatic. */
  jobs?: string;
}

export async function runValidate(
  paths: string[],
  options: ValidateOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const threads = parseJobs(options.jobs);
  const discovered = await discoverManifests(paths, cwd, { env: ctx.io.env });
  const config = await applyConfig(discovered.files, {
    cwd,
    paths,
    known: discovered.configs,
    ...(discovered.git ? { root: discovered.git.root } : {}),
  });
  const { files } = config;
  if (files.length === 0) {
    throw new InputError(
      `no ${paths.length ? 'mlops.yaml under the paths given' : 'mlops.yaml found in this repository'}`,
      {
        hint: 'run `mlops init <dir>` to create a manifest, or pass manifest files',
      },
    );
  }
  const display = files.map((f) => toDisplayPath(cwd, f));
  const outcomes = await validateManifests(files, display, {
    cwd,
    env: ctx.io.env,
    toolVersion: ctx.toolVersion,
    cache: options.cache,
    ...(threads !== undefined ? { threads } : {}),
    scopes: readScopes(files, {
      cwd,
      paths,
      ...(discovered.git ? { repoRoot: discovered.git.root } : {}),
    }),
  });

  // findings across manifests join those of each file, in its place
  const named: NamedManifest[] = [];
  outcomes.forEach((o, i) => {
    if (o.name) named.push({ ...o.name, file: display[i]! });
  });
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
  const diagnostics = perFile.flat();
  const { code, decisive } = exitCodeForGroups(
    perFile.map((findings, i) => ({
      findings,
      ...failOnFromSetting(config.configOf(files[i]!), 'strict', options.strict, false, (strict) =>
        strict ? 'warning' : 'error',
      ),
    })),
    'error',
  );

  ctx.io.stdout(
    validateReporters[options.format](
      { files: display, diagnostics },
      {
        color: ctx.color,
        toolVersion: ctx.toolVersion,
        verbose: ctx.verbose,
        config: config.inForce({
          overridden: options.strict !== undefined ? ['strict'] : [],
          decisive,
        }),
      },
    ),
  );
  return code;
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
