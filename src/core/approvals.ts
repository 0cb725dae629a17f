import { digestOf } from './digest.js';
import { boundEvidence } from './evidence-digest.js';
import type {
  Approval,
  Manifest,
  Reassessment,
  RiskTier,
  Stakeholder,
  StakeholderRole,
} from './manifest.js';

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

/**
 * Why a required sign-off counts or not. Besides the digest checks: `unbound`, an approval of
 * the earlier contract (no id, or a phase approval without evidence digests); `uncommitted`,
 * recorded but not committed yet; `not_authored` / `not_signed`, the identity the config asks
 * for is not shown; `same_person`, the approver already fills another required role;
 * `not_independent`, the second line is the model's owner or one of its data scientists.
 */
export type ApprovalStatus =
  | 'current'
  | 'stale'
  | 'missing'
  | 'rejected'
  | 'no_digest'
  | 'unbound'
  | 'uncommitted'
  | 'not_authored'
  | 'not_signed'
  | 'same_person'
  | 'not_independent';

/** A bound evidence file whose content changed since the approval. */
export interface EvidenceChange {
  /** The key in `approval.evidence` (relative to the manifest's folder). */
  key: string;
  repoPath: string;
  /** The digest the approval recorded; undefined: the file was not bound then. */
  was?: string;
  /** The digest now; undefined: the file could not be read. */
  now?: string;
}

export interface ApprovalState {
  role: StakeholderRole;
  status: ApprovalStatus;
  /** The approval that decides the status: the latest of this role for the phase. */
  approval?: Approval;
  /** Index of that approval in `approvals`. */
  index?: number;
  /** stale: whether the signed section (or item) changed. */
  sectionChanged?: boolean;
  /** stale: the bound evidence that changed. */
  changed?: EvidenceChange[];
  /** The commit that added the approval, when known. */
  commit?: SignOffCommit;
  /** same_person: the role the same person already fills, and their stakeholder id. */
  alsoAs?: { role: StakeholderRole; by: string };
  /** not_independent: what the second line's approver also is. */
  conflict?: 'owner' | 'data_science';
  /** Approvals of this role ignored because they are dated after today. */
  future?: { approval: Approval; index: number }[];
  /** Counted under approvals.identity recorded: who recorded it (the commit's author). */
  recorded?: boolean;
}

/**
 * The state of each required sign-off of `phase`: for each role the latest decision that
 * counts decides (see `signOffStates`); with `ctx`, an approval also binds the phase's evidence
 * and counts only when committed by the identity the config asks for.
 */
export function approvalStates(
  manifest: Manifest,
  phase: ApprovablePhase,
  ctx?: SignOffContext,
): ApprovalState[] {
  return signOffStates(manifest, {
    counts: (a) => a.phase === phase,
    digest: digestOf(manifest[phase]),
    ctx,
    phase,
  });
}

/**
 * The state of each sign-off of the waiver `id` (`waivers[].id`): approvals with `waiver: id`
 * by the roles of `waiverApproverRoles`, judged against the digest of the waiver item.
 */
export function waiverApprovalStates(
  manifest: Manifest,
  id: string,
  ctx?: SignOffContext,
): ApprovalState[] {
  const waivers = Array.isArray(manifest.waivers) ? manifest.waivers : [];
  const item = waivers.find((w) => w && typeof w === 'object' && w.id === id);
  return signOffStates(manifest, {
    counts: (a) => a.waiver === id,
    digest: digestOf(item),
    roles: waiverApproverRoles(manifest.metadata?.riskTier),
    ctx,
  });
}

/**
 * The state of each sign-off of the reassessment `id` (`monitor.reassessments`), which the
 * roles a phase needs give as they sign a phase: approvals with `reassessment: id`, the latest
 * of each role counting, current when approved or conditional and its digest that of the
 * reassessment item as it is now (the first item with that id).
 */
