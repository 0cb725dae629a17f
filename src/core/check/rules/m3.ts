import { reassessmentStandings, requiredApproverRoles } from '../../approvals.js';
import type { ApprovalState, ReassessmentStanding } from '../../approvals.js';
import { finding } from '../../findings.js';
import type { Args, Finding, Fix, PathSegment } from '../../findings.js';
import type { Stakeholder, ValueMetric } from '../../manifest.js';
import type { Facts } from '../facts.js';
import { dataProblemArgs, metricPointer, observationArgs } from '../facts.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { atTarget, belowMinimum, isIsoDate, observe, toleranceOf } from '../values.js';
import { issueFinding } from './common.js';

export const m3 = defineRule({
  id: 'M3',
  title: 'Business value achieved',
  phases: ['monitor'],
  help: 'No value metric is worse than its minimumAcceptable in each of the last missesToTrigger committed versions of the value-tracking evidence; once the target date has passed (envision target.by, or the targetBy of the latest approved reassessment that continues), the latest committed value is at target; and the latest approved reassessment does not decide to change or retire the model. Otherwise: reassess, record the decision in monitor.reassessments and approve it with `mlops approve <manifest> --reassessment <id> --by <stakeholder>` (the roles a phase needs sign it).',
  rationale:
    'The business case is a hypothesis with a date: once observed value keeps falling short of the least that still justifies the model, or the date passes without the target, the decision to run it is reassessed, recorded and signed by those accountable, and acted upon.',
  waivable: true,
  targeted: true,
  evaluate(facts) {
    const decisions = reassessmentFindings(facts);
    return [...decisions.findings, ...valueFindings(facts, decisions)];
  },
});

/** What the reassessments decide for the value metrics' target date. */
interface Decisions {
  findings: Finding[];
  /** The latest approved reassessment, if any. */
  decided?: ReassessmentStanding;
  /** The latest reassessment after it that is not approved yet, if any. */
  pending?: ReassessmentStanding;
}

/**
 * Who gives each sign-off: the approver of record, else the first stakeholder of the role
 * (none: nobody holds it yet).
 */
function signers(
  facts: Facts,
  states: readonly Pick<ApprovalState, 'role' | 'approval'>[],
): { role: string; by?: string }[] {
  const stakeholders = list<Stakeholder>(facts.manifest.envision?.stakeholders);
  return states.map((s) => {
    const by =
      s.approval?.by !== undefined
        ? String(s.approval.by)
        : stakeholders.find((x) => isObject(x) && x.role === s.role)?.id;
    return { role: s.role, ...(typeof by === 'string' ? { by } : {}) };
  });
}

/** `mlops approve <manifest> --reassessment <id> --by <by>` as fix data. */
function approveFix(facts: Facts, id: string, by: string | undefined): { fix?: Fix } {
  return by === undefined
    ? {}
    : {
        fix: {
          kind: 'command',
          argv: ['mlops', 'approve', facts.manifestShown, '--reassessment', id, '--by', by],
        },
      };
}

/** The first stakeholder who can sign, of a `signers` arg ('' where nobody holds the role). */
function firstSigner(signers: unknown): string | undefined {
  return Array.isArray(signers)
    ? signers.find((s): s is string => typeof s === 'string' && s !== '')
    : undefined;
}

/**
 * Reassessments: the latest approved one decides (change and retire fail); one recorded after
 * it and not approved does not count yet (a warning with the sign-offs it lacks).
 */
