import { problem } from './schema-findings.js';
import type { Problem } from './schema-findings.js';

/**
 * validate's warnings for approvals written for the earlier contract: without an `id`, or a
 * phase approval without `evidence` digests. `mlops check` does not count them.
 */
export function earlierShapeProblems(data: unknown): Problem[] {
  if (data === null || typeof data !== 'object') return [];
  const approvals = (data as { approvals?: unknown }).approvals;
  if (!Array.isArray(approvals)) return [];
  const out: Problem[] = [];
  approvals.forEach((a: unknown, i) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return;
    const item = a as Record<string, unknown>;
    const noId = typeof item.id !== 'string';
    const noEvidence = typeof item.phase === 'string' && item.evidence === undefined;
    if (!noId && !noEvidence) return;
    const at = ['approvals', i];
    out.push(
      problem('APPROVAL_EARLIER_SHAPE', at, {
        at,
        noId,
        ...(typeof item.phase === 'string' ? { phase: item.phase } : {}),
        ...(typeof item.by === 'string' ? { by: item.by } : {}),
      }),
    );
  });
  return out;
}
