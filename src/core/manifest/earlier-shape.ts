import { problem } from './schema-findings.js';
import type { Problem } from './schema-findings.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether `mlops migrate` can bring an approval of the earlier contract to the current one: it
 * lacks only its `id`, which is made of what it signs, the approver and the date (as `mlops
 * approve` makes it), and no signature of its own covers the approval without one. An approval
 * without evidence digests cannot be migrated: nobody can know what the approver looked at.
 */
export function approvalMigratable(item: Record<string, unknown>): boolean {
  const subject = [item.phase, item.reassessment, item.waiver].find((s) => typeof s === 'string');
  return (
    !Object.hasOwn(item, 'id') &&
    item.signature === undefined &&
    !(typeof item.phase === 'string' && item.evidence === undefined) &&
    typeof subject === 'string' &&
    typeof item.by === 'string' &&
    typeof item.date === 'string' &&
    /^[a-z0-9][a-z0-9_-]*-[a-z0-9][a-z0-9_-]*-\d{4}-\d{2}-\d{2}$/.test(
      `${subject}-${item.by}-${item.date}`,
    )
  );
}

/**
 * validate's warnings for manifests written for an earlier shape: approvals without an `id`, or
 * phase approvals without `evidence` digests (`mlops check` does not count them), and the EU AI
 * Act classification `limited` (now minimal with `art50: true`). `mlops migrate` rewrites what
 * can be rewritten; the findings say whether it can (`migrate`).
 */
export function earlierShapeProblems(data: unknown): Problem[] {
  if (!isObj(data)) return [];
  const out: Problem[] = [];
  const metadata = isObj(data.metadata) ? data.metadata : {};
  const eu = isObj(metadata.euAiAct) ? metadata.euAiAct : undefined;
  if (eu !== undefined && eu.classification === 'limited') {
    const at = ['metadata', 'euAiAct', 'classification'];
    // art50 false says the opposite of what limited meant: only a person can decide which holds
    const contradiction = Object.hasOwn(eu, 'art50') && eu.art50 !== true;
    out.push(
      problem('EU_AI_ACT_EARLIER_SHAPE', at, {
        at,
        migrate: !contradiction,
        ...(contradiction ? { art50: eu.art50 === false ? 'false' : 'not true' } : {}),
      }),
    );
  }
  const approvals = data.approvals;
  if (!Array.isArray(approvals)) return out;
  approvals.forEach((a: unknown, i) => {
    if (!isObj(a)) return;
    const noId = typeof a.id !== 'string';
    const noEvidence = typeof a.phase === 'string' && a.evidence === undefined;
    if (!noId && !noEvidence) return;
    const at = ['approvals', i];
    out.push(
      problem('APPROVAL_EARLIER_SHAPE', at, {
        at,
        noId,
        migrate: noId && approvalMigratable(a),
        ...(noId && a.signature !== undefined ? { signed: true } : {}),
        ...(typeof a.phase === 'string' ? { phase: a.phase } : {}),
        ...(typeof a.by === 'string' ? { by: a.by } : {}),
      }),
    );
  });
  return out;
}
