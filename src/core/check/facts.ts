import { approvalStates } from '../approvals.js';
import type { ApprovablePhase, ApprovalState, SignOffContext } from '../approvals.js';
import type { Args } from '../findings.js';
import { listGuardrails } from '../manifest.js';
import type { DimensionKey, Guardrail, Manifest, Phase } from '../manifest.js';
import { referenceSites } from '../manifest/facts.js';
import type { ReferenceSite } from '../manifest/facts.js';
import type { CheckInput, CommittedVersion } from './context.js';
import { collectEvidence, judgeEvidence } from './evidence.js';
import type { EvidenceIssue, EvidenceKind, EvidenceRef } from './evidence.js';
import { isObject, list } from './util.js';
import { escapePointerToken, observe, parseEvidenceText } from './values.js';
import type { Observation, ParsedEvidence } from './values.js';

export {
  referenceSites,
  rigorMeets,
  targetAgainstDirection,
  tierRigor,
} from '../manifest/facts.js';
export type { ReferenceKind, ReferenceSite } from '../manifest/facts.js';

/** How many consecutive committed misses of the minimum trigger reassessment (rule M3). */
export function missesToTrigger(manifest: Pick<Manifest, 'monitor'>): number {
  const vt = isObject(manifest.monitor) ? manifest.monitor.valueTracking : undefined;
  const m = isObject(vt) ? vt.missesToTrigger : undefined;
  return typeof m === 'number' && m >= 1 ? Math.floor(m) : 1;
}

/**
 * What judging who signed needs, from check's input: without the commits of the approvals
 * (no git), none; otherwise today, the identity mode, the commits, verified signatures and
 * the current digests of evidence.
 */
export function signOffContextOf(input: CheckInput): SignOffContext | undefined {
  if (!input.approvalCommits) return undefined;
  return {
    today: input.today,
    identity: input.identity ?? 'author',
    ...(input.identitySource ? { identitySource: input.identitySource } : {}),
    approvalCommits: input.approvalCommits,
    ...(input.approvalSignatures ? { signatures: input.approvalSignatures } : {}),
    manifestPath: input.manifestPath,
    evidenceDigest: input.evidenceDigest ?? (() => undefined),
  };
}

/** Whether a build dataset holds personal data. */
export function holdsPersonalData(manifest: Pick<Manifest, 'build'>): boolean {
  return list<{ personalData?: unknown }>(
    isObject(manifest.build) ? manifest.build.datasets : undefined,
  ).some((d) => isObject(d) && d.personalData === true);
}

/** The pointer of one value metric under the value-tracking evidence's pointer. */
export function metricPointer(pointer: string | undefined, metricId: string): string | undefined {
  return pointer !== undefined ? `${pointer}/${escapePointerToken(metricId)}` : undefined;
}

/**
 * Repository paths of the evidence whose commit history matters (M2, M3): value tracking, drift
 * and the live evidence of guardrails in monitor.
 */
export function historyEvidence(
  manifest: Manifest,
  refs: readonly EvidenceRef[],
): { dates: string[]; versions: { path: string; count: number }[] } {
  const dates = new Set<string>();
  const versions: { path: string; count: number }[] = [];
  for (const r of refs) {
    if (!r.repoPath) continue;
    if (r.kind === 'drift' || (r.kind === 'guardrail' && r.phase === 'monitor'))
      dates.add(r.repoPath);
    if (r.kind === 'valueTracking') {
      dates.add(r.repoPath);
      versions.push({ path: r.repoPath, count: missesToTrigger(manifest) });
    }
  }
  return { dates: [...dates], versions };
}

/** Why evidence data could not be read, as finding args (`problem` and its details). */
export function dataProblemArgs(parsed: ParsedEvidence | undefined): Args {
  if (!parsed) return { problem: 'unread' };
  if (parsed.ok) return {};
  return parsed.reason === 'invalid'
    ? { problem: 'invalid', format: parsed.format, detail: parsed.detail }
    : { problem: 'not_data' };
}

