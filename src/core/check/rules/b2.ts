import { finding } from '../../findings.js';
import type { Args, Finding, PathSegment } from '../../findings.js';
import type { ValueMetric } from '../../manifest.js';
import type { Facts } from '../facts.js';
import { projectedValue } from '../projection.js';
import type { Projection } from '../projection.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { belowMinimum, betterThan, toleranceOf } from '../values.js';

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const nonEmpty = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/** The metric's levels as finding args, each when it is known. */
function levels(m: ValueMetric): Args {
  const out: Record<string, string | number> = {};
  const put = (k: string, v: unknown): void => {
    const n = num(v);
    if (n !== undefined) out[k] = n;
  };
  if (typeof m.direction === 'string') out.direction = m.direction;
  if (typeof m.unit === 'string') out.unit = m.unit;
  put('baseline', isObject(m.baseline) ? m.baseline.value : undefined);
  put('target', isObject(m.target) ? m.target.value : undefined);
  put('minimum', m.minimumAcceptable);
  if (m.direction === 'maintain') put('tolerance', toleranceOf(m));
  return out;
}

/** Where a projection was looked for: the evaluation's evidence, else the evaluation. */
function projectionPath(facts: Facts, p: Projection): PathSegment[] {
  const index = p.evaluation!.index;
  return facts.evidenceRef('evaluation', { index })?.at ?? ['build', 'evaluations', index];
}

/** The other candidate's value evaluation of the metric, for the words of a hint that adds one. */
function likeOf(p: Projection | undefined): Args {
  return p?.evaluation ? { like: p.evaluation.id } : {};
}

export const b2 = defineRule({
  id: 'B2',
  title: 'Value evaluated',
  phases: ['build'],
  help: 'For every value metric, the selected candidate and the baseline candidate each have an evaluation of kind value (with its valueMetric) whose committed evidence holds the projected value; the selected projection is no worse than minimumAcceptable (for maintain: within the tolerance band around the target) and strictly better than the baseline candidate’s. A selected candidate that is the baseline fails.',
  rationale:
    'Statistical scores do not say whether the business gains: before the model is deployed, its projected value shows that it pays for itself and beats what it replaces.',
  waivable: true,
  targeted: true,
  evaluate(facts) {
    const build = isObject(facts.manifest.build) ? facts.manifest.build : {};
    const selected = nonEmpty(isObject(build.selected) ? build.selected.candidate : undefined);
    const candidates = list(build.candidates).filter(isObject);
    const baselineCandidate = nonEmpty(candidates.find((c) => c.baseline === true)?.id);
    const out: Finding[] = [];
    if (selected !== undefined && selected === baselineCandidate) {
      const others = candidates
        .filter((c) => c.baseline !== true && nonEmpty(c.id) !== undefined)
        .map((c) => String(c.id));
      out.push(
        finding('VALUE_SELECTED_IS_BASELINE', ['build', 'selected', 'candidate'], {
          candidate: selected,
          others,
          waiverTarget: selected,
        }),
      );
    }
    const evaluations = list(build.evaluations);
    list<ValueMetric>(facts.manifest.envision?.valueMetrics).forEach((m, i) => {
      if (!isObject(m)) return;
      const id = String(m.id);
      const idAt: PathSegment[] = ['envision', 'valueMetrics', i, 'id'];
      if (selected === undefined) {
        // B1 says to select a candidate; until then, any value evaluation of the metric counts.
        const any = evaluations.some(
          (e) => isObject(e) && e.kind === 'value' && e.valueMetric === id,
        );
        if (!any)
          out.push(finding('VALUE_EVALUATION_MISSING', idAt, { id, index: i, waiverTarget: id }));
        return;
      }
      const story = levels(m);
      const mine = projectedValue(facts, id, selected);
      const theirs =
        baselineCandidate !== undefined && baselineCandidate !== selected
          ? projectedValue(facts, id, baselineCandidate)
          : undefined;
      if (!mine.evaluation) {
        out.push(
          finding('VALUE_EVALUATION_MISSING', idAt, {
            id,
            index: i,
            candidate: selected,
            ...likeOf(theirs),
            waiverTarget: id,
          }),
        );
      } else if (mine.value === undefined) {
        out.push(
          finding('VALUE_PROJECTION_UNOBSERVED', projectionPath(facts, mine), {
            ...mine.problem,
            id,
            candidate: selected,
            role: 'selected',
            evaluation: mine.evaluation.id,
            evaluationIndex: mine.evaluation.index,
            metric: mine.evaluation.metric,
            ...facts.commitArgs(),
            waiverTarget: id,
          }),
        );
      }

      if (theirs && !theirs.evaluation) {
        out.push(
          finding('VALUE_BASELINE_EVALUATION_MISSING', idAt, {
            id,
            index: i,
            candidate: baselineCandidate!,
            selected,
            ...likeOf(mine),
            waiverTarget: id,
          }),
        );
      } else if (theirs && theirs.value === undefined) {
        out.push(
          finding('VALUE_PROJECTION_UNOBSERVED', projectionPath(facts, theirs), {
            ...theirs.problem,
            id,
            candidate: baselineCandidate!,
            role: 'baseline',
            evaluation: theirs.evaluation!.id,
            evaluationIndex: theirs.evaluation!.index,
            metric: theirs.evaluation!.metric,
            ...facts.commitArgs(),
            waiverTarget: id,
          }),
        );
      }

      if (mine.value === undefined) return;
      const side: Args = {
        id,
        candidate: selected,
        selected: mine.value,
        evaluation: mine.evaluation!.id,
        path: mine.path!,
        pointer: mine.pointer!,
        ...(baselineCandidate !== undefined && baselineCandidate !== selected
          ? { baselineCandidateId: baselineCandidate }
          : {}),
        ...(theirs?.value !== undefined ? { baselineCandidate: theirs.value } : {}),
        ...story,
        ...facts.commitArgs(),
        waiverTarget: id,
      };
      const at = projectionPath(facts, mine);
      // Until minimumAcceptable is set (rule E2 asks for it), the baseline is the floor: the
      // least a minimum may ask, the baseline included.
      const floor =
        m.direction !== 'maintain' && num(m.minimumAcceptable) === undefined
          ? num(isObject(m.baseline) ? m.baseline.value : undefined)
          : undefined;
      if (floor !== undefined) {
        if (belowMinimum({ ...m, minimumAcceptable: floor }, mine.value))
          out.push(
            finding('VALUE_PROJECTION_BELOW_MINIMUM', at, {
              ...side,
              minimum: floor,
              minimumFrom: 'baseline',
            }),
          );
      } else if (belowMinimum(m, mine.value)) {
        out.push(finding('VALUE_PROJECTION_BELOW_MINIMUM', at, side));
      }
      // For maintain, "better than the baseline" is "within the band around the target", which
      // the minimum has just judged: one finding says it.
      if (
        m.direction !== 'maintain' &&
        theirs?.value !== undefined &&
        !betterThan(m.direction, mine.value, theirs.value)
      )
        out.push(finding('VALUE_PROJECTION_NOT_BETTER', at, side));
    });
    return out;
  },
});