export function reassessmentApprovalStates(
  manifest: Manifest,
  id: string,
  ctx?: SignOffContext,
): ApprovalState[] {
  const item = reassessmentList(manifest).find((r) => r && typeof r === 'object' && r.id === id);
  return signOffStates(manifest, {
    counts: (a) => a.reassessment === id,
    digest: digestOf(item),
    ctx,
  });
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
export function reassessmentStandings(
  manifest: Manifest,
  ctx?: SignOffContext,
): ReassessmentStanding[] {
  const seen = new Set<string>();
  const out: ReassessmentStanding[] = [];
  reassessmentList(manifest).forEach((reassessment, index) => {
    if (!reassessment || typeof reassessment !== 'object') return;
    if (typeof reassessment.id !== 'string' || seen.has(reassessment.id)) return;
    seen.add(reassessment.id);
    const states = reassessmentApprovalStates(manifest, reassessment.id, ctx);
    const approved = states.length > 0 && states.every((s) => s.status === 'current');
    out.push({ reassessment, index, states, approved });
  });
  const date = (s: ReassessmentStanding): string => String(s.reassessment.date ?? '');
  return out.sort((a, b) => (date(a) < date(b) ? -1 : date(a) > date(b) ? 1 : a.index - b.index));
}

interface SignOffQuery {
  /** Which approvals sign the subject. */
  counts: (approval: Approval) => boolean;
  /** The digest of the subject as it is now. */
  digest: string;
  /** The roles that must sign (default: `requiredApproverRoles` of the tier). */
  roles?: StakeholderRole[];
  ctx?: SignOffContext | undefined;
  /** A phase's approvals bind its evidence. */
  phase?: ApprovablePhase;
}

type Indexed = { approval: Approval; index: number };

/** The person behind a stakeholder id: the email when there is one, else the name. */
function personOf(s: Stakeholder | undefined): string | undefined {
  if (!s) return undefined;
  if (typeof s.email === 'string' && s.email.trim() !== '')
    return `email:${s.email.trim().toLowerCase()}`;
  if (typeof s.name === 'string' && s.name.trim() !== '')
    return `name:${s.name.trim().replace(/\s+/g, ' ').toLowerCase()}`;
  return `id:${String(s.id)}`;
}

/** Whether the commit shows the identity `mode` asks of `who` (the approver). */
function identityShown(
  mode: IdentityMode,
  who: Stakeholder | undefined,
  approval: Approval,
  commit: SignOffCommit,
  ctx: SignOffContext,
): 'ok' | 'not_authored' | 'not_signed' {
  if (mode === 'recorded') return 'ok';
  const email = typeof who?.email === 'string' ? who.email.trim().toLowerCase() : '';
  if (mode === 'author')
    return email !== '' && commit.authorEmail.trim().toLowerCase() === email
      ? 'ok'
      : 'not_authored';
  if (email === '') return 'not_signed';
  const signer = (v: string | undefined): boolean => {
    if (v === undefined) return false;
    const m = /<([^>]*)>/.exec(v);
    return (m ? m[1]! : v).trim().toLowerCase() === email;
  };
  if (commit.signature?.good && signer(commit.signature.signer)) return 'ok';
  if (typeof approval.id === 'string' && signer(ctx.signatures?.get(approval.id))) return 'ok';
  return 'not_signed';
}

/** The bound evidence that changed since `approval` (a phase approval with evidence digests). */
function evidenceChanges(
  manifest: Manifest,
  phase: ApprovablePhase,
  approval: Approval,
  ctx: SignOffContext,
): EvidenceChange[] {
  const recorded = approval.evidence ?? {};
  const out: EvidenceChange[] = [];
  for (const file of boundEvidence(manifest, ctx.manifestPath, phase)) {
    const was = Object.hasOwn(recorded, file.key) ? recorded[file.key] : undefined;
    const now = ctx.evidenceDigest(file.repoPath);
    // missing when signed and missing now: nothing changed (rule G1 reports the file)
    if (was !== now)
      out.push({
        key: file.key,
        repoPath: file.repoPath,
        ...(was ? { was } : {}),
        ...(now ? { now } : {}),
      });
  }
  return out;
}

/**
 * The required sign-offs among the approvals `q.counts` selects. Per role, approvals dated
 * after today are ignored; with a context, so are approvals not committed or not shown to be
 * the approver's (approvals.identity): the latest of the rest decides (a later item of the
 * same date is the later decision). When none counts, the latest ignored one says why. A
 * rejection by any stakeholder blocks until that role decides again. One person counts once
 * across the roles, and at tier high and up the second line is neither owner nor data science.
 */
function signOffStates(manifest: Manifest, q: SignOffQuery): ApprovalState[] {
  const { ctx } = q;
  const approvals = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  const stakeholders = Array.isArray(manifest.envision?.stakeholders)
    ? manifest.envision.stakeholders.filter((s) => s && typeof s === 'object')
    : [];
  const holder = (id: unknown): Stakeholder | undefined => stakeholders.find((s) => s.id === id);
  const roles = q.roles ?? requiredApproverRoles(manifest.metadata?.riskTier);
  const today = ctx?.today;
  // the approvals of each role, oldest decision first
  const byRole = new Map<string, Indexed[]>();
  approvals.forEach((approval, index) => {
    if (!approval || typeof approval !== 'object' || !q.counts(approval)) return;
    const list = byRole.get(String(approval.role)) ?? [];
    list.push({ approval, index });
    byRole.set(String(approval.role), list);
  });
  for (const list of byRole.values())
    list.sort((a, b) =>
      String(a.approval.date) < String(b.approval.date)
        ? -1
        : String(a.approval.date) > String(b.approval.date)
          ? 1
          : a.index - b.index,
    );
  const judge = (role: StakeholderRole): ApprovalState => {
    const list = byRole.get(role) ?? [];
    const future = today === undefined ? [] : list.filter((x) => String(x.approval.date) > today);
    const dated = today === undefined ? list : list.filter((x) => String(x.approval.date) <= today);
    const base = { role, ...(future.length ? { future } : {}) };
    // why each of the newest approvals does not count, newest first, until one does
    let refused: ApprovalState | undefined;
    for (let k = dated.length - 1; k >= 0; k--) {
      const { approval, index } = dated[k]!;
      const at = { ...base, approval, index };
      let commit: SignOffCommit | undefined;
      if (ctx?.approvalCommits && typeof approval.id === 'string') {
        const found = ctx.approvalCommits.get(approval.id);
        if (found === null) {
          refused ??= { ...at, status: 'uncommitted' };
          continue;
        }
        commit = found;
      }
      if (ctx && commit) {
        const shown = identityShown(ctx.identity, holder(approval.by), approval, commit, ctx);
        if (shown !== 'ok') {
          refused ??= { ...at, status: shown, commit };
          continue;
        }
      }
      const withCommit = { ...at, ...(commit ? { commit } : {}) };
      const recorded = ctx?.identity === 'recorded' && commit ? { recorded: true } : {};
      // a newer decision that does not count yet says more than an older one that no longer does
      const or = (state: ApprovalState): ApprovalState => refused ?? state;
      if (approval.decision === 'rejected') return or({ ...withCommit, status: 'rejected' });
      if (typeof approval.digest !== 'string') return or({ ...withCommit, status: 'no_digest' });
      if (ctx && (typeof approval.id !== 'string' || (q.phase && approval.evidence === undefined)))
        return or({ ...withCommit, status: 'unbound' });
      const sectionChanged = approval.digest !== q.digest;
      const changed = ctx && q.phase ? evidenceChanges(manifest, q.phase, approval, ctx) : [];
      if (sectionChanged || changed.length > 0)
        return or({ ...withCommit, status: 'stale', sectionChanged, changed });
      return { ...withCommit, status: 'current', ...recorded };
    }
    return refused ?? { ...base, status: 'missing' };
  };
  const states = roles.map(judge);
  // a rejection by a stakeholder of another role blocks too, until that role decides again
  for (const [role, list] of byRole) {
    if (roles.includes(role as StakeholderRole) || list.length === 0) continue;
    const state = judge(role as StakeholderRole);
    if (state.status === 'rejected') states.push(state);
  }
  // separation of duties: one person counts once; the second line is independent
  const seen = new Map<string, { role: StakeholderRole; by: string }>();
  const tier = manifest.metadata?.riskTier;
  const owner = manifest.metadata?.owner;
  const ownerPerson =
    owner && typeof owner === 'object'
      ? personOf({
          id: '',
          role: 'decision_maker',
          name: String(owner.name ?? ''),
          ...(owner.email ? { email: String(owner.email) } : {}),
        } as Stakeholder)
      : undefined;
  const scientists = new Set(
    stakeholders.filter((s) => s.role === 'data_science').map((s) => personOf(s)),
  );
  return states.map((state) => {
    if (state.status !== 'current' || !state.approval) return state;
    const person = personOf(holder(state.approval.by));
    if (person === undefined) return state;
    const before = seen.get(person);
    if (before) return { ...state, status: 'same_person', alsoAs: before };
    seen.set(person, { role: state.role, by: String(state.approval.by) });
    if (state.role === 'risk_2nd_line' && (tier === 'high' || tier === 'critical')) {
      const ownerName =
        owner && typeof owner === 'object'
          ? String(owner.name ?? '')
              .trim()
              .toLowerCase()
          : '';
      const byName = String(holder(state.approval.by)?.name ?? '')
        .trim()
        .toLowerCase();
      if (person === ownerPerson || (ownerName !== '' && ownerName === byName))
        return { ...state, status: 'not_independent', conflict: 'owner' };
      if (scientists.has(person))
        return { ...state, status: 'not_independent', conflict: 'data_science' };
    }
    return state;
  });
}
