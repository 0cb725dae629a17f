import { finding } from '../../findings.js';
import type { Args, Finding, Fix, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { list } from '../util.js';

export const g3 = defineRule({
  id: 'G3',
  title: 'Phase signed off',
  phases: ['envision', 'build', 'deploy'],
  help: 'The phase needs a current approval by the decision_maker (tier high and critical: also risk_2nd_line; critical: also internal_audit), approved or conditional. An approval goes stale when its section changes. Record one with `mlops approve <manifest> --phase <p> --by <stakeholder>`.',
  rationale:
    'A named person accountable for the business decision signs each phase off, joined by the second and third lines of defense as the risk grows; a sign-off covers the section as it was approved, not later edits.',
  waivable: true,
  evaluate(facts, phase) {
    if (phase === 'monitor') return [];
    const m = facts.manifest;
    const stakeholders = list<{ id?: unknown; role?: unknown }>(m.envision?.stakeholders);
    const noSection = m[phase] === undefined || m[phase] === null;
    return facts.approvals(phase).flatMap((s): Finding[] => {
      if (s.status === 'current') return [];
      const holder = stakeholders.find((x) => x?.role === s.role);
      const by =
        s.approval?.by !== undefined
          ? String(s.approval.by)
          : holder
            ? String(holder.id)
            : undefined;
      const at: PathSegment[] =
        s.index !== undefined ? ['approvals', s.index] : noSection ? [] : [phase];
      const args: Args = {
        phase,
        role: s.role,
        manifest: facts.manifestShown,
        // nothing to sign: the hint says to add the section, never to approve it
        noSection,
        ...(by !== undefined ? { by } : {}),
        ...(s.approval ? { approvedBy: String(s.approval.by), date: String(s.approval.date) } : {}),
      };
      // where the stale approval was committed: the version its digest signed
      const digest = s.approval?.digest;
      const committed =
        s.status === 'stale' && typeof digest === 'string'
          ? facts.input.approvalCommits?.get(digest)
          : undefined;
      const history: Args =
        committed === undefined
          ? {}
          : committed === null
            ? { uncommitted: true }
            : { approvedIn: committed };
      // no section: nothing to sign yet, so no command that would be refused
      const approve: Fix | undefined =
        by !== undefined && !noSection
          ? {
              kind: 'command',
              argv: ['mlops', 'approve', facts.manifestShown, '--phase', phase, '--by', by],
            }
          : undefined;
      const fix = approve ? { fix: approve } : {};
      switch (s.status) {
        case 'missing':
          return [finding('APPROVAL_MISSING', at, args, fix)];
        case 'stale':
          return [finding('APPROVAL_STALE', [...at, 'digest'], { ...args, ...history }, fix)];
        case 'rejected': {
          const conditions = s.approval?.conditions;
          // No fix as data: a rejection is overturned by people addressing its reasons.
          return [
            finding('APPROVAL_REJECTED', at, {
              ...args,
              ...(conditions ? { conditions: String(conditions) } : {}),
            }),
          ];
        }
        case 'no_digest':
          return [finding('APPROVAL_NO_DIGEST', at, args, fix)];
      }
    });
  },
});
