import { defineRule } from '../rule.js';
import { issueFinding } from './common.js';

export const g1 = defineRule({
  id: 'G1',
  title: 'Evidence committed to git',
  phases: ['envision', 'build', 'deploy', 'monitor'],
  help: 'Every evidence path named for the phase is tracked in git, unchanged in the working tree, inside the repository, a regular file within the size limits, and matches its sha256 when one is given. Evidence that is a symbolic link counts only when the link and the file it leads to are both committed and unchanged. Commit the file (git add, git commit), or fix the path.',
  rationale:
    'Only committed evidence can be reviewed, reproduced and audited later: a file on one machine, or one changed since it was reviewed, proves nothing to anyone else.',
  waivable: false,
  targeted: true,
  evaluate: (facts, phase) =>
    facts.refs.flatMap((ref) => {
      if (ref.phase !== phase) return [];
      const issue = facts.evidenceIssue(ref);
      return issue ? [issueFinding(ref, issue)] : [];
    }),
});
