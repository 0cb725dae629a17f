import {
  checkReadiness,
  invalidReport,
  isIsoDate,
  meetsRequirement,
  requiredPhases,
} from '../../core/check/index.js';
import type { ManifestReport } from '../../core/check/index.js';
import type { Manifest, Phase } from '../../core/manifest.js';
import { manifestName, readManifest } from '../../core/manifest/reader.js';
import { duplicateNames } from '../../core/manifest/repository.js';
import type { NamedManifest } from '../../core/manifest/repository.js';
import { compareFindings } from '../../core/findings.js';
import type { ReadResult } from '../../core/manifest/reader.js';
import { InputError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { startCheckInputs } from '../../io/check-inputs.js';
import { applyConfig } from '../../io/config.js';
import { discoverManifests } from '../../io/discover.js';
import { toDisplayPath } from '../../io/fs.js';
import { readManifestText, readScopes } from '../../io/validate-files.js';
import { openRepository } from '../../io/revisions.js';
import { checkReporters } from '../../report/check.js';
import type { CheckFormat, CheckResult } from '../../report/check.js';
import type { CommandContext } from '../context.js';
import { exitCodeFor } from '../exit-code.js';

export interface CheckOptions {
  phase?: Phase;
  format: CheckFormat;
  today?: string;
}

/** Today in the local calendar, YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A manifest as the reader gave it: judged only when it has no error finding. */
interface Read {
  file: string;
  repoPath: string;
  read: ReadResult;
  valid: boolean;
}

export async function runCheck(
  paths: string[],
  options: CheckOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd, env } = ctx.io;
  if (options.today !== undefined && !isIsoDate(options.today)) {
    throw new UsageError(`--today "${options.today}" is not a date`, {
      hint: 'give a calendar date as YYYY-MM-DD, e.g. --today 2026-11-27',
    });
  }
  const today = options.today ?? localToday();
  const git = await openRepository(cwd, {
    env,
    hint: 'mlops check judges evidence committed to git: run it inside the repository (git init, then commit the manifest and its evidence); `mlops validate` checks shape without git',
  });
  const inputs = startCheckInputs(git, cwd);
  const discovered = await discoverManifests(paths, cwd, { git });
  const config = await applyConfig(discovered.files, {
    cwd,
    paths,
    root: git.root,
    known: discovered.configs,
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
  const validator = await loadValidator();
  // the same reading as `mlops validate`: a manifest with an error finding is not judged, and
  // one that leads outside the repository, is no regular file or is not UTF-8 is not read
  const scopes = readScopes(files, { cwd, paths, repoRoot: git.root });
  const manifests: Read[] = files.map((abs, i) => {
    const file = toDisplayPath(cwd, abs);
    const content = readManifestText({ abs, file, scope: scopes[i]! });
    const read: ReadResult =
      'text' in content
        ? readManifest(content.text, file, validator)
        : {
            data: undefined,
            findings: [content.finding],
            locate: () => ({ line: 1, column: 1 }),
          };
    return { file, repoPath: inputs.repoPathOf(abs), read, valid: false };
  });
  // validate's repository-level pass too: two manifests of one name are invalid in both
  const named: NamedManifest[] = manifests.flatMap((m) => {
    const name = manifestName(m.read);
    return name ? [{ ...name, file: m.file }] : [];
  });
  const byFile = new Map(manifests.map((m) => [m.file, m]));
  for (const f of duplicateNames(named)) {
    const m = byFile.get(f.file!);
    if (m) m.read = { ...m.read, findings: [...m.read.findings, f].sort(compareFindings) };
  }
  for (const m of manifests) {
    m.valid = m.read.data !== undefined && !m.read.findings.some((f) => f.severity === 'error');
  }
  const judged = manifests.filter((m) => m.valid);
  const gathered = await inputs.gather(
    judged.map((m) => ({ repoPath: m.repoPath, manifest: m.read.data as Manifest })),
    today,
  );
  const input = new Map(judged.map((m, i) => [m, gathered[i]!]));
  const reports: ManifestReport[] = manifests.map((m) => {
    const gatheredInput = input.get(m);
    if (!gatheredInput) return invalidReport(m.file, m.read.findings, m.read.data);
    return checkReadiness(m.read.data as Manifest, {
      ...gatheredInput,
      displayPath: m.file,
      locate: m.read.locate,
    });
  });

  const result: CheckResult = {
    today,
    ...(options.phase ? { phase: options.phase } : {}),
    manifests: reports.map((report) => ({
      report,
      heldTo: requiredPhases(report.status, options.phase),
      ok: meetsRequirement(report, options.phase),
    })),
    root: toDisplayPath(cwd, git.root),
  };
  ctx.io.stdout(
    checkReporters[options.format](result, {
      color: ctx.color,
      toolVersion: ctx.toolVersion,
      verbose: ctx.verbose,
      config: config.inForce(),
    }),
  );
  const failures = result.manifests
    .filter((m) => !m.ok)
    .map(() => ({ severity: 'error' as const }));
  return exitCodeFor(failures, 'error');
}
