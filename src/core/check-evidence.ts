import type { PathSegment } from './diagnostics.js';
import { DIMENSIONS } from './manifest.js';
import type { Evidence, Manifest, Phase } from './manifest.js';

/** One Evidence entry of a manifest, resolved against the manifest's folder. */
export interface EvidenceRef {
  phase: Phase;
  /** Where the entry sits in the manifest. */
  at: PathSegment[];
  /** What it proves, in words: "model card", "guardrail `auc-floor`". */
  label: string;
  /** The path as written. */
  raw: string;
  /** Repository-relative path; absent when the path leaves the repository. */
  repoPath?: string;
  /** Why the path was refused: it is absolute, or `..` climbs out of the repository. */
  escape?: 'absolute' | 'outside';
  pointer?: string;
  sha256?: string;
  /** The file is read for an observed value (JSON or YAML). */
  readsValue: boolean;
}

/** The repository-relative folder of a repository-relative file. */
export function dirOf(repoPath: string): string {
  const i = repoPath.lastIndexOf('/');
  return i < 0 ? '' : repoPath.slice(0, i);
}

/**
 * Resolves an evidence path written relative to the manifest's folder into a repository-relative
 * one, purely on the text: absolute paths and `..` that climbs above the repository are refused.
 * (Symlinks are io's business: it never reads one that leads outside.)
 */
export function resolveEvidencePath(
  manifestPath: string,
  raw: string,
): { repoPath: string } | { escape: 'absolute' | 'outside' } {
  if (
    raw.startsWith('/') ||
    raw.startsWith('\\') ||
    /^[A-Za-z]:/.test(raw) ||
    raw.startsWith('~')
  ) {
    return { escape: 'absolute' };
  }
  const parts = dirOf(manifestPath)
    .split('/')
    .filter((p) => p !== '');
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0 || parts[parts.length - 1] === '..') return { escape: 'outside' };
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  // A manifest outside the repository (its path starts with ..) has no evidence inside it.
  if (parts.length === 0 || parts[0] === '..') return { escape: 'outside' };
  return { repoPath: parts.join('/') };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Phases a guardrail is active in (`phases`, default build and monitor). */
export function guardrailPhases(g: { phases?: unknown }): ('build' | 'monitor')[] {
  const p = list(g.phases).filter(
    (x): x is 'build' | 'monitor' => x === 'build' || x === 'monitor',
  );
  return Array.isArray(g.phases) ? p : ['build', 'monitor'];
}