function reassessmentFindings(facts: Facts): Decisions {
  const standings = reassessmentStandings(facts.manifest, facts.signOffContext);
  let decidedAt = -1;
  standings.forEach((s, i) => {
    if (s.approved) decidedAt = i;
  });
  const decided = decidedAt >= 0 ? standings[decidedAt] : undefined;
  const findings: Finding[] = [];
  let pending: ReassessmentStanding | undefined;
  for (const s of standings.slice(decidedAt + 1)) {
    pending = s;
    const open = s.states.filter((x) => x.status !== 'current');
    const who = signers(facts, open);
    const id = String(s.reassessment.id);
    findings.push(
      finding(
        'REASSESSMENT_UNAPPROVED',
        ['monitor', 'reassessments', s.index],
        {
          id,
          date: String(s.reassessment.date ?? ''),
          decision: String(s.reassessment.decision ?? ''),
          manifest: facts.manifestShown,
          roles: open.map((x) => x.role),
          statuses: open.map((x) => x.status),
          // '' where nobody holds the role: the hint adds one first
          signers: who.map((x) => x.by ?? ''),
          approvedBy: open.map((x) => (x.approval ? String(x.approval.by) : '')),
          approvedOn: open.map((x) => (x.approval ? String(x.approval.date) : '')),
          ...(decided ? { decided: String(decided.reassessment.id) } : {}),
          waiverTarget: id,
        },
        approveFix(facts, id, who.find((x) => x.by !== undefined)?.by),
      ),
    );
  }
  // a decision to retire is carried out once the model is retired (then held to no phase)
  const retired = facts.manifest.metadata?.status === 'retired';
  if (
    decided &&
    (decided.reassessment.decision === 'change' ||
      (decided.reassessment.decision === 'retire' && !retired))
  ) {
    const r = decided.reassessment;
    findings.push(
      finding(
        r.decision === 'change' ? 'REASSESSMENT_DECIDED_CHANGE' : 'REASSESSMENT_DECIDED_RETIRE',
        ['monitor', 'reassessments', decided.index, 'decision'],
        {
          id: String(r.id),
          date: String(r.date ?? ''),
          ...(typeof r.rationale === 'string' ? { rationale: r.rationale } : {}),
          ...(typeof r.decider === 'string' ? { decider: r.decider } : {}),
          ...reassessArgs(facts),
          waiverTarget: String(r.id),
        },
        // retiring is the certain fix of a decision to retire; a change is the team's to make
        r.decision === 'retire'
          ? { fix: { kind: 'edit', op: 'set', path: ['metadata', 'status'], value: 'retired' } }
          : {},
      ),
    );
  }
  return { findings, ...(decided ? { decided } : {}), ...(pending ? { pending } : {}) };
}

/**
 * What a hint that records a new reassessment needs: `manifest`, `today`, a fresh `newId`
 * (`reassess-<today>`), the `decider` (the decision maker), and who signs it: `roles` and
 * `signers` ('' where nobody holds the role).
 */
function reassessArgs(facts: Facts): Args {
  const taken = new Set(
    list<{ id?: unknown }>(facts.manifest.monitor?.reassessments).map((r) =>
      isObject(r) ? r.id : undefined,
    ),
  );
  let newId = `reassess-${facts.today}`;
  for (let n = 2; taken.has(newId); n++) newId = `reassess-${facts.today}-${n}`;
  // a reassessment is signed by the roles a phase needs at the manifest's tier
  const who = signers(
    facts,
    requiredApproverRoles(facts.tier).map((role) => ({ role })),
  );
  const decider = who.find((x) => x.role === 'decision_maker')?.by;
  return {
    manifest: facts.manifestShown,
    today: facts.today,
    newId,
    ...(decider !== undefined ? { decider } : {}),
    roles: who.map((x) => x.role),
    signers: who.map((x) => x.by ?? ''),
  };
}

