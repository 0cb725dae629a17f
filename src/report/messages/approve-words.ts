// How to record an approval, in words: what check's hints (a phase not signed off, a stale
// approval) and the approval findings of reading a manifest share.
import type { Args, ArgValue } from '../../core/findings.js';
import type { Spelling } from './index.js';
import { formatPath } from './manifest.js';
import { gitCommit, mlops, placeholder as ph, shellWord } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const q = (v: ArgValue): string => shellWord(str(v));
const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');
/** "add to `path`: `{…}`": an item for a list, as a YAML flow snippet. */
const addTo = (path: (string | number)[], snippet: string): string =>
  `add to \`${formatPath(path)}\`: \`${snippet}\``;

/** `` `mlops approve <manifest> --phase <p> --by <id>` `` with the stakeholder given. */
const approve = (a: Args, how: Spelling, by: string): string =>
  mlops(how, 'approve', q(a.manifest), '--phase', str(a.phase), '--by', by);

/** Records the approval and commits it, as the approver: an approval counts once committed. */
export function approveAndCommit(a: Args, how: Spelling): string {
  if (a.noSection === true) return sectionFirst(a);
  return `${approveCommand(a, how)}, then ${gitCommit([str(a.manifest)], `Sign off ${str(a.phase)}`)}`;
}

/**
 * Records the approval: the command, or how to get someone who can give it first; or, when
 * there is no section to sign, how to add it (never a command that would be refused).
 */
export function approveCommand(a: Args, how: Spelling): string {
  if (a.noSection === true) return sectionFirst(a);
  if (a.by !== undefined) return approve(a, how, q(a.by));
  const id = ph('STAKEHOLDER_ID');
  return `add ${article(str(a.role))} ${str(a.role)} to the team (${addTo(['envision', 'stakeholders'], `{id: ${id}, name: ${ph('NAME')}, role: ${str(a.role)}}`)}), then ${approve(a, how, id)}`;
}

/** What a section holds for its rules, for a hint that says to add it: rules and keys. */
const SECTION_KEYS: Record<string, string> = {
  envision: 'hypothesis, stakeholders, valueMetrics, risks and trustworthyAI (rules E1 to E5)',
  build: 'candidates, selected, evaluations and modelCard (rules B1 to B4)',
  deploy: 'dataProtection, securityReview, integration and valueMeasurement (rules D1 to D4)',
};

/** The hint when a phase has no section to sign: add it first. */
export const sectionFirst = (a: Args): string =>
  `there is nothing to sign off yet: add the ${str(a.phase)} section first, with ${SECTION_KEYS[str(a.phase)] ?? 'its keys'}`;

export const approver = (a: Args): string =>
  `${str(a.approvedBy)} (${str(a.role)}) on ${str(a.date)}`;
