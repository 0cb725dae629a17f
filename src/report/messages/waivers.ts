import type { Code } from '../../core/codes/index.js';
import type { ArgValue, Args, PathSegment } from '../../core/findings.js';
import type { MessageSpec, Spelling } from './index.js';
import { formatPath } from './manifest.js';
import { gitCommit, mlops, placeholder as ph, shellWord } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const q = (v: ArgValue): string => shellWord(str(v));
const strings = (v: ArgValue): string[] => (Array.isArray(v) ? v.map(String) : []);
const atOf = (a: Args): PathSegment[] => (Array.isArray(a.at) ? (a.at as PathSegment[]) : []);
/** A value in a YAML snippet: an id as it is, anything else quoted. */
const y = (v: ArgValue): string =>
  /^[a-z0-9][a-z0-9_-]*$/i.test(str(v)) ? str(v) : JSON.stringify(str(v));

/** What the target of a waiver of each rule whose findings name items is. */
const TARGET_WORDS: Record<string, string> = {
  G1: 'an evidence path as the manifest writes it',
  E2: 'the id of a value metric (`valueMetrics` while there is none)',
  E3: 'a Trustworthy AI dimension (fairImpartial, explainable, privacy, robustReliable, safeSecure, accountable)',
  E4: 'a Trustworthy AI dimension, or the id of a fairness guardrail',
  E5: 'the id of a risk (`risks` while there is none)',
  B2: 'the id of a value metric, or the selected candidate',
  B3: 'the id of a guardrail active in build',
  B4: "the model card's path as the manifest writes it (`modelCard` while there is none), or the id of a dataset with personal data",
  D4: 'the id of a value metric',
  M1: 'the id of a drift check (`drift` while there is none), or of a guardrail active in monitor',
  M2: "the value-tracking report's path as the manifest writes it, or the id of a drift check or of a guardrail active in monitor",
  M3: "the id of a value metric, the value-tracking report's path as the manifest writes it, or the id of a reassessment",
};

/** The rules that can never be waived, and what to do instead of waiving them. */
const INSTEAD: Record<string, string> = {
  G1: 'commit the evidence the phase names',
  G2: 'make every reference name an item of the manifest',
  G3: 'have the phase signed off by the roles it needs (mlops approve --phase)',
  G4: 'write the real values in place of the placeholders',
  E1: 'add the stakeholders the team lacks',
};

/** What a waiver of `rule` names as its target, in words with the manifest's own items. */
function targetWords(rule: string, targets: ArgValue): string {
  const known = strings(targets);
  const kind = TARGET_WORDS[rule] ?? 'the id of the item the finding is about';
  return known.length > 0 ? `${kind}: ${known.join(', ')}` : kind;
}

/** "waiver waive-b3-auc (B3, target auc-floor)", or by its place for one without an id. */
function waiverOf(a: Args): string {
  const name = a.id !== undefined ? `waiver ${str(a.id)}` : `the waiver at ${formatPath(atOf(a))}`;
  return `${name} (${str(a.rule)}${a.target !== undefined ? `, target ${str(a.target)}` : ''})`;
}

/** A waiver of the current contract as a YAML flow snippet, its placeholders quoted. */
export function waiverSnippet(rule: string, target?: string): string {
  return `{id: ${ph('WAIVER_ID')}, rule: ${rule}${target !== undefined ? `, target: ${y(target)}` : ''}, reason: ${ph('WHY')}, owner: ${ph('STAKEHOLDER_ID')}, expires: ${ph('YYYY-MM-DD')}}`;
}

/**
 * The hint's way to waive a finding: the waiver to add (its target filled in when the finding
 * names one), then its approval, without which it is not in force.
 */
export function waiveWords(rule: string, a: Args, how: Spelling): string {
  const target = typeof a.waiverTarget === 'string' ? a.waiverTarget : undefined;
  const manifest = typeof a.manifest === 'string' ? shellWord(a.manifest) : ph('MANIFEST');
  return `add to \`waivers\`: \`${waiverSnippet(rule, target)}\`, commit it, and have it approved: ${mlops(how, 'approve', manifest, '--waiver', ph('WAIVER_ID'), '--by', ph('STAKEHOLDER_ID'))} (the risk_2nd_line at tier high and up, else the decision_maker)`;
}

