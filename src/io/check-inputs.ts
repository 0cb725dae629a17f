import { join, relative, resolve, sep } from 'node:path';
import type { ResolvedConfig } from '../core/config.js';
import { approvalStates } from '../core/approvals.js';
import type { ApprovablePhase, IdentityMode } from '../core/approvals.js';
import { signOffContextOf } from '../core/check/facts.js';
import { boundEvidence, evidenceDigest, signedText } from '../core/evidence-digest.js';
import type { BoundFile } from '../core/evidence-digest.js';
import { collectEvidence, historyEvidence } from '../core/check/index.js';
import type { CheckInput } from '../core/check/index.js';
import type { Manifest } from '../core/manifest.js';
import { MAX_EVIDENCE_TEXT_BYTES, evidenceTargets, readEvidenceFiles } from './evidence.js';
import { catFileBatch } from './git-batch.js';
import { verifyApprovalSignatures } from './ssh-verify.js';
import type { SignatureCheck } from './ssh-verify.js';
import type { EvidenceRequest } from './evidence.js';
import { toDisplayPath } from './fs.js';
import {
  readCommitSubjects,
  readEvidenceHistory,
  readSignOffCommits,
  readTrackedState,
  signOffWanted,
} from './git-state.js';
import type { EvidenceHistory } from './git-state.js';
import type { Git } from './git.js';

/** A manifest to judge: where it is in the repository, and its data. */
export interface CheckSubject {
  /** Repository-relative, forward slashes. */
  repoPath: string;
  manifest: Manifest;
  /** The settings of the manifest's config files that judging it uses. */
  settings?: SubjectSettings;
}

/** What a manifest's config files say that judging it uses, with the file that said it. */
export interface SubjectSettings {
  identity?: IdentityMode;
  identitySource?: string;
  /** Absolute path of the allowed signers file (approvals.allowedSignersFile). */
  allowedSigners?: string;
  waiverMaxDays?: number;
  waiverMaxDaysSource?: string;
  /** A pinned date (config `today`) and the file that pinned it. */
  today?: string;
  todaySource?: string;
}

/** History a judgement needs that a shallow clone does not have. */
export interface MissingHistory {
  /** Repository path of the manifest. */
  manifest: string;
  /** What needed it: evidence paths (dates, versions) or approval and waiver ids. */
  needs: string[];
}

/** What `checkReadiness` needs from git and the disk, besides the manifest and its positions. */
export type GatheredInput = Omit<CheckInput, 'locate' | 'displayPath'>;

/** Gathers check's inputs; see `startCheckInputs`. */
export interface CheckInputs {
  /** The manifest's path relative to the repository's top folder, forward slashes. */
  repoPathOf(abs: string): string;
  /** The inputs of each subject, in order. */
  gather(subjects: readonly CheckSubject[], today: string): Promise<GatheredInput[]>;
  /** What the judgements so far needed of the history that a shallow clone lacks. */
  missingHistory(): MissingHistory[];
}

/**
 * Starts reading what `mlops check` needs from git. A fixed number of git processes, however
 * many manifests: `ls-files` and `status` (started at once: they do not depend on the
 * manifests), then one `log` and one `cat-file --batch` for the history of the evidence that
 * needs it. Evidence files are read from disk, never outside the repository. `cwd` is where
 * the user stands: paths in the output are relative to it. `historyDepth`: read that many of
 * the newest committed versions of every evidence file with a history, not only what the rules
 * need (`mlops report`; the verdicts are the same). `everyDate`: the date of the last commit of
 * every evidence file, not only those with a history; `manifestVersions`: that many of the
 * newest committed versions of each manifest, with their subjects (`mlops export`).
 */
