import { waiverApprovalStates, waiverApproverRoles } from '../approvals.js';
import type { ApprovalState, SignOffContext } from '../approvals.js';
import { finding } from '../findings.js';
import type { Args, Finding, Fix, PathSegment } from '../findings.js';
import type { Manifest } from '../manifest.js';
import { suggestedWaiverId, waiverShape, waiverShapeArgs } from '../manifest/consistency.js';
import type { CheckInput } from './context.js';
import { RULES, isRuleId, ruleById } from './registry.js';
import type { Rule, RuleId } from './registry.js';
import type {
  RuleStatus,
  WaivedFinding,
  WaiverProblem,
  WaiverSignOff,
  WaiverState,
} from './result.js';
import { isObject, list, str } from './util.js';

export { TARGETED_WAIVER_RULES, waiverTargets } from '../manifest/consistency.js';
import { daysBetween, isIsoDate } from './values.js';

/** How long a waiver may last after the commit that added it, unless the config says otherwise. */
export const DEFAULT_WAIVER_MAX_DAYS = 90;
/** A waiver in force with this many days left or fewer is a warning (WAIVER_EXPIRING). */
export const WAIVER_EXPIRING_DAYS = 14;

/** The rules a waiver may name, in registry order. */
export const WAIVABLE_RULES: readonly RuleId[] = RULES.filter((r) => r.waivable).map((r) => r.id);

/** `date` plus `days`, as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A sign-off state in the words a waiver's report gives it. */
function signOffOf(s: ApprovalState): WaiverSignOff {
  const a = s.approval;
  return {
    role: s.role,
    status: s.status,
    ...(a?.by !== undefined ? { by: String(a.by) } : {}),
    ...(a?.date !== undefined ? { date: String(a.date) } : {}),
    ...(s.recorded && s.commit
      ? { recordedBy: `${s.commit.authorName} <${s.commit.authorEmail}>` }
      : {}),
  };
}

/**
 * Every waiver of the manifest and whether it is in force. A waiver is in force when it has
 * the shape of the current contract (an `id` not taken by an earlier waiver, and a `target`
 * where its rule's findings name items), its expiry is today or later and at most `maxDays`
 * after the commit that added it (today, while it is not committed), it is committed, and the
 * role `waiverApproverRoles` names has approved it (`waiverApprovalStates`, under the identity
 * rules of `ctx`). Without the commits (no git), the commit and its limit are not judged.
 */
export function waiverStates(
  manifest: Manifest,
  input: Pick<CheckInput, 'today' | 'waiverCommits' | 'waiverMaxDays'>,
  ctx: SignOffContext | undefined,
): WaiverState[] {
  const today = input.today;
  const maxDays = input.waiverMaxDays ?? DEFAULT_WAIVER_MAX_DAYS;
  const seen = new Set<string>();
  const out: WaiverState[] = [];
  list(manifest.waivers).forEach((w, index) => {
    if (!isObject(w)) return;
    const rule = String(w.rule ?? '');
    const id = typeof w.id === 'string' && w.id !== '' ? w.id : undefined;
    const target = typeof w.target === 'string' && w.target !== '' ? w.target : undefined;
    const expires = String(w.expires ?? '');
    const problems: WaiverProblem[] = [];
    const { noId, noTarget } = waiverShape(w);
    if (noId || noTarget) problems.push('earlier_shape');
    if (id !== undefined && seen.has(id)) problems.push('duplicate');
    if (id !== undefined) seen.add(id);
    if (!(isRuleId(rule) && ruleById(rule).waivable)) problems.push('not_waivable');
    const dated = isIsoDate(expires);
    // a waiver holds through its expiry day
    if (!dated || expires < today) problems.push('expired');
    const found = id !== undefined ? input.waiverCommits?.get(id) : undefined;
    const committed =
      found !== undefined && found !== null ? { commit: found.short, date: found.date } : undefined;
    // while it is not committed, the earliest commit that could add it is today's
    const from = committed?.date ?? (found === null ? today : undefined);
    const latest = from !== undefined ? addDays(from, maxDays) : undefined;
    if (dated && latest !== undefined && expires > latest) problems.push('beyond_maximum');
    if (id !== undefined && found === null) problems.push('uncommitted');
    const states = id !== undefined ? waiverApprovalStates(manifest, id, ctx) : [];
    const approved = states.length > 0 && states.every((s) => s.status === 'current');
    if (!approved) problems.push('unapproved');
    const signOffs =
      states.length > 0
        ? states.map(signOffOf)
        : waiverApproverRoles(manifest.metadata?.riskTier).map((role): WaiverSignOff => ({
            role,
            status: 'missing',
          }));
    const by = approved ? states[0]?.approval?.by : undefined;
    out.push({
      ...(id !== undefined ? { id } : {}),
      rule,
      ...(target !== undefined ? { target } : {}),
      reason: String(w.reason ?? ''),
      owner: String(w.owner ?? ''),
      expires,
      status: problems[0] ?? 'in_force',
      problems,
      ...(dated ? { daysLeft: daysBetween(today, expires) } : {}),
      ...(by !== undefined ? { approver: String(by), approverRole: states[0]!.role } : {}),
      signOffs,
      ...(committed ? { committed } : {}),
      ...(latest !== undefined ? { latest } : {}),
      maxDays,
      index,
    });
  });
  return out;
}