/** What the earlier-shape waiver needs added, as "add to `waivers[0]`: `{...}`". */
function shapeFix(a: Args): string {
  const keys: string[] = [];
  if (a.noId === true) keys.push(`id: ${y(a.suggestion)}`);
  const targets = strings(a.known);
  if (a.noTarget === true)
    keys.push(`target: ${targets.length === 1 ? y(targets[0]) : ph('TARGET')}`);
  const at = formatPath(a.at !== undefined ? atOf(a) : ['waivers', Number(a.index ?? 0)]);
  const what =
    a.noTarget === true && targets.length !== 1
      ? ` (the target is ${targetWords(str(a.rule), a.known)})`
      : '';
  return `add to \`${at}\`: \`{${keys.join(', ')}}\`${what}`;
}

/** Why an approval of a waiver does not count, for each open sign-off. */
function signOffWords(a: Args): string[] {
  const roles = strings(a.roles);
  const statuses = strings(a.statuses);
  const by = strings(a.approvedBy);
  return roles.map((role, i) => {
    const who = by[i] ? `the approval by ${by[i]}` : '';
    switch (statuses[i]) {
      case 'stale':
        return `${who} (${role}) is stale: the waiver changed since`;
      case 'rejected':
        return `${by[i] || role} rejected it`;
      case 'uncommitted':
        return `${who} (${role}) is not committed yet`;
      case 'not_authored':
        return `${who} (${role}) was not committed by ${by[i]}`;
      case 'not_signed':
        return `${who} (${role}) carries no signature of ${by[i]}`;
      case 'same_person':
      case 'not_independent':
        return `${who} (${role}) does not count: ${statuses[i] === 'same_person' ? 'the same person signs another role' : 'the second line is not independent of the model'}`;
      case 'unbound':
      case 'no_digest':
        return `${who} (${role}) was written for the earlier contract`;
      default:
        return `nobody with role ${role} approved it`;
    }
  });
}

/** Why a waiver is not in force, each problem in words. */
function problemWords(a: Args): string[] {
  const maxFrom =
    a.maxDaysSource !== undefined
      ? `as waivers.maxDays sets in ${str(a.maxDaysSource)}`
      : 'the default maximum';
  const from =
    a.committed !== undefined
      ? `after the commit that added it (${str(a.commit)}, ${str(a.committed)})`
      : 'after today, as it is not committed yet';
  return strings(a.problems).map((p) => {
    switch (p) {
      case 'earlier_shape':
        return `it was written for the earlier contract (${[a.noId === true ? 'no id' : '', a.noTarget === true ? 'no target' : ''].filter(Boolean).join(', ')})`;
      case 'duplicate':
        return 'an earlier waiver has the same id';
      case 'not_waivable':
        return `rule ${str(a.rule)} can never be waived`;
      case 'expired':
        return `it expired on ${str(a.expires)} (today is ${str(a.today)}${a.todaySource !== undefined ? `, pinned by ${str(a.todaySource)}` : ''})`;
      case 'beyond_maximum':
        return `its expiry ${str(a.expires)} is beyond ${str(a.latest)}: at most ${str(a.maxDays)} days ${from}, ${maxFrom}`;
      case 'uncommitted':
        return 'it is not committed';
      case 'unapproved': {
        const why = signOffWords(a);
        return `it is not approved${why.length ? `: ${why.join('; ')}` : ''}`;
      }
      default:
        return p;
    }
  });
}

/** `mlops approve <manifest> --waiver <id> --by <who>`, by the first who can sign. */
function approveWaiver(a: Args, how: Spelling): string {
  const signer = strings(a.signers).find((s) => s !== '');
  return mlops(
    how,
    'approve',
    q(a.manifest),
    '--waiver',
    q(a.id),
    '--by',
    signer !== undefined ? q(signer) : ph('STAKEHOLDER_ID'),
  );
}

/** Who approves a waiver, and that they commit it themselves. */
function approveStep(a: Args, how: Spelling): string {
  const signers = strings(a.signers).filter((s) => s !== '');
  const roles = strings(a.roles);
  const who = signers[0] ?? `a stakeholder with role ${roles[0] ?? 'decision_maker'}`;
  return `${who} approves it and commits the approval: ${approveWaiver(a, how)}`;
}