/** Every Evidence entry of the manifest, with the phase it belongs to (manifest-v1.md). */
export function collectEvidence(manifest: Manifest, manifestPath: string): EvidenceRef[] {
  const refs: EvidenceRef[] = [];
  const add = (
    phase: Phase,
    at: PathSegment[],
    label: string,
    evidence: unknown,
    readsValue: boolean,
  ): void => {
    let raw: string | undefined;
    let pointer: string | undefined;
    let sha256: string | undefined;
    if (typeof evidence === 'string') raw = evidence;
    else if (isObject(evidence)) {
      raw = str(evidence.path);
      pointer = str(evidence.pointer);
      sha256 = str(evidence.sha256);
    }
    if (raw === undefined || raw === '') return;
    const resolved = resolveEvidencePath(manifestPath, raw);
    refs.push({
      phase,
      at: typeof evidence === 'string' ? at : [...at, 'path'],
      label,
      raw,
      ...resolved,
      ...(pointer !== undefined ? { pointer } : {}),
      ...(sha256 !== undefined ? { sha256 } : {}),
      readsValue,
    });
  };
  const tai = isObject(manifest.envision) ? manifest.envision.trustworthyAI : undefined;
  for (const dimension of DIMENSIONS) {
    const dim = isObject(tai) ? tai[dimension] : undefined;
    list(isObject(dim) ? dim.guardrails : undefined).forEach((g, i) => {
      if (!isObject(g)) return;
      for (const phase of guardrailPhases(g)) {
        add(
          phase,
          ['envision', 'trustworthyAI', dimension, 'guardrails', i, 'evidence'],
          `guardrail \`${String(g.id)}\``,
          g.evidence as Evidence,
          true,
        );
      }
    });
  }
  const build = isObject(manifest.build) ? manifest.build : {};
  list(build.evaluations).forEach((e, i) => {
    if (isObject(e))
      add(
        'build',
        ['build', 'evaluations', i, 'evidence'],
        `evaluation \`${String(e.id)}\``,
        e.evidence,
        true,
      );
  });
  list(build.datasets).forEach((d, i) => {
    if (isObject(d))
      add(
        'build',
        ['build', 'datasets', i, 'datasheet'],
        `datasheet of dataset \`${String(d.id)}\``,
        d.datasheet,
        false,
      );
  });
  add('build', ['build', 'modelCard'], 'model card', build.modelCard, false);

  const deploy = isObject(manifest.deploy) ? manifest.deploy : {};
  const dp = isObject(deploy.dataProtection) ? deploy.dataProtection : {};
  add('deploy', ['deploy', 'dataProtection', 'dpia'], 'DPIA', dp.dpia, false);
  const sec = isObject(deploy.securityReview) ? deploy.securityReview : {};
  add(
    'deploy',
    ['deploy', 'securityReview', 'threatModel'],
    'threat model',
    sec.threatModel,
    false,
  );
  const integ = isObject(deploy.integration) ? deploy.integration : {};
  add('deploy', ['deploy', 'integration', 'runbook'], 'runbook', integ.runbook, false);
  const ho = isObject(integ.humanOversight) ? integ.humanOversight : {};
  add(
    'deploy',
    ['deploy', 'integration', 'humanOversight', 'procedure'],
    'human oversight procedure',
    ho.procedure,
    false,
  );
  add('deploy', ['deploy', 'integration', 'training'], 'training material', integ.training, false);
  list(deploy.valueMeasurement).forEach((v, i) => {
    if (isObject(v))
      add(
        'deploy',
        ['deploy', 'valueMeasurement', i, 'instrumentation'],
        `instrumentation of \`${String(v.valueMetric)}\``,
        v.instrumentation,
        false,
      );
  });

  const monitor = isObject(manifest.monitor) ? manifest.monitor : {};
  list(monitor.drift).forEach((d, i) => {
    if (isObject(d))
      add(
        'monitor',
        ['monitor', 'drift', i, 'evidence'],
        `drift check \`${String(d.id)}\``,
        d.evidence,
        true,
      );
  });
  const vt = isObject(monitor.valueTracking) ? monitor.valueTracking : {};
  add(
    'monitor',
    ['monitor', 'valueTracking', 'evidence'],
    'value-tracking report',
    vt.evidence,
    true,
  );
  const gov = isObject(monitor.governance) ? monitor.governance : {};
  add('monitor', ['monitor', 'governance', 'evidence'], 'governance record', gov.evidence, false);
  return refs;
}

/** Repository paths of the evidence whose commit history matters: value tracking and drift (M2, M3). */
export function historyEvidence(
  manifest: Manifest,
  refs: readonly EvidenceRef[],
): { dates: string[]; versions: { path: string; count: number }[] } {
  const dates = new Set<string>();
  const versions: { path: string; count: number }[] = [];
  for (const r of refs) {
    if (!r.repoPath) continue;
    if (r.at[1] === 'drift') dates.add(r.repoPath);
    if (r.at[1] === 'valueTracking') {
      dates.add(r.repoPath);
      const m = manifest.monitor?.valueTracking?.missesToTrigger;
      versions.push({
        path: r.repoPath,
        count: typeof m === 'number' && m >= 1 ? Math.floor(m) : 1,
      });
    }
  }
  return { dates: [...dates], versions };
}
