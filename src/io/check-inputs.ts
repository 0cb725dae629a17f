import { join, relative, sep } from 'node:path';
import { approvalStates } from '../core/approvals.js';
import type { ApprovablePhase } from '../core/approvals.js';
import { collectEvidence, historyEvidence } from '../core/check/index.js';
import type { CheckInput } from '../core/check/index.js';
import type { Manifest } from '../core/manifest.js';
import { evidenceTargets, readEvidenceFiles } from './evidence.js';
import type { EvidenceRequest } from './evidence.js';
import { toDisplayPath } from './fs.js';
import { readApprovalCommits, readEvidenceHistory, readTrackedState } from './git-state.js';
import type { EvidenceHistory } from './git-state.js';
import type { Git } from './git.js';

/** A manifest to judge: where it is in the repository, and its data. */
export interface CheckSubject {
  /** Repository-relative, forward slashes. */
  repoPath: string;
  manifest: Manifest;
}

/** What `checkReadiness` needs from git and the disk, besides the manifest and its positions. */
export type GatheredInput = Omit<CheckInput, 'locate' | 'displayPath'>;

/** Gathers check's inputs; see `startCheckInputs`. */
export interface CheckInputs {
  /** The manifest's path relative to the repository's top folder, forward slashes. */
  repoPathOf(abs: string): string;
  /** The inputs of each subject, in order. */
  gather(subjects: readonly CheckSubject[], today: string): Promise<GatheredInput[]>;
}

/**
 * Starts reading what `mlops check` needs from git. A fixed number of git processes, however
 * many manifests: `ls-files` and `status` (started at once: they do not depend on the
 * manifests), then one `log` and one `cat-file --batch` for the history of the evidence that
 * needs it. Evidence files are read from disk, never outside the repository. `cwd` is where
 * the user stands: paths in the output are relative to it.
 */
export function startCheckInputs(git: Git, cwd: string): CheckInputs {
  const statePromise = readTrackedState(git);
  // awaited in gather; until then, a failure must not surface as an unhandled rejection
  statePromise.catch(() => undefined);
  const shown = new Map<string, string>();
  const display = (repoPath: string): string => {
    let p = shown.get(repoPath);
    if (p === undefined) shown.set(repoPath, (p = toDisplayPath(cwd, join(git.root, repoPath))));
    return p;
  };
  return {
    repoPathOf: (abs) => relative(git.root, abs).split(sep).join('/'),
    async gather(subjects, today) {
      const requests: EvidenceRequest[] = [];
      const datePaths = new Set<string>();
      const counts = new Map<string, number>();
      const refs = subjects.map(({ manifest, repoPath }) => {
        const list = collectEvidence(manifest, repoPath);
        for (const ref of list) {
          if (ref.repoPath)
            requests.push({
              path: ref.repoPath,
              text: ref.readsValue,
              sha256: ref.sha256 !== undefined,
            });
        }
        const history = historyEvidence(manifest, list);
        history.dates.forEach((p) => datePaths.add(p));
        for (const v of history.versions)
          counts.set(v.path, Math.max(counts.get(v.path) ?? 0, v.count));
        return list;
      });
      // A report that is a link inside the repository: its history is the file it leads to.
      const targets = evidenceTargets(git.root, new Set([...datePaths, ...counts.keys()]));
      const historyOf = (p: string): string => targets.get(p) ?? p;
      const targetCounts = new Map<string, number>();
      for (const [p, count] of counts)
        targetCounts.set(historyOf(p), Math.max(targetCounts.get(historyOf(p)) ?? 0, count));
      const historyPromise = readEvidenceHistory(
        git,
        [...new Set([...datePaths].map(historyOf))],
        [...targetCounts].map(([path, count]) => ({ path, count })),
      );
      historyPromise.catch(() => undefined);
      // where each stale approval was committed, so that its hint can show what changed since
      const approvalsPromise = readApprovalCommits(
        git,
        subjects.map(({ manifest, repoPath }) => ({
          path: repoPath,
          digests: staleDigests(manifest),
        })),
      );
      approvalsPromise.catch(() => undefined);
      const evidence = readEvidenceFiles(git.root, requests);
      const [state, found, approvals] = await Promise.all([
        statePromise,
        historyPromise,
        approvalsPromise,
      ]);
      const history = targets.size === 0 ? found : aliasHistory(found, targets);
      return subjects.map((s, i): GatheredInput => ({
        manifestPath: s.repoPath,
        display,
        tracked: state.tracked,
        workingState: state.workingState,
        evidence: (p) => evidence.get(p),
        lastCommitDates: history.lastCommitDates,
        committedVersions: history.committedVersions,
        today,
        refs: refs[i]!,
        ...(approvals.has(s.repoPath) ? { approvalCommits: approvals.get(s.repoPath)! } : {}),
      }));
    },
  };
}

const APPROVABLE: readonly ApprovablePhase[] = ['envision', 'build', 'deploy'];

/** The digests of the manifest's stale approvals (rule G3), each once. */
function staleDigests(manifest: Manifest): string[] {
  if (!Array.isArray(manifest.approvals) || manifest.approvals.length === 0) return [];
  const digests = new Set<string>();
  for (const phase of APPROVABLE)
    for (const s of approvalStates(manifest, phase))
      if (s.status === 'stale' && typeof s.approval?.digest === 'string')
        digests.add(s.approval.digest);
  return [...digests];
}

/** The history read for link targets, under the evidence paths that lead to them as well. */
function aliasHistory(
  found: EvidenceHistory,
  targets: ReadonlyMap<string, string>,
): EvidenceHistory {
  const lastCommitDates = new Map(found.lastCommitDates);
  const committedVersions = new Map(found.committedVersions);
  for (const [path, target] of targets) {
    const date = found.lastCommitDates.get(target);
    const versions = found.committedVersions.get(target);
    if (date !== undefined) lastCommitDates.set(path, date);
    else lastCommitDates.delete(path);
    if (versions !== undefined) committedVersions.set(path, versions);
    else committedVersions.delete(path);
  }
  return { lastCommitDates, committedVersions };
}