/** The stakeholder ids that hold `role`, in the order the manifest lists them. */
function holders(manifest: Manifest, role: string): string[] {
  return list(manifest.envision?.stakeholders).flatMap((s) =>
    isObject(s) && s.role === role && typeof s.id === 'string' ? [s.id] : [],
  );
}

/**
 * The warnings about the waivers that name each rule: WAIVER_NOT_IN_FORCE, saying why and how
 * to fix it, and WAIVER_EXPIRING for one in force with `WAIVER_EXPIRING_DAYS` or fewer left
 * (which `applyWaivers` keeps only while the waiver excuses a finding).
 */
export function waiverFindings(
  states: readonly WaiverState[],
  manifest: Manifest,
  input: Pick<
    CheckInput,
    'today' | 'todaySource' | 'waiverMaxDaysSource' | 'manifestPath' | 'displayPath'
  >,
): Map<RuleId, Finding[]> {
  const out = new Map<RuleId, Finding[]>();
  const shown = input.displayPath ?? input.manifestPath;
  const waivers = list(manifest.waivers);
  const taken = new Set(
    waivers.flatMap((w) => (isObject(w) && typeof w.id === 'string' ? [w.id] : [])),
  );
  const add = (rule: RuleId, f: Finding): void => {
    out.set(rule, [...(out.get(rule) ?? []), f]);
  };
  for (const w of states) {
    // a rule no waiver may name is validate's error (WAIVER_NOT_WAIVABLE)
    if (!isRuleId(w.rule) || !ruleById(w.rule).waivable) continue;
    const at: PathSegment[] = ['waivers', w.index];
    const named: Args = {
      ...(w.id !== undefined ? { id: w.id } : {}),
      rule: w.rule,
      ...(w.target !== undefined ? { target: w.target } : {}),
      expires: w.expires,
      today: input.today,
      ...(input.todaySource ? { todaySource: input.todaySource } : {}),
      ...(w.daysLeft !== undefined ? { daysLeft: w.daysLeft } : {}),
    };
    if (w.status === 'in_force') {
      if (w.daysLeft !== undefined && w.daysLeft <= WAIVER_EXPIRING_DAYS)
        add(
          w.rule,
          finding('WAIVER_EXPIRING', [...at, 'expires'], {
            ...named,
            ...(w.approver !== undefined ? { approver: w.approver } : {}),
          }),
        );
      continue;
    }
    const open = w.signOffs.filter((s) => s.status !== 'current');
    // who can sign each open sign-off: its approver of record, else the first holder of the role
    const signers = open.map((s) => s.by ?? holders(manifest, s.role)[0] ?? '');
    const shape = waiverShapeArgs(waivers[w.index] as Record<string, unknown>, w.index, manifest);
    const args: Args = {
      ...named,
      at,
      problems: w.problems,
      manifest: shown,
      maxDays: w.maxDays,
      ...(input.waiverMaxDaysSource ? { maxDaysSource: input.waiverMaxDaysSource } : {}),
      ...(w.latest !== undefined ? { latest: w.latest } : {}),
      ...(w.committed ? { commit: w.committed.commit, committed: w.committed.date } : {}),
      roles: open.map((s) => s.role),
      statuses: open.map((s) => s.status),
      signers,
      approvedBy: open.map((s) => s.by ?? ''),
      ...(w.problems.includes('earlier_shape')
        ? {
            noId: shape.args.noId,
            noTarget: shape.args.noTarget,
            ...(shape.args.suggestion !== undefined ? { suggestion: shape.args.suggestion } : {}),
            ...(shape.args.known !== undefined ? { known: shape.args.known } : {}),
          }
        : {}),
      ...(w.problems.includes('duplicate')
        ? { suggestion: suggestedWaiverId(w.rule, w.target, taken) }
        : {}),
    };
    add(w.rule, finding('WAIVER_NOT_IN_FORCE', at, args, fixOf(w, shape.fix, args, shown)));
  }
  return out;
}