export function startCheckInputs(
  git: Git,
  cwd: string,
  options: { historyDepth?: number; everyDate?: boolean; manifestVersions?: number } = {},
): CheckInputs {
  const depth = options.historyDepth ?? 0;
  const statePromise = readTrackedState(git);
  const missing: MissingHistory[] = [];
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
    missingHistory: () => missing,
    async gather(subjects, runToday) {
      const requests: EvidenceRequest[] = [];
      const datePaths = new Set<string>();
      const counts = new Map<string, number>();
      const bound = subjects.map(({ manifest, repoPath }) => boundFiles(manifest, repoPath));
      const refs = subjects.map(({ manifest, repoPath }, i) => {
        const list = collectEvidence(manifest, repoPath);
        for (const ref of list) {
          if (ref.repoPath)
            requests.push({
              path: ref.repoPath,
              text: ref.readsValue,
              sha256: ref.sha256 !== undefined,
            });
        }
        // what approvals bind: data by its parsed content, other files by their bytes
        for (const file of bound[i]!)
          requests.push({ path: file.repoPath, text: file.data, sha256: true });
        const history = historyEvidence(manifest, list);
        history.dates.forEach((p) => datePaths.add(p));
        if (options.everyDate)
          for (const ref of list) if (ref.repoPath) datePaths.add(ref.repoPath);
        if (options.manifestVersions)
          counts.set(repoPath, Math.max(counts.get(repoPath) ?? 0, options.manifestVersions));
        for (const v of history.versions)
          counts.set(v.path, Math.max(counts.get(v.path) ?? 0, v.count));
        return list;
      });
      // `mlops report` draws the history of every evidence file that has one (value tracking,
      // live guardrail and drift evidence): the same pass reads up to `depth` versions of each
      if (depth > 0) for (const p of datePaths) counts.set(p, Math.max(counts.get(p) ?? 0, depth));
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
      // who added each approval and waiver: one pass per mode of signature reading
      const signed = subjects.some((s) => s.settings?.identity === 'signed');
      const allowed = subjects.find((s) => s.settings?.allowedSigners)?.settings?.allowedSigners;
      const commitsPromise = readSignOffCommits(
        git,
        subjects.map(({ manifest, repoPath }) => signOffWanted(repoPath, manifest)),
        { signatures: signed, ...(allowed ? { allowedSigners: allowed } : {}) },
      );
      commitsPromise.catch(() => undefined);
      const signaturesPromise = verifyApprovalSignatures(
        git,
        subjects.flatMap(({ manifest, settings }) =>
          settings?.identity === 'signed' ? signedApprovals(manifest, settings.allowedSigners) : [],
        ),
      );
      signaturesPromise.catch(() => undefined);
      const evidence = readEvidenceFiles(git.root, requests);
      const [state, found, commits, signatures] = await Promise.all([
        statePromise,
        historyPromise,
        commitsPromise,
        signaturesPromise,
      ]);
      const history = targets.size === 0 ? found : aliasHistory(found, targets);
      if (options.manifestVersions) {
        const versions = subjects.flatMap((s) => history.committedVersions.get(s.repoPath) ?? []);
        const said = await readCommitSubjects(
          git,
          versions.map((v) => v.commit),
        );
        for (const v of versions) {
          const subject = said.get(v.commit);
          if (subject !== undefined) v.subject = subject;
        }
      }
      const digests = new Map<string, string>();
      const digestOfPath = (p: string): string | undefined => {
        if (digests.has(p)) return digests.get(p);
        const file = evidence.get(p);
        const d =
          file?.kind === 'file'
            ? evidenceDigest(p, {
                ...(file.text !== undefined ? { text: file.text } : {}),
                ...(file.sha256 !== undefined ? { bytesSha256: file.sha256 } : {}),
              })
            : undefined;
        if (d !== undefined) digests.set(p, d);
        return d;
      };
      const inputs = subjects.map((s, i): GatheredInput => {
        const signOffs = commits.get(s.repoPath);
        const settings = s.settings ?? {};
        const needs = [
          ...(signOffs?.beyondHistory ?? []),
          ...historyEvidence(s.manifest, refs[i]!)
            .dates.concat(historyEvidence(s.manifest, refs[i]!).versions.map((v) => v.path))
            .filter((p) => found.beyondHistory.has(historyOf(p))),
        ];
        if (needs.length > 0) missing.push({ manifest: s.repoPath, needs: [...new Set(needs)] });
        return {
          manifestPath: s.repoPath,
          display,
          tracked: state.tracked,
          workingState: state.workingState,
          evidence: (p) => evidence.get(p),
          lastCommitDates: history.lastCommitDates,
          committedVersions: history.committedVersions,
          today: settings.today ?? runToday,
          ...(settings.today && settings.todaySource ? { todaySource: settings.todaySource } : {}),
          refs: refs[i]!,
          identity: settings.identity ?? 'author',
          ...(settings.identitySource ? { identitySource: settings.identitySource } : {}),
          approvalCommits: signOffs?.approvals ?? new Map(),
          waiverCommits: signOffs?.waivers ?? new Map(),
          approvalSignatures: signatures,
          evidenceDigest: digestOfPath,
          ...(settings.waiverMaxDays !== undefined
            ? { waiverMaxDays: settings.waiverMaxDays }
            : {}),
          ...(settings.waiverMaxDaysSource
            ? { waiverMaxDaysSource: settings.waiverMaxDaysSource }
            : {}),
        };
      });
      // the evidence as it was signed, where an approval went stale because it changed
      const wantedThen: string[] = [];
      inputs.forEach((input, i) => {
        const ctx = signOffContextOf(input);
        for (const phase of APPROVABLE)
          for (const st of approvalStates(subjects[i]!.manifest, phase, ctx))
            if (st.status === 'stale' && st.commit)
              for (const c of st.changed ?? [])
                if (c.was !== undefined) wantedThen.push(`${st.commit.commit}:${c.repoPath}`);
      });
      const names = [...new Set(wantedThen)].filter((n) => !/[\r\n]/.test(n));
      const objects = names.length ? await catFileBatch(git, names) : [];
      const then = new Map<string, string>();
      names.forEach((n, k) => {
        const o = objects[k];
        if (o?.type === 'blob' && o.content && o.content.length <= MAX_EVIDENCE_TEXT_BYTES)
          then.set(n, o.content.toString('utf8'));
      });
      return inputs.map((input) => ({
        ...input,
        evidenceAt: (commit: string, repoPath: string) => then.get(`${commit}:${repoPath}`),
      }));
    },
  };
}

