import { digestOf } from './digest.js';
import type { Approval, Manifest, RiskTier, StakeholderRole } from './manifest.js';

export type ApprovablePhase = 'envision' | 'build' | 'deploy';

/** Roles whose sign-off a phase needs (rule G3): the decision maker, plus lines of defense by tier. */
export function requiredApproverRoles(tier: RiskTier | string | undefined): StakeholderRole[] {
  const roles: StakeholderRole[] = ['decision_maker'];
  if (tier === 'high' || tier === 'critical') roles.push('risk_2nd_line');
  if (tier === 'critical') roles.push('internal_audit');
  return roles;
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
  const approvals = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  const digest = digestOf(manifest[phase]);
  return requiredApproverRoles(manifest.metadata?.riskTier).map((role): ApprovalState => {
    let latest: { approval: Approval; index: number } | undefined;
    approvals.forEach((approval, index) => {
      if (!approval || approval.phase !== phase || approval.role !== role) return;
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
