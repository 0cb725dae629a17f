import type { Code } from '../../core/codes/index.js';
import type { Args, ArgValue } from '../../core/findings.js';
import { approveAndCommit, approveCommand, approver } from './approve-words.js';
import type { MessageSpec, Spelling } from './index.js';
import { formatPath } from './manifest.js';
import { gitCommit, mlops, placeholder as ph, run, shellWord } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const q = (v: ArgValue): string => shellWord(str(v));
const where = (a: Args): string =>
  a.approval !== undefined ? `approval ${str(a.approval)}` : `the approval by ${approver(a)}`;
/** Where the identity mode comes from, in words. */
const modeFrom = (a: Args): string =>
  a.identitySource !== undefined
    ? `approvals.identity is ${str(a.identity)} in ${str(a.identitySource)}`
    : `approvals.identity is ${str(a.identity)} (the default)`;
const commitOf = (a: Args): string =>
  a.commit !== undefined ? `commit ${str(a.commit)} by ${str(a.author)}` : 'its commit';

/** `git add <manifest> && git commit -m "..."` for the approval's manifest. */
const commitApproval = (a: Args): string =>
  gitCommit([str(a.manifest)], `Approve ${str(a.phase)} (${str(a.approvedBy)}, ${str(a.role)})`);

/** Who signed an approval, and whether it counts (rule G3, `approvals.identity`). */
export const APPROVAL_MESSAGES = {
  APPROVAL_UNBOUND: {
    title: 'Approval of the earlier contract',
    help: 'An approval without an `id`, or a phase approval without `evidence` digests, was written for the earlier contract: it binds no evidence, so nothing shows which reports the approver saw. `mlops approve` writes both.',
    message: (a) =>
      `${where(a)} was written for the earlier contract (${a.noId === true ? 'no id' : 'no evidence digests'}): it does not show which evidence was signed, so it does not count`,
    hint: (a, how) =>
      `sign it off again, which records the id and the evidence digests, and commit it: ${approveAndCommit(a, how)}; then remove the old one`,
  },
  APPROVAL_UNCOMMITTED: {
    title: 'Approval not committed',
    help: 'An approval counts only once committed: the commit that adds it is the record of who signed.',
    message: (a) => `${where(a)} is recorded, not committed yet: it does not count until it is`,
    hint: (a) => `the approver commits it: ${commitApproval(a)}`,
  },
  APPROVAL_FUTURE: {
    title: 'Approval dated in the future',
    help: 'An approval dated after today is ignored: a sign-off cannot make a phase ready before it is given.',
    message: (a) =>
      `the ${str(a.phase)} approval by ${str(a.approvedBy)} (${str(a.role)}) is dated ${str(a.date)}, after today (${str(a.today)}${a.todaySource !== undefined ? `, pinned by ${str(a.todaySource)}` : ''}): it is ignored`,
    hint: (a, how) =>
      `record the decision on the day it is made: ${mlops(how, 'approve', q(a.manifest), '--phase', str(a.phase), '--by', q(a.approvedBy))} (today's date is the default), and remove the future-dated one`,
  },
  APPROVAL_NOT_AUTHORED: {
    title: 'Approval not committed by the approver',
    help: 'With approvals.identity author (the default), an approval counts only when the commit that added it was authored by the approver: its author email is the stakeholder’s `email`. Author emails can be set by anyone, and squash merges re-author commits: use signed for proof.',
    message: (a) =>
      a.email === undefined
        ? `${where(a)} cannot be tied to ${str(a.approvedBy)}: the stakeholder has no email (${modeFrom(a)})`
        : `${where(a)} was added by ${commitOf(a)}, not by ${str(a.approvedBy)} <${str(a.email)}> (${modeFrom(a)})`,
    hint: (a, how) =>
      a.email === undefined
        ? `add the approver's email: set \`envision.stakeholders[id=${str(a.approvedBy)}].email\` (the address their git commits use), then have them record it again`
        : `${str(a.approvedBy)} records the approval from their own git identity (${run('git config user.email', q(a.email))}): ${approveCommand({ ...a, by: a.approvedBy }, how)}, then ${commitApproval(a)}; or, where anyone may record approvals, set \`approvals: {identity: recorded}\` in mlops.config.yaml`,
  },
  APPROVAL_NOT_SIGNED: {
    title: 'Approval not signed by the approver',
    help: 'With approvals.identity signed, an approval counts only with a signature git verifies for the approver’s email: on the commit that added it (ssh or gpg), or on the approval itself (`mlops approve --sign-key`), checked against the allowed signers file.',
    message: (a) =>
      `${where(a)} carries no signature verified for ${str(a.approvedBy)}${a.email !== undefined ? ` <${str(a.email)}>` : ' (the stakeholder has no email)'}, nor does ${commitOf(a)} (${modeFrom(a)})`,
    hint: (a, how) =>
      `${str(a.approvedBy)} signs it with the key listed for their email in the allowed signers file (approvals.allowedSignersFile or git's gpg.ssh.allowedSignersFile): ${mlops(how, 'approve', q(a.manifest), '--phase', str(a.phase), '--by', q(a.approvedBy), '--sign-key', ph('KEY_FILE'))}, then commit it (${run('git commit -S')} signs the commit too)`,
  },
  APPROVAL_RECORDED: {
    title: 'Approval counted as recorded',
    help: 'With approvals.identity recorded, anyone may record an approval: it counts without proof of who gave it, and the output says who recorded it. Set approvals.identity to author or signed in mlops.config.yaml to require that approvers commit or sign their own.',
    message: (a) =>
      `${where(a)} counts as recorded by ${str(a.author)} (commit ${str(a.commit)}), not shown to be ${str(a.approvedBy)}'s (${modeFrom(a)})`,
  },
  APPROVAL_SAME_PERSON: {
    title: 'One person in two roles',
    help: 'The roles a phase needs are filled by different people (the same email, else the same name, is one person): one person listed under two stakeholder ids counts once.',
    message: (a) =>
      `${where(a)} (${str(a.role)}) is by the same person who already signs as ${str(a.alsoRole)} (${str(a.alsoBy)}): one person counts once`,
    hint: (a, how) =>
      `someone else with role ${str(a.role)} signs it: ${mlops(how, 'approve', q(a.manifest), '--phase', str(a.phase), '--by', ph('STAKEHOLDER_ID'))} (a stakeholder with role ${str(a.role)} who is not ${str(a.alsoBy)})`,
  },
  APPROVAL_NOT_INDEPENDENT: {
    title: 'Second line not independent',
    help: 'At tier high and critical, the risk_2nd_line approver is neither the model’s owner (metadata.owner) nor a data_science stakeholder.',
    message: (a) =>
      `${where(a)} (risk_2nd_line) is by ${a.conflict === 'owner' ? "the model's owner" : 'one of its data scientists'}: the second line must be independent of the model`,
    hint: (a, how) =>
      `an independent risk_2nd_line stakeholder signs it: ${mlops(how, 'approve', q(a.manifest), '--phase', str(a.phase), '--by', ph('STAKEHOLDER_ID'))}`,
  },
  APPROVAL_EARLIER_SHAPE: {
    title: 'Approval of the earlier contract',
    help: 'Approvals now carry an `id` and, for phases, the digests of the evidence they bind: `mlops approve` writes both. An approval without them does not count in `mlops check`.',
    message: (a) =>
      `${formatPath(Array.isArray(a.at) ? (a.at as (string | number)[]) : [])}: ${a.noId === true ? 'no id' : 'no evidence digests'}: written for the earlier contract, it does not count`,
    hint: (a, how: Spelling) => {
      // an id is all it lacks: migrate adds the one approve would have written
      const migrate =
        a.migrate === true
          ? `add its id (the one \`mlops approve\` writes): ${mlops(how, 'migrate', q(a.manifest))}`
          : undefined;
      const again =
        a.phase !== undefined && a.by !== undefined
          ? `sign it off again and commit it: ${mlops(how, 'approve', q(a.manifest), '--phase', str(a.phase), '--by', q(a.by))}; then remove this approval`
          : 'record it again with `mlops approve`, which writes the id, and remove this one';
      const why =
        a.signed === true
          ? ' (its signature covers the approval without an id, so an id cannot be added to it)'
          : a.noId !== true
            ? ' (nobody can know now which evidence the approver looked at)'
            : '';
      return migrate !== undefined ? `${migrate}, or ${again}` : `${again}${why}`;
    },
  },
} satisfies Partial<Record<Code, MessageSpec>>;
