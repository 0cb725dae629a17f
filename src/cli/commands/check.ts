import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { collectEvidence, historyEvidence } from '../../core/check-evidence.js';
import type { EvidenceRef } from '../../core/check-evidence.js';
import {
  checkReadiness,
  invalidReport,
  isIsoDate,
  meetsRequirement,
  requiredPhases,
} from '../../core/check.js';
import type { ManifestReport } from '../../core/check.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import {
  MAX_MANIFEST_BYTES,
  parseManifest,
  parseManifestFast,
  tooLargeFinding,
} from '../../core/load.js';
import type { Manifest, Phase } from '../../core/manifest.js';
import { validateParsed } from '../../core/validate.js';
import { GitError, InputError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { discoverManifests } from '../../io/discover.js';
import { createGit } from '../../io/git.js';
import type { Git } from '../../io/git.js';
import { readEvidenceFiles } from '../../io/evidence.js';
import type { EvidenceRequest } from '../../io/evidence.js';
import { statPath, toDisplayPath } from '../../io/fs.js';
import { readEvidenceHistory, readTrackedState } from '../../io/git-state.js';
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

interface Loaded {
  abs: string;
  file: string;
  repoPath: string;
  text?: string;
  manifest?: Manifest;
  invalid?: Diagnostic[];
  data?: unknown;
  refs?: EvidenceRef[];
}

export async function runCheck(
  paths: string[],
  options: CheckOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  if (options.today !== undefined && !isIsoDate(options.today)) {
    throw new UsageError(`--today "${options.today}" is not a date`, {
      hint: 'give a calendar date as YYYY-MM-DD, e.g. --today 2026-11-27',
    });
  }
  const today = options.today ?? localToday();
  let git: Git;
  try {
    git = await createGit(cwd);
  } catch (error) {
    if (error instanceof GitError) {
      throw new GitError(error.message, {
        cause: error,
        hint: 'mlops check judges evidence committed to git: run it inside the repository (git init, then commit the manifest and its evidence); `mlops validate` checks shape without git',
      });
    }
    throw error;
  }
  // The index and status do not depend on the manifests: git works on them while they are read.
  const statePromise = readTrackedState(git);
  statePromise.catch(() => undefined);
  const discovered = await discoverManifests(paths, cwd, { requireGit: true });
  const { files } = discovered;
  if (files.length === 0) {
    throw new InputError(
      `no ${paths.length ? 'mlops.yaml under the paths given' : 'mlops.yaml found in this repository'}`,
      {
        hint: 'run `mlops init <dir>` to create a manifest, or pass manifest files',
      },
    );
  }
  const root = git.root;
  const repoPathOf = (abs: string): string => relative(root, abs).split(sep).join('/');
  const validator = await loadValidator();

  const loaded: Loaded[] = files.map((abs) => {
    const file = toDisplayPath(cwd, abs);
    const base: Loaded = { abs, file, repoPath: repoPathOf(abs) };
    const size = statPath(abs)?.size ?? 0;
    if (size > MAX_MANIFEST_BYTES) return { ...base, invalid: [tooLargeFinding(file, size)] };
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (cause) {
      throw new InputError(`cannot read ${file}`, {
        cause,
        hint: 'check that the file exists and is readable',
      });
    }
    const fast = parseManifestFast(text);
    if (fast !== undefined && validator(fast)) return { ...base, text, manifest: fast as Manifest };
    const parsed = parseManifest(text, file);
    if (parsed.diagnostics.length === 0 && parsed.data !== undefined && validator(parsed.data)) {
      return { ...base, text, manifest: parsed.data as Manifest };
    }
    const errors = validateParsed(parsed, validator).filter((d) => d.severity === 'error');
    return { ...base, text, data: parsed.data, invalid: errors };
  });

  const requests: EvidenceRequest[] = [];
  const datePaths = new Set<string>();
  const versions: { path: string; count: number }[] = [];
  for (const l of loaded) {
    if (!l.manifest) continue;
    l.refs = collectEvidence(l.manifest, l.repoPath);
    for (const ref of l.refs) {
      if (ref.repoPath)
        requests.push({
          path: ref.repoPath,
          text: ref.readsValue,
          sha256: ref.sha256 !== undefined,
        });
    }
    const history = historyEvidence(l.manifest, l.refs);
    history.dates.forEach((p) => datePaths.add(p));
    versions.push(...history.versions);
  }
  const byPath = new Map<string, number>();
  for (const v of versions) byPath.set(v.path, Math.max(byPath.get(v.path) ?? 0, v.count));

  const historyPromise = readEvidenceHistory(
    root,
    [...datePaths],
    [...byPath].map(([path, count]) => ({ path, count })),
  );
  historyPromise.catch(() => undefined);
  const evidence = readEvidenceFiles(root, requests);
  const [state, history] = await Promise.all([statePromise, historyPromise]);
  const shown = new Map<string, string>();
  const display = (repoPath: string): string => {
    let p = shown.get(repoPath);
    if (p === undefined) shown.set(repoPath, (p = toDisplayPath(cwd, join(root, repoPath))));
    return p;
  };

  const reports: ManifestReport[] = loaded.map((l) => {
    if (!l.manifest) return invalidReport(l.file, l.invalid ?? [], l.data);
    return checkReadiness(l.manifest, {
      manifestPath: l.repoPath,
      displayPath: l.file,
      display,
      tracked: state.tracked,
      workingState: state.workingState,
      evidence: (p) => evidence.get(p),
      lastCommitDates: history.lastCommitDates,
      committedVersions: history.committedVersions,
      today,
      ...(l.refs ? { refs: l.refs } : {}),
    });
  });

  if (options.format === 'sarif' || options.format === 'github') {
    // Positions cost a full parse, so only machine annotations pay for them.
    loaded.forEach((l, i) => {
      const report = reports[i]!;
      if (!l.manifest || l.text === undefined) return;
      if (!report.phases.some((p) => p.rules.some((r) => r.findings.length > 0))) return;
      const parsed = parseManifest(l.text, l.file);
      for (const p of report.phases) {
        for (const r of p.rules)
          for (const f of r.findings) Object.assign(f, parsed.locate(f.at, 'key'));
      }
    });
  }

  const result: CheckResult = {
    today,
    ...(options.phase ? { phase: options.phase } : {}),
    manifests: reports.map((report) => ({
      report,
      heldTo: requiredPhases(report.status, options.phase),
      ok: meetsRequirement(report, options.phase),
    })),
    root: toDisplayPath(cwd, root),
  };
  ctx.io.stdout(
    checkReporters[options.format](result, {
      color: ctx.color,
      toolVersion: ctx.toolVersion,
      verbose: ctx.verbose,
    }),
  );
  const failures = result.manifests
    .filter((m) => !m.ok)
    .map(() => ({ severity: 'error' as const }));
  return exitCodeFor(failures, 'error');
}