/** The fix of a waiver not in force, for its first problem. */
function notInForceHint(a: Args, how: Spelling): string {
  const problems = strings(a.problems);
  const at: PathSegment[] = ['waivers', Number(atOf(a)[1] ?? 0)];
  const expires = formatPath([...at, 'expires']);
  const renew = `set \`${expires}\` to \`${str(a.latest)}\``;
  switch (problems[0]) {
    case 'earlier_shape':
      return `${shapeFix({ ...a, at })}; then it needs an approval`;
    case 'duplicate':
      return `give it an id of its own: set \`${formatPath([...at, 'id'])}\` to \`${str(a.suggestion)}\`, then have it approved`;
    case 'not_waivable':
      return `remove it, and ${INSTEAD[str(a.rule)] ?? 'fix what the rule reports'}`;
    case 'expired':
    case 'beyond_maximum':
      return a.latest !== undefined && str(a.latest) >= str(a.today)
        ? `fix what it excuses, or ${renew} (${str(a.maxDays)} days at most after the commit that added it) and have it approved again: ${approveWaiver(a, how)}`
        : `fix what it excuses; it cannot be renewed past ${a.latest !== undefined ? str(a.latest) : 'its maximum'}: a new exception is a new waiver (with an id of its own) approved again`;
    case 'uncommitted':
      return `commit it: ${gitCommit([str(a.manifest)], `Waive ${str(a.rule)}${a.target !== undefined ? ` for ${str(a.target)}` : ''}`)}${problems.includes('unapproved') ? `; then ${approveStep(a, how)}` : ''}`;
    case 'unapproved':
      return approveStep(a, how);
    default:
      return 'fix what the rule reports';
  }
}

/** Waivers: what they excuse, who approved them, and how long they hold. */
export const WAIVER_MESSAGES = {
  WAIVER_EXPIRING: {
    title: 'Waiver about to expire',
    help: 'A waiver in force that expires within 14 days: after its expiry day, the findings it excuses fail their rule again.',
    message: (a) =>
      `${waiverOf(a)} expires on ${str(a.expires)}: ${a.daysLeft === 0 ? 'today is its last day' : `${str(a.daysLeft)} ${a.daysLeft === 1 ? 'day' : 'days'} left`}`,
    hint: () =>
      'fix what it excuses before then; a new exception is a new waiver (an id of its own), approved again',
  },
  WAIVER_NOT_IN_FORCE: {
    title: 'Waiver not in force',
    help: 'A waiver excuses findings only when it is in force: it has an `id` (and a `target` where its rule’s findings name items), it is committed, its expiry is today or later and at most 90 days (config waivers.maxDays) after the commit that added it, and the risk_2nd_line (tier high and critical; otherwise the decision_maker) has approved it with `mlops approve <manifest> --waiver <id> --by <stakeholder>`, under the same identity rules as any approval.',
    message: (a) => `${waiverOf(a)} is not in force: ${problemWords(a).join('; ')}`,
    hint: (a, how) => notInForceHint(a, how),
  },
  WAIVER_EARLIER_SHAPE: {
    title: 'Waiver of the earlier contract',
    help: 'A waiver names itself (`id`, which `mlops approve --waiver` approves) and, for a rule whose findings name items, what it excuses (`target`: the id of the item the finding is about, or an evidence path as the manifest writes it). A waiver without them does not count in `mlops check`.',
    message: (a) =>
      `${formatPath(atOf(a))}: a waiver of ${str(a.rule)} without ${[a.noId === true ? 'an id' : '', a.noTarget === true ? 'a target' : ''].filter(Boolean).join(' or ')}: written for the earlier contract, it does not count`,
    hint: (a, how: Spelling) => {
      // migrate adds what it can decide: the id, and the target when only one is possible
      const decided = a.noTarget !== true || strings(a.known).length === 1;
      const migrate =
        decided && a.manifest !== undefined
          ? `${mlops(how, 'migrate', q(a.manifest))} adds ${[a.noId === true ? 'the id' : '', a.noTarget === true ? 'the target' : ''].filter(Boolean).join(' and ')}, or `
          : '';
      return `${migrate}${shapeFix(a)}; then it needs an approval, whose command mlops check gives`;
    },
  },
  WAIVER_NOT_WAIVABLE: {
    title: 'Rule that cannot be waived',
    help: 'G1, G2, G3, G4 and E1 can never be waived: committed evidence, references that resolve, the sign-off of the phase, values in place of placeholders and a cross-functional team are what every phase rests on. A waiver names one of the other rules.',
    message: (a) =>
      INSTEAD[str(a.value)] !== undefined
        ? `${formatPath(atOf(a))}: rule ${str(a.value)} can never be waived; a waiver names one of ${strings(a.allowed).join(', ')}`
        : `${formatPath(atOf(a))}: "${str(a.value)}" is not a rule a waiver can name${a.suggestion !== undefined ? ` (did you mean "${str(a.suggestion)}"?)` : ''}; a waiver names one of ${strings(a.allowed).join(', ')}`,
    hint: (a) =>
      a.suggestion !== undefined
        ? `set \`${formatPath(atOf(a))}\` to \`${str(a.suggestion)}\``
        : `remove the waiver at \`${formatPath(atOf(a).slice(0, 2))}\`, and ${INSTEAD[str(a.value)] ?? 'fix what the rule reports'}`,
  },
} satisfies Partial<Record<Code, MessageSpec>>;