/** Why no number was observed, as finding args. */
export function observationArgs(o: Exclude<Observation, { value: number }>): Args {
  return o.reason === 'absent'
    ? { problem: 'absent', pointers: o.pointers }
    : {
        problem: 'not_number',
        pointer: o.pointer,
        found: o.found,
        ...(o.literal !== undefined ? { literal: o.literal } : {}),
      };
}

/** An observed value with where it was read, or why there is none (as finding args). */
export type Observed =
  { value: number; path: string; pointer: string } | { value?: undefined; problem: Args };

/**
 * Why evidence does not count, when `git add` and a commit make it count: a file that is not
 * committed, or staged only (of the evidence itself, or a link or file it leads to).
 */
const COMMITTED_BY_ADDING: ReadonlySet<string> = new Set([
  'EVIDENCE_UNTRACKED',
  'EVIDENCE_STAGED',
  'EVIDENCE_LINKED_UNTRACKED',
  'EVIDENCE_LINKED_STAGED',
]);

/** Why evidence does not count, when the hint says to commit it (after writing it, or as it is). */
const COMMITTED_BY_HINT: ReadonlySet<string> = new Set([
  ...COMMITTED_BY_ADDING,
  'EVIDENCE_MISSING',
  'EVIDENCE_MODIFIED',
  'EVIDENCE_LINKED_MISSING',
  'EVIDENCE_LINKED_MODIFIED',
]);

/** What the rules read: the manifest, io's data, and the facts several rules share, each computed once. */
export interface Facts {
  readonly manifest: Manifest;
  readonly input: CheckInput;
  readonly today: string;
  readonly tier: string | undefined;
  /** The manifest's path as the user sees it. */
  readonly manifestShown: string;
  /** A repository path as the user sees it. */
  show(repoPath: string): string;
  readonly refs: readonly EvidenceRef[];
  /** The evidence entry of a kind (for one item, in one phase), when the manifest names one. */
  evidenceRef(
    kind: EvidenceKind,
    where?: { index?: number; dimension?: DimensionKey; phase?: Phase },
  ): EvidenceRef | undefined;
  /**
   * G1's judgement of an evidence entry: undefined when it is committed and intact. When the
   * fix is a commit, its args carry `files` and `model` (see `commitArgs`).
   */
  evidenceIssue(ref: EvidenceRef): EvidenceIssue | undefined;
  /**
   * What a hint that commits evidence needs: `files`, every evidence file of the manifest that
   * `git add` and a commit make count (each once, as the user sees its path), and `model`, the
   * manifest's name, for the commit message.
   */
  commitArgs(): Args;
  /** The observed value of `metric` in the committed evidence of `ref`. */
  observed(ref: EvidenceRef, metric: string): Observed;
  /** The working-tree evidence, parsed; undefined when it was not read. */
  readCurrent(repoPath: string): ParsedEvidence | undefined;
  readVersion(repoPath: string, version: CommittedVersion): ParsedEvidence | undefined;
  /** The state of each sign-off a phase needs (rule G3). */
  approvals(phase: ApprovablePhase): ApprovalState[];
  /** What judging who signed needs: commits, identity mode, evidence digests (see approvals.ts). */
  readonly signOffContext: SignOffContext | undefined;
  /** Every id reference, resolved. */
  readonly references: readonly ReferenceSite[];
  readonly missesToTrigger: number;
  readonly personalData: boolean;
  readonly guardrails: readonly { dimension: DimensionKey; index: number; guardrail: Guardrail }[];
}

function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

