import type { Args } from '../findings.js';
import type { Facts } from './facts.js';
import { isObject, list } from './util.js';

/**
 * The projected value of one value metric for one candidate: what its value evaluation (kind
 * value, `valueMetric` the metric, `candidate` the candidate) reads from its evidence.
 *
 * - `evaluation`: the evaluation read (absent when the candidate has none for the metric);
 * - `value`, `path` (as the user sees it), `pointer`, `repoPath`: the number and where it was
 *   read, when there is one;
 * - `problem`: otherwise, why not, as finding args: `{problem: 'no_evaluation'}`,
 *   `{problem: 'no_evidence'}` (the evaluation names no file), or what `facts.observed` says:
 *   `{problem: 'evidence', cause, ...}` (the file does not count, rule G1), `{problem: 'absent',
 *   path, pointers}`, `{problem: 'not_number', path, pointer, found, literal?}`,
 *   `{problem: 'invalid' | 'not_data' | 'unread', path, ...}`.
 *
 * With several value evaluations of the same metric for the same candidate, the first that
 * holds a number counts; when none does, the first one's problem is given.
 */
export interface Projection {
  evaluation?: { id: string; index: number; metric: string };
  value?: number;
  path?: string;
  pointer?: string;
  /** The evidence's repository path, to look up its commit date. */
  repoPath?: string;
  problem?: Args;
}

/** The projected value of value metric `valueMetricId` for candidate `candidateId`. */
export function projectedValue(
  facts: Facts,
  valueMetricId: string,
  candidateId: string,
): Projection {
  const evaluations = list(isObject(facts.manifest.build) ? facts.manifest.build.evaluations : []);
  let first: Projection | undefined;
  for (let index = 0; index < evaluations.length; index++) {
    const e = evaluations[index];
    if (!isObject(e) || e.kind !== 'value') continue;
    if (e.valueMetric !== valueMetricId || e.candidate !== candidateId) continue;
    const evaluation = { id: String(e.id), index, metric: String(e.metric) };
    const ref = facts.evidenceRef('evaluation', { index });
    let p: Projection;
    if (!ref) {
      p = { evaluation, problem: { problem: 'no_evidence' } };
    } else {
      const o = facts.observed(ref, evaluation.metric);
      p =
        o.value === undefined
          ? { evaluation, problem: { ...o.problem, pointerGiven: ref.pointer !== undefined } }
          : {
              evaluation,
              value: o.value,
              path: o.path,
              pointer: o.pointer,
              ...(ref.repoPath !== undefined ? { repoPath: ref.repoPath } : {}),
            };
    }
    if (p.value !== undefined) return p;
    first ??= p;
  }
  return first ?? { problem: { problem: 'no_evaluation' } };
}
