import type { Code } from '../../core/codes/index.js';
import type { Args, ArgValue, PathSegment } from '../../core/findings.js';
import type { MessageSpec, Spelling } from './index.js';
import { formatPath } from './manifest.js';
import { gitCommit, mlops, placeholder as ph, shellWord } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const items = (v: ArgValue): string[] => (Array.isArray(v) ? v.map(String) : []);
/** Observed numbers at six significant digits, as the reports that hold them rarely need more. */
const fmt = (v: ArgValue): string => String(Number(Number(v).toPrecision(6)));
const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');
/** A value in a YAML snippet: an id or a date as it is, anything else quoted. */
const y = (v: ArgValue): string =>
  /^[a-z0-9][a-z0-9_-]*$/i.test(str(v)) ? str(v) : JSON.stringify(str(v));
const where = (a: Args): string => formatPath(Array.isArray(a.at) ? (a.at as PathSegment[]) : []);

/** "a, b and c". */
function and(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * The sign-offs of reassessment `id`, one per role: `mlops approve <manifest> --reassessment
 * <id> --by <signer>`; where nobody holds the role (`''`), first how to add someone who does.
 */
function signOffs(
  a: Args,
  how: Spelling,
  id: string,
  roles: readonly string[],
  signers: readonly string[],
): string {
  const approve = (by: string): string =>
    mlops(how, 'approve', shellWord(str(a.manifest)), '--reassessment', shellWord(id), '--by', by);
  const commands = and(
    roles.map((role, i) => {
      const by = signers[i] ?? '';
      if (by !== '') return approve(shellWord(by));
      const who = ph('STAKEHOLDER_ID');
      return `add ${article(role)} ${role} to the team (add to \`envision.stakeholders\`: \`{id: ${who}, name: ${ph('NAME')}, role: ${role}}\`), then ${approve(who)}`;
    }),
  );
  // an approval counts once committed, by the approver (approvals.identity)
  return `${commands}, then commit it: ${gitCommit([str(a.manifest)], `Sign off reassessment ${id}`)}`;
}

/**
 * Records a new reassessment that continues, and its sign-offs: the edit with every key (the
 * decision maker decides), then the approve commands.
 */
function newReassessment(a: Args, how: Spelling): string {
  const id = str(a.newId);
  const decider = a.decider !== undefined ? y(a.decider) : ph('STAKEHOLDER_ID');
  const item = `{id: ${y(id)}, date: ${str(a.today)}, decision: continue, rationale: ${ph('RATIONALE')}, decider: ${decider}, targetBy: ${ph('YYYY-MM-DD')}}`;
  return `add to \`monitor.reassessments\`: \`${item}\`, then sign it off: ${signOffs(a, how, id, items(a.roles), items(a.signers))}`;
}

/** Why one role's sign-off of a reassessment does not count. */
function signOffProblem(status: string, role: string, by: string, on: string): string {
  const approver = `${by} (${role}) on ${on}`;
  switch (status) {
    case 'stale':
      return `the approval by ${approver} is stale: the reassessment changed since`;
    case 'rejected':
      return `it was rejected by ${approver}`;
    case 'no_digest':
      return `the approval by ${approver} has no digest, so nothing shows which reassessment it approved`;
    case 'uncommitted':
      return `the approval by ${approver} is recorded, not committed yet`;
    case 'unbound':
      return `the approval by ${approver} was written for the earlier contract (no id)`;
    case 'not_authored':
      return `the approval by ${approver} was not committed by ${by}`;
    case 'not_signed':
      return `the approval by ${approver} carries no signature verified for ${by}`;
    case 'same_person':
      return `the approval by ${approver} is by a person who already signs in another role`;
    case 'not_independent':
      return `the approval by ${approver} is not independent of the model`;
    default:
      return `no approval by ${article(role)} ${role}`;
  }
}

/** "the target 1.6", "the target 95 ± 0.5" (maintain). */
const targetWords = (a: Args): string =>
  a.direction === 'maintain' && a.tolerance !== undefined
    ? `${fmt(a.target)} ± ${fmt(a.tolerance)}`
    : fmt(a.target);

/** The words of M3's target date and reassessments, and of validate's REASSESSMENT_NO_DATE. */
export const REASSESS_MESSAGES = {
  VALUE_TARGET_DATE_PASSED: {
    title: 'Value target date passed',
    help: 'The date by which a value metric was to reach its target has passed (envision target.by, or the targetBy of the latest approved reassessment that continues), and the latest committed value is not at target (for maintain: not within the tolerance). Reassess: record the decision in monitor.reassessments (continue with a new targetBy, change or retire the model) and approve it with `mlops approve <manifest> --reassessment <id> --by <stakeholder>`; envision target.by keeps the original date.',
    message: (a) =>
      `value metric \`${str(a.id)}\` missed its target date ${str(a.by)}${a.reassessment !== undefined ? ` (set by reassessment \`${str(a.reassessment)}\`)` : ''}: it is ${fmt(a.observed)} in ${str(a.path)} (committed ${str(a.committed)}), not at the target ${targetWords(a)}${a.baseline !== undefined ? ` (baseline ${fmt(a.baseline)})` : ''}; reassess whether to continue, change or retire the model`,
    hint: (a, how) =>
      a.pending !== undefined
        ? `reassess: reassessment \`${str(a.pending)}\` continues to ${str(a.pendingBy)} once approved; sign it off: ${signOffs(a, how, str(a.pending), items(a.pendingRoles), items(a.pendingSigners))}`
        : `reassess: ${newReassessment(a, how)} (decision: continue with a new targetBy; change or retire the model without one)`,
  },
  REASSESSMENT_UNAPPROVED: {
    title: 'Reassessment not approved',
    help: 'A reassessment counts once approved like a phase: by the decision_maker (tier high and critical: also risk_2nd_line; critical: also internal_audit), approved or conditional, with the digest of the reassessment as it is now. Until then the latest approved one (or envision target.by) holds. Record the approval with `mlops approve <manifest> --reassessment <id> --by <stakeholder>`.',
    message: (a) => {
      const roles = items(a.roles);
      const statuses = items(a.statuses);
      const by = items(a.approvedBy);
      const on = items(a.approvedOn);
      const why = roles.map((role, i) =>
        signOffProblem(statuses[i] ?? 'missing', role, by[i] ?? '', on[i] ?? ''),
      );
      const holds =
        a.decided !== undefined
          ? `reassessment \`${str(a.decided)}\` still decides`
          : 'envision target.by still holds';
      return `reassessment \`${str(a.id)}\` (${str(a.decision)}, ${str(a.date)}) does not count until approved: ${why.join('; ')}; ${holds}`;
    },
    hint: (a, how) => {
      const statuses = items(a.statuses);
      const first = statuses.includes('rejected')
        ? 'address the reasons of the rejection, then record a new decision'
        : statuses.includes('stale')
          ? 'review the reassessment as it is now, then sign it off again'
          : 'sign it off';
      return `${first}: ${signOffs(a, how, str(a.id), items(a.roles), items(a.signers))}`;
    },
  },
  REASSESSMENT_DECIDED_CHANGE: {
    title: 'Reassessment decided to change the model',
    help: 'The latest approved reassessment decided to change the model: monitor is not ready for the model as it is. Make the change, then record and approve a newer reassessment that continues, with a new targetBy.',
    message: (a) =>
      `reassessment \`${str(a.id)}\` of ${str(a.date)} decided to change the model${a.rationale !== undefined ? ` ("${str(a.rationale)}")` : ''}; monitor is not ready until a newer reassessment that continues is approved`,
    hint: (a, how) =>
      `change the model as decided; then record that it continues: ${newReassessment(a, how)}`,
  },
  REASSESSMENT_DECIDED_RETIRE: {
    title: 'Reassessment decided to retire the model',
    help: 'The latest approved reassessment decided to retire the model: monitor is not ready for a model to be retired. Retire it (metadata.status: retired, held to no phase), or record and approve a newer reassessment that continues.',
    message: (a) =>
      `reassessment \`${str(a.id)}\` of ${str(a.date)} decided to retire the model${a.rationale !== undefined ? ` ("${str(a.rationale)}")` : ''}; a model to be retired is not ready for monitor`,
    hint: (a, how) =>
      `retire it: set \`metadata.status\` to \`retired\` (a retired model is held to no phase), or record a newer decision that continues: ${newReassessment(a, how)}`,
  },
  REASSESSMENT_NO_DATE: {
    title: 'Continue without a new date',
    help: 'A reassessment that continues sets targetBy: the new date by which the value targets must be reached, which rule M3 holds the model to once the reassessment is approved.',
    message: (a) =>
      `${where(a)}: decision continue needs targetBy, the new date by which the value targets must be reached`,
    hint: (a) => {
      const at = Array.isArray(a.at) ? (a.at as PathSegment[]) : [];
      return `set \`${formatPath([...at, 'targetBy'])}\` to \`${ph('YYYY-MM-DD')}\``;
    },
  },
} satisfies Partial<Record<Code, MessageSpec>>;
