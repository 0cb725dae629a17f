import type { ApprovalState } from '../../approvals.js';
import { boundEvidence } from '../../evidence-digest.js';
import { finding } from '../../findings.js';
import type { Args, Finding, Fix, PathSegment } from '../../findings.js';
import type { ApprovablePhase } from '../../approvals.js';
import type { Facts } from '../facts.js';
import { defineRule } from '../rule.js';
import { list } from '../util.js';
import { observe, parseEvidenceText } from '../values.js';

export const g3 = defineRule({
  id: 'G3',
  title: 'Phase signed off',
  phases: ['envision', 'build', 'deploy'],
  help: 'The phase needs a current approval by the decision_maker (tier high and critical: also risk_2nd_line; critical: also internal_audit), approved or conditional, each role by a different person, the second line independent of the model (neither its owner nor a data scientist). An approval binds the section and the evidence the phase reads: it goes stale when either changes. It counts once committed, by the commit that added it showing the approver (approvals.identity: author, the default; signed; recorded). Record one with `mlops approve <manifest> --phase <p> --by <stakeholder>` and commit it.',
  rationale:
    'A named person accountable for the business decision signs each phase off, joined by the second and third lines of defense as the risk grows; a sign-off covers the section and the evidence as they were approved, not later edits or retrained models, and only the approver can give it.',
  waivable: false,
  targeted: false,
  evaluate(facts, phase) {
    if (phase === 'monitor') return [];
    return facts.approvals(phase).flatMap((s) => stateFindings(facts, phase, s));
  },
});

/** The findings of one required sign-off's state, plus the approvals it ignored as future-dated. */
function stateFindings(facts: Facts, phase: ApprovablePhase, s: ApprovalState): Finding[] {
  const m = facts.manifest;
  const stakeholders = list<{ id?: unknown; role?: unknown }>(m.envision?.stakeholders);
  const noSection = m[phase] === undefined || m[phase] === null;
  const out: Finding[] = [];
  for (const f of s.future ?? [])
    out.push(
      finding('APPROVAL_FUTURE', ['approvals', f.index, 'date'], {
        phase,
        role: s.role,
        manifest: facts.manifestShown,
        approvedBy: String(f.approval.by),
        date: String(f.approval.date),
        today: facts.today,
        ...todayArgs(facts),
      }),
    );
  const holder = stakeholders.find((x) => x?.role === s.role);
  const by =
    s.approval?.by !== undefined && s.status !== 'same_person' && s.status !== 'not_independent'
      ? String(s.approval.by)
      : holder && s.status !== 'same_person' && s.status !== 'not_independent'
        ? String(holder.id)
        : undefined;
  const at: PathSegment[] =
    s.index !== undefined ? ['approvals', s.index] : noSection ? [] : [phase];
  const commitArgs: Args = s.commit
    ? {
        commit: s.commit.short,
        author: `${s.commit.authorName} <${s.commit.authorEmail}>`,
      }
    : {};
  const identity: Args = {
    identity: facts.input.identity ?? 'author',
    ...(facts.input.identitySource ? { identitySource: facts.input.identitySource } : {}),
  };
  const args: Args = {
    phase,
    role: s.role,
    manifest: facts.manifestShown,
    // nothing to sign: the hint says to add the section, never to approve it
    noSection,
    ...(by !== undefined ? { by } : {}),
    ...(s.approval
      ? {
          approvedBy: String(s.approval.by),
          date: String(s.approval.date),
          ...(typeof s.approval.id === 'string' ? { approval: s.approval.id } : {}),
        }
      : {}),
    ...commitArgs,
  };
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
    case 'current':
      if (s.recorded) out.push(finding('APPROVAL_RECORDED', at, { ...args, ...identity }));
      return out;
    case 'missing':
      out.push(finding('APPROVAL_MISSING', at, args, fix));
      return out;
    case 'stale':
      out.push(
        finding(
          'APPROVAL_STALE',
          s.sectionChanged || !s.changed?.length ? [...at, 'digest'] : [...at, 'evidence'],
          { ...args, ...staleArgs(facts, phase, s) },
          fix,
        ),
      );
      return out;
    case 'rejected': {
      const conditions = s.approval?.conditions;
      // No fix as data: a rejection is overturned by people addressing its reasons.
      out.push(
        finding('APPROVAL_REJECTED', at, {
          ...args,
          ...(conditions ? { conditions: String(conditions) } : {}),
        }),
      );
      return out;
    }
    case 'no_digest':
      out.push(finding('APPROVAL_NO_DIGEST', at, args, fix));
      return out;
    case 'unbound':
      out.push(
        finding('APPROVAL_UNBOUND', at, { ...args, noId: typeof s.approval?.id !== 'string' }, fix),
      );
      return out;
    case 'uncommitted':
      out.push(finding('APPROVAL_UNCOMMITTED', at, args));
      return out;
    case 'not_authored':
    case 'not_signed': {
      const who = list<{ id?: unknown; email?: unknown }>(m.envision?.stakeholders).find(
        (x) => x?.id === s.approval?.by,
      );
      const email = typeof who?.email === 'string' ? who.email : undefined;
      out.push(
        finding(s.status === 'not_authored' ? 'APPROVAL_NOT_AUTHORED' : 'APPROVAL_NOT_SIGNED', at, {
          ...args,
          ...identity,
          ...(email ? { email } : {}),
        }),
      );
      return out;
    }
    case 'same_person':
      out.push(
        finding('APPROVAL_SAME_PERSON', at, {
          ...args,
          alsoRole: s.alsoAs?.role ?? '',
          alsoBy: s.alsoAs?.by ?? '',
        }),
      );
      return out;
    case 'not_independent':
      out.push(finding('APPROVAL_NOT_INDEPENDENT', at, { ...args, conflict: s.conflict ?? '' }));
      return out;
  }
}

