import { digestOf } from './digest.js';
import type { Approval, Manifest, Reassessment, RiskTier, StakeholderRole } from './manifest.js';

export type ApprovablePhase = 'envision' | 'build' | 'deploy';

/** Roles whose sign-off a phase needs (rule G3): the decision maker, plus lines of defense by tier. */
export function requiredApproverRoles(tier: RiskTier | string | undefined): StakeholderRole[] {
  const roles: StakeholderRole[] = ['decision_maker'];
  if (tier === 'high' || tier === 'critical') roles.push('risk_2nd_line');
  if (tier === 'critical') roles.push('internal_audit');
  return roles;
}

/** Roles whose approval puts a waiver in force: the second line at tier high and up, else the decision maker. */
export function waiverApproverRoles(tier: RiskTier | string | undefined): StakeholderRole[] {
  return tier === 'high' || tier === 'critical' ? ['risk_2nd_line'] : ['decision_maker'];
}

/** The commit that added an approval or a waiver (the oldest whose manifest holds its id). */
export interface SignOffCommit {
  commit: string;
  short: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  authorName: string;
  authorEmail: string;
  /** Set with approvals.identity signed: the commit's signature as git verified it. */
  signature?: { good: boolean; signer?: string };
}

/** Who may record an approval that counts (config `approvals.identity`). */
export type IdentityMode = 'recorded' | 'author' | 'signed';

/** What judging who signed needs besides the manifest; without it, digests only are judged. */
export interface SignOffContext {
  today: string;
  identity: IdentityMode;
  /** The config file that set the identity mode, when one did. */
  identitySource?: string;
  /** The commit that added each approval, by id; null: not committed. Absent: not known. */
  approvalCommits?: ReadonlyMap<string, SignOffCommit | null>;
  /** Approval ids whose own `signature` verified, to the principal (email) it verified for. */
  signatures?: ReadonlyMap<string, string>;
  /** The manifest's repository path, to find its bound evidence. */
  manifestPath: string;
  /** The digest of an evidence file as it is now (`evidenceDigest`); undefined: unread. */
  evidenceDigest(repoPath: string): string | undefined;
}

export type ApprovalStatus = 'current' | 'stale' | 'missing' | 'rejected' | 'no_digest';

export interface ApprovalState {
  role: StakeholderRole;
  status: ApprovalStatus;
  /** The approval that decides the status: the latest of this role for the phase. */
  approval?: Approval;
  /** Index of that approval in `approvals`. */
  index?: number;
}

/**
 * The state of each required sign-off of `phase`: the latest approval of each role counts; it
 * is current when approved or conditional and its digest matches the section as it is now.
 */
export function approvalStates(manifest: Manifest, phase: ApprovablePhase): ApprovalState[] {
  return signOffStates(manifest, (a) => a.phase === phase, digestOf(manifest[phase]));
}

/**
 * The state of each sign-off of the waiver `id` (`waivers[].id`): approvals with `waiver: id`
 * by the roles of `waiverApproverRoles`, judged against the digest of the waiver item.
 */
export function waiverApprovalStates(
  manifest: Manifest,
  id: string,
  _ctx?: SignOffContext,
): ApprovalState[] {
  const waivers = Array.isArray(manifest.waivers) ? manifest.waivers : [];
  const item = waivers.find((w) => w && typeof w === 'object' && w.id === id);
  return signOffStates(
    manifest,
    (a) => a.waiver === id,
    digestOf(item),
    waiverApproverRoles(manifest.metadata?.riskTier),
  );
}

/**
 * The state of each sign-off of the reassessment `id` (`monitor.reassessments`), which the
 * roles a phase needs give as they sign a phase: approvals with `reassessment: id`, the latest
 * of each role counting, current when approved or conditional and its digest that of the
 * reassessment item as it is now (the first item with that id).
 */
export function reassessmentApprovalStates(manifest: Manifest, id: string): ApprovalState[] {
  const item = reassessmentList(manifest).find((r) => r && typeof r === 'object' && r.id === id);
  return signOffStates(manifest, (a) => a.reassessment === id, digestOf(item));
}

/** A reassessment of `monitor.reassessments` with where it is and whether it counts. */
export interface ReassessmentStanding {
  reassessment: Reassessment;
  /** Its index in `monitor.reassessments`. */
  index: number;
  states: ApprovalState[];
  /** Every role the tier requires has a current approval of it. */
  approved: boolean;
}

/** `monitor.reassessments` as it is: a list, or none. */
function reassessmentList(manifest: Manifest): (Reassessment | null | undefined)[] {
  const monitor = manifest.monitor;
  return monitor && typeof monitor === 'object' && Array.isArray(monitor.reassessments)
    ? monitor.reassessments
    : [];
}

/**
 * Every reassessment with an id, oldest first: by `date`, then by its place in the list (a
 * later item of the same date is the later decision). The last approved one decides (rule M3).
 */
export function reassessmentStandings(manifest: Manifest): ReassessmentStanding[] {
  const seen = new Set<string>();
  const out: ReassessmentStanding[] = [];
  reassessmentList(manifest).forEach((reassessment, index) => {
    if (!reassessment || typeof reassessment !== 'object') return;
    if (typeof reassessment.id !== 'string' || seen.has(reassessment.id)) return;
    seen.add(reassessment.id);
    const states = reassessmentApprovalStates(manifest, reassessment.id);
    const approved = states.length > 0 && states.every((s) => s.status === 'current');
    out.push({ reassessment, index, states, approved });
  });
  const date = (s: ReassessmentStanding): string => String(s.reassessment.date ?? '');
  return out.sort((a, b) => (date(a) < date(b) ? -1 : date(a) > date(b) ? 1 : a.index - b.index));
}

/** The required sign-offs among the approvals `counts` selects, judged against `digest`. */
function signOffStates(
  manifest: Manifest,
  counts: (approval: Approval) => boolean,
  digest: string,
  roles: StakeholderRole[] = requiredApproverRoles(manifest.metadata?.riskTier),
): ApprovalState[] {
  const approvals = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  return roles.map((role): ApprovalState => {
    let latest: { approval: Approval; index: number } | undefined;
    approvals.forEach((approval, index) => {
      if (!approval || !counts(approval) || approval.role !== role) return;
      if (!latest || String(approval.date) >= String(latest.approval.date))
        latest = { approval, index };
    });
    if (!latest) return { role, status: 'missing' };
    const { approval, index } = latest;
    const status: ApprovalStatus =
      approval.decision === 'rejected'
        ? 'rejected'
        : typeof approval.digest !== 'string'
          ? 'no_digest'
          : approval.digest === digest
            ? 'current'
            : 'stale';
    return { role, status, approval, index };
  });
}