/** The value metrics against the committed value-tracking report: the minimum, and the target date. */
function valueFindings(facts: Facts, decisions: Decisions): Finding[] {
  const m = facts.manifest;
  const vt = m.monitor?.valueTracking;
  const at: PathSegment[] = vt ? ['monitor', 'valueTracking'] : m.monitor ? ['monitor'] : [];
  const ref = facts.evidenceRef('valueTracking');
  if (!vt || !ref)
    return [finding('VALUE_TRACKING_MISSING', at, { waiverTarget: 'valueTracking' })];
  if (!ref.repoPath) {
    const issue = facts.evidenceIssue(ref);
    return issue ? [issueFinding(ref, issue)] : [];
  }
  const repoPath = ref.repoPath;
  const path = facts.show(repoPath);
  const versions = facts.input.committedVersions.get(repoPath) ?? [];
  if (versions.length === 0)
    return [
      finding('VALUE_TRACKING_UNCOMMITTED', ref.at, {
        path,
        ...facts.commitArgs(),
        waiverTarget: ref.raw,
      }),
    ];
  const n = facts.missesToTrigger;
  const due = targetDate(decisions);
  const out: Finding[] = [];
  list<ValueMetric>(m.envision?.valueMetrics).forEach((metric, i) => {
    if (!isObject(metric)) return;
    const id = String(metric.id);
    const pointer = metricPointer(ref.pointer, id);
    const observed: number[] = [];
    for (const version of versions.slice(0, n)) {
      const parsed = facts.readVersion(repoPath, version);
      if (!parsed || !parsed.ok) {
        if (observed.length === 0)
          out.push(
            finding('VALUE_TRACKING_UNREADABLE', ref.at, {
              id,
              path,
              commit: version.commit.slice(0, 7),
              ...dataProblemArgs(parsed),
              ...facts.commitArgs(),
              waiverTarget: id,
            }),
          );
        break;
      }
      const o = observe(parsed.data, id, pointer);
      if (o.value === undefined) {
        if (observed.length === 0)
          out.push(
            finding('VALUE_UNREPORTED', ref.at, {
              id,
              path,
              date: version.date,
              ...observationArgs(o),
              ...facts.commitArgs(),
              waiverTarget: id,
            }),
          );
        break;
      }
      observed.push(o.value);
    }
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    const story = {
      id,
      ...(num(metric.baseline?.value) !== undefined
        ? { baseline: num(metric.baseline?.value) }
        : {}),
      ...(num(metric.target?.value) !== undefined ? { target: num(metric.target?.value) } : {}),
      ...(num(metric.minimumAcceptable) !== undefined
        ? { minimum: num(metric.minimumAcceptable) }
        : {}),
    };
    const misses = observed.findIndex((v) => !belowMinimum(metric, v));
    const run = misses < 0 ? observed.length : misses;
    if (run > 0) {
      const where: PathSegment[] = ['envision', 'valueMetrics', i, 'minimumAcceptable'];
      out.push(
        finding(run >= n ? 'VALUE_BELOW_MINIMUM' : 'VALUE_MISSED_MINIMUM', where, {
          ...story,
          run,
          n,
          observed: observed.slice(0, run),
          path,
          ...facts.commitArgs(),
          waiverTarget: id,
        }),
      );
    }
    // the target date: past it, the latest committed value must be at target
    const latest = observed[0];
    // a decision to change or retire is reported as such: no date is held to meanwhile
    const date = due === null ? undefined : (due ?? envisionDate(metric));
    if (latest === undefined || !date || facts.today <= date.by) return;
    if (typeof metric.target?.value !== 'number' || atTarget(metric, latest)) return;
    const band = metric.direction === 'maintain' ? toleranceOf(metric) : undefined;
    const pending = pendingArgs(facts, decisions);
    // at the metric's target date, or at its target when a reassessment set the date: one
    // finding per metric either way
    const target: PathSegment[] = ['envision', 'valueMetrics', i, 'target'];
    out.push(
      finding(
        'VALUE_TARGET_DATE_PASSED',
        date.reassessment === undefined ? [...target, 'by'] : target,
        {
          ...story,
          direction: String(metric.direction ?? 'increase'),
          ...(band !== undefined ? { tolerance: band } : {}),
          observed: latest,
          committed: versions[0]!.date,
          path,
          by: date.by,
          ...(date.reassessment !== undefined ? { reassessment: date.reassessment } : {}),
          ...pending,
          ...reassessArgs(facts),
          waiverTarget: id,
        },
        // the fix when it is certain: approving the reassessment already recorded
        pending.pending !== undefined
          ? approveFix(facts, String(pending.pending), firstSigner(pending.pendingSigners))
          : {},
      ),
    );
  });
  return out;
}

/** A date the targets are due by, and the reassessment that set it (else envision's target.by). */
type Due = { by: string; reassessment?: string };

/**
 * The date of the latest approved reassessment, when it continues; null when it decided to
 * change or retire; undefined when none decides (each metric's target.by holds).
 */
function targetDate(decisions: Decisions): Due | undefined | null {
  const d = decisions.decided;
  if (!d) return undefined;
  const r = d.reassessment;
  if (r.decision === 'continue' && typeof r.targetBy === 'string' && isIsoDate(r.targetBy))
    return { by: r.targetBy, reassessment: String(r.id) };
  return r.decision === 'change' || r.decision === 'retire' ? null : undefined;
}

function envisionDate(metric: ValueMetric): Due | undefined {
  const by = metric.target?.by;
  return typeof by === 'string' && isIsoDate(by) ? { by } : undefined;
}

/**
 * A reassessment recorded after the latest approved one that would settle the date once
 * approved (it continues to a date not yet passed): the hint approves it rather than add one.
 */
function pendingArgs(facts: Facts, decisions: Decisions): Args {
  const p = decisions.pending;
  if (!p) return {};
  const r = p.reassessment;
  if (r.decision !== 'continue' || typeof r.targetBy !== 'string' || !isIsoDate(r.targetBy))
    return {};
  if (r.targetBy < facts.today) return {};
  const open = p.states.filter((x) => x.status !== 'current');
  return {
    pending: String(r.id),
    pendingBy: r.targetBy,
    pendingRoles: open.map((x) => x.role),
    pendingSigners: signers(facts, open).map((x) => x.by ?? ''),
  };
}