/** The pinned date, when a config file pinned it, for words that use today. */
function todayArgs(facts: Facts): Args {
  return facts.input.todaySource ? { todaySource: facts.input.todaySource } : {};
}

/**
 * What a stale approval's finding says changed: the section, and each bound evidence file that
 * changed, with the guardrails it holds whose observed value moved (as signed, and now).
 */
function staleArgs(facts: Facts, phase: ApprovablePhase, s: ApprovalState): Args {
  const changed = s.changed ?? [];
  const valueIds: string[] = [];
  const valueWas: (string | number)[] = [];
  const valueNow: (string | number)[] = [];
  const files = boundEvidence(facts.manifest, facts.input.manifestPath, phase);
  for (const c of changed) {
    const file = files.find((f) => f.repoPath === c.repoPath);
    const old =
      s.commit && c.was !== undefined
        ? facts.input.evidenceAt?.(s.commit.commit, c.repoPath)
        : undefined;
    const oldData = old !== undefined ? parseEvidenceText(c.repoPath, old) : undefined;
    const nowData = facts.readCurrent(c.repoPath);
    for (const ref of file?.refs ?? []) {
      // a value is shown only from evidence that counts (committed and unmodified, rule G1)
      if (ref.kind !== 'guardrail' || facts.evidenceIssue(ref)) continue;
      const g = facts.guardrails.find(
        (x) => x.dimension === ref.dimension && x.index === ref.index,
      );
      if (!g) continue;
      const metric = String(g.guardrail.metric);
      const was = oldData?.ok ? observe(oldData.data, metric, ref.pointer).value : undefined;
      const now = nowData?.ok ? observe(nowData.data, metric, ref.pointer).value : undefined;
      if (was === now) continue;
      valueIds.push(String(g.guardrail.id));
      valueWas.push(was ?? '');
      valueNow.push(now ?? '');
    }
  }
  return {
    sectionChanged: s.sectionChanged === true,
    evidence: changed.map((c) => facts.show(c.repoPath)),
    ...(valueIds.length ? { valueIds, valueWas, valueNow } : {}),
    ...(s.commit ? { approvedIn: s.commit.short } : {}),
  };
}