/**
 * What judging a manifest uses of its config: the identity mode, the allowed signers file (as
 * an absolute path, relative to the config file that names it), the waiver maximum and, unless
 * `--today` was given, a pinned date; each with the file that set it.
 */
export function subjectSettings(
  config: ResolvedConfig,
  cwd: string,
  options: { pinnedToday: boolean },
): SubjectSettings {
  const { settings, sources } = config;
  const dirOf = (file: string | undefined): string =>
    resolve(cwd, config.chain.find((c) => c.file === file)?.dir ?? '.');
  const allowed = settings.approvals?.allowedSignersFile;
  return {
    ...(settings.approvals?.identity
      ? {
          identity: settings.approvals.identity,
          ...(sources['approvals.identity']
            ? { identitySource: sources['approvals.identity'] }
            : {}),
        }
      : {}),
    ...(allowed
      ? { allowedSigners: resolve(dirOf(sources['approvals.allowedSignersFile']), allowed) }
      : {}),
    ...(settings.waivers?.maxDays !== undefined
      ? {
          waiverMaxDays: settings.waivers.maxDays,
          ...(sources['waivers.maxDays']
            ? { waiverMaxDaysSource: sources['waivers.maxDays'] }
            : {}),
        }
      : {}),
    ...(options.pinnedToday && settings.today
      ? { today: settings.today, ...(sources.today ? { todaySource: sources.today } : {}) }
      : {}),
  };
}

/** The files an approval of each phase binds, over the phases that can be approved. */
function boundFiles(manifest: Manifest, repoPath: string): BoundFile[] {
  if (!Array.isArray(manifest.approvals) || manifest.approvals.length === 0) return [];
  return APPROVABLE.flatMap((phase) => boundEvidence(manifest, repoPath, phase));
}

/** The approvals carrying a signature, with the email the approver's stakeholder entry gives. */
function signedApprovals(manifest: Manifest, allowedSigners: string | undefined): SignatureCheck[] {
  if (!Array.isArray(manifest.approvals)) return [];
  const stakeholders = Array.isArray(manifest.envision?.stakeholders)
    ? manifest.envision.stakeholders
    : [];
  return manifest.approvals.flatMap((a): SignatureCheck[] => {
    if (!a || typeof a !== 'object' || typeof a.signature !== 'string' || typeof a.id !== 'string')
      return [];
    const who = stakeholders.find((s) => s && s.id === a.by);
    if (!who || typeof who.email !== 'string') return [];
    return [
      {
        id: a.id,
        principal: who.email,
        signature: a.signature,
        message: signedText(a),
        ...(allowedSigners ? { allowedSigners } : {}),
      },
    ];
  });
}

const APPROVABLE: readonly ApprovablePhase[] = ['envision', 'build', 'deploy'];

/** The history read for link targets, under the evidence paths that lead to them as well. */
function aliasHistory(
  found: EvidenceHistory,
  targets: ReadonlyMap<string, string>,
): EvidenceHistory {
  const lastCommitDates = new Map(found.lastCommitDates);
  const committedVersions = new Map(found.committedVersions);
  const beyondHistory = new Set(found.beyondHistory);
  for (const [path, target] of targets) {
    const date = found.lastCommitDates.get(target);
    const versions = found.committedVersions.get(target);
    if (date !== undefined) lastCommitDates.set(path, date);
    else lastCommitDates.delete(path);
    if (versions !== undefined) committedVersions.set(path, versions);
    else committedVersions.delete(path);
  }
  return { lastCommitDates, committedVersions, beyondHistory };
}
