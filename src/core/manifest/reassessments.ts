import type { PathSegment } from '../findings.js';
import { problem, suggestLater } from './schema-findings.js';
import type { Problem } from './schema-findings.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const items = (v: unknown): Obj[] => (Array.isArray(v) ? v : []).map((x) => (isObj(x) ? x : {}));

/**
 * The checks of `monitor.reassessments` that the schema cannot express: ids unique, a decision
 * to continue dated (`targetBy`), deciders that are stakeholders, and approvals that name a
 * reassessment of the manifest.
 */
export function checkReassessments(data: Obj): Problem[] {
  const out: Problem[] = [];
  const monitor = isObj(data.monitor) ? data.monitor : {};
  const envision = isObj(data.envision) ? data.envision : {};
  const reassessments = items(monitor.reassessments);
  const ids: string[] = [];
  const first = new Map<string, PathSegment[]>();
  reassessments.forEach((r, i) => {
    const at: PathSegment[] = ['monitor', 'reassessments', i];
    if (typeof r.id === 'string') {
      const path = [...at, 'id'];
      const earlier = first.get(r.id);
      if (earlier)
        out.push(
          problem('DUPLICATE_ID', path, { at: path, list: 'reassessment', id: r.id, earlier }),
        );
      else {
        first.set(r.id, path);
        ids.push(r.id);
      }
    }
    if (r.decision === 'continue' && r.targetBy === undefined)
      out.push(problem('REASSESSMENT_NO_DATE', [...at, 'decision'], { at }));
  });

  const stakeholders = [
    ...new Set(
      items(envision.stakeholders)
        .map((s) => s.id)
        .filter((id): id is string => typeof id === 'string'),
    ),
  ];
  reassessments.forEach((r, i) => {
    if (typeof r.decider !== 'string' || stakeholders.includes(r.decider)) return;
    const path = ['monitor', 'reassessments', i, 'decider'];
    out.push(unknown(path, 'stakeholder', r.decider, stakeholders));
  });
  items(data.approvals).forEach((a, i) => {
    if (typeof a.reassessment !== 'string' || ids.includes(a.reassessment)) return;
    const path = ['approvals', i, 'reassessment'];
    out.push(unknown(path, 'reassessment', a.reassessment, ids));
  });
  return out;
}

/** An id that names no item of `list`, with the closest known id when one is close. */
function unknown(path: PathSegment[], list: string, id: string, known: string[]): Problem {
  return suggestLater(
    problem('UNKNOWN_REFERENCE', path, { at: path, list, id, known }, 'value'),
    id,
    known,
    path,
  );
}