/** The fix of a waiver not in force, as data, for its first problem that has a certain one. */
function fixOf(
  w: WaiverState,
  shapeFix: Fix | undefined,
  args: Args,
  shown: string,
): { fix?: Fix } {
  const at: PathSegment[] = ['waivers', w.index];
  switch (w.status) {
    case 'earlier_shape':
      return shapeFix ? { fix: shapeFix } : {};
    case 'duplicate':
      return {
        fix: { kind: 'edit', op: 'set', path: [...at, 'id'], value: String(args.suggestion) },
      };
    case 'expired':
    case 'beyond_maximum':
      // the latest expiry allowed, when it is not past
      return w.latest !== undefined && w.latest >= String(args.today)
        ? { fix: { kind: 'edit', op: 'set', path: [...at, 'expires'], value: w.latest } }
        : {};
    case 'unapproved': {
      const signer = list<string>(args.signers).find((s) => s !== '');
      return w.id !== undefined && signer !== undefined
        ? {
            fix: {
              kind: 'command',
              argv: ['mlops', 'approve', shown, '--waiver', w.id, '--by', signer],
            },
          }
        : {};
    }
    default:
      return {};
  }
}

/**
 * A rule's findings with the waivers in force applied: an error whose `waiverTarget` a waiver
 * of the rule names (any error, for a rule whose findings name no item) is excused. The rule
 * is `waived` when every error is excused, `fail` while one stands. A waiver about to expire
 * is worth a warning only while it excuses something: WAIVER_EXPIRING of one that excuses
 * nothing here is dropped.
 */
export function applyWaivers(
  rule: Rule,
  findings: readonly Finding[],
  states: readonly WaiverState[],
): { status: RuleStatus; findings: Finding[]; waived: WaivedFinding[] } {
  const inForce = rule.waivable
    ? states.filter((w) => w.status === 'in_force' && w.rule === rule.id)
    : [];
  const standing: Finding[] = [];
  const waived: WaivedFinding[] = [];
  for (const f of findings) {
    const by =
      f.severity === 'error'
        ? inForce.find((w) => !rule.targeted || str(f.args.waiverTarget) === w.target)
        : undefined;
    if (by?.id !== undefined) waived.push({ finding: f, waiver: by.id });
    else standing.push(f);
  }
  const used = new Set(waived.map((w) => w.waiver));
  const kept = standing.filter(
    (f) => f.code !== 'WAIVER_EXPIRING' || used.has(str(f.args.id) ?? ''),
  );
  const status: RuleStatus = kept.some((f) => f.severity === 'error')
    ? 'fail'
    : waived.length > 0
      ? 'waived'
      : kept.length > 0
        ? 'warning'
        : 'pass';
  return { status, findings: kept, waived };
}