/** The facts of one manifest, computed when first asked for and kept. */
export function createFacts(manifest: Manifest, input: CheckInput): Facts {
  const show = input.display ?? ((p: string) => p);
  const refs = input.refs ?? collectEvidence(manifest, input.manifestPath);
  const issues = new Map<EvidenceRef, EvidenceIssue | undefined>();
  const parsed = new Map<string, ParsedEvidence>();
  const approvals = new Map<ApprovablePhase, ApprovalState[]>();
  const parsedAt = (path: string, text: string, key: string): ParsedEvidence => {
    let p = parsed.get(key);
    if (!p) parsed.set(key, (p = parseEvidenceText(path, text)));
    return p;
  };
  const judgedIssues = new Map<EvidenceRef, EvidenceIssue | undefined>();
  const judged = (ref: EvidenceRef): EvidenceIssue | undefined => {
    if (!judgedIssues.has(ref)) judgedIssues.set(ref, judgeEvidence(ref, input, show));
    return judgedIssues.get(ref);
  };
  // Every evidence file of the manifest that `git add` and a commit make count, each once: a
  // hint that commits one commits them all, so that no two hints commit the same file.
  const toCommit = once(() => {
    const files = new Set<string>();
    for (const ref of refs) {
      const issue = judged(ref);
      if (!issue || !COMMITTED_BY_ADDING.has(issue.code)) continue;
      const file = issue.args.culprit ?? issue.args.path;
      if (typeof file === 'string') files.add(file);
    }
    return [...files];
  });
  const model = typeof manifest.metadata?.name === 'string' ? manifest.metadata.name : undefined;
  // the manifest too: a hint that waives the finding approves the waiver in it
  const commitArgs = (): Args => ({
    files: toCommit(),
    ...(model !== undefined ? { model } : {}),
    manifest: input.displayPath ?? input.manifestPath,
  });
  const withCommit = (issue: EvidenceIssue): EvidenceIssue => ({
    ...issue,
    args: { ...issue.args, ...commitArgs() },
  });
  const references = once(() => referenceSites(manifest));
  const guardrails = once(() => listGuardrails(manifest));
  const facts: Facts = {
    manifest,
    input,
    today: input.today,
    tier: manifest.metadata?.riskTier,
    manifestShown: input.displayPath ?? input.manifestPath,
    show,
    refs,
    evidenceRef: (kind, where = {}) =>
      refs.find(
        (r) =>
          r.kind === kind &&
          (where.index === undefined || r.index === where.index) &&
          (where.dimension === undefined || r.dimension === where.dimension) &&
          (where.phase === undefined || r.phase === where.phase),
      ),
    commitArgs,
    evidenceIssue(ref) {
      if (!issues.has(ref)) {
        const issue = judged(ref);
        issues.set(ref, issue && COMMITTED_BY_HINT.has(issue.code) ? withCommit(issue) : issue);
      }
      return issues.get(ref);
    },
    observed(ref, metric) {
      const issue = facts.evidenceIssue(ref);
      if (issue) return { problem: { problem: 'evidence', cause: issue.code, ...issue.args } };
      const path = show(ref.repoPath!);
      const data = facts.readCurrent(ref.repoPath!);
      if (!data || !data.ok) return { problem: { path, ...dataProblemArgs(data) } };
      const o = observe(data.data, metric, ref.pointer);
      if (o.value === undefined) return { problem: { path, ...observationArgs(o) } };
      return { value: o.value, path, pointer: o.pointer };
    },
    readCurrent(repoPath) {
      const file = input.evidence(repoPath);
      if (!file || file.kind !== 'file' || file.text === undefined) return undefined;
      return parsedAt(repoPath, file.text, `wt:${repoPath}`);
    },
    readVersion(repoPath, version) {
      if (version.text === undefined) return undefined;
      return parsedAt(repoPath, version.text, `${version.commit}:${repoPath}`);
    },
    signOffContext: signOffContextOf(input),
    approvals(phase) {
      let states = approvals.get(phase);
      if (!states)
        approvals.set(phase, (states = approvalStates(manifest, phase, facts.signOffContext)));
      return states;
    },
    get references() {
      return references();
    },
    missesToTrigger: missesToTrigger(manifest),
    personalData: holdsPersonalData(manifest),
    get guardrails() {
      return guardrails();
    },
  };
  return facts;
}
