import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { DIMENSIONS } from '../../manifest.js';
import { guardrailPhases } from '../evidence.js';
import { tierRigor } from '../facts.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

/** A guardrail with a bound. */
const bounded = (g: Record<string, unknown>): boolean =>
  typeof g.min === 'number' || typeof g.max === 'number';

/** A guardrail that guards its dimension: a bound, enforced in at least one phase. */
const guards = (g: unknown): boolean => isObject(g) && bounded(g) && guardrailPhases(g).length > 0;

export const e3 = defineRule({
  id: 'E3',
  title: 'Trustworthy AI guardrails',
  phases: ['envision'],
  help: 'Each of the six Trustworthy AI dimensions has a guardrail with a bound (min or max) that is enforced in build, monitor or both (`phases` left out means both; `phases: []` guards nothing), or is excluded with a justification.',
  rationale:
    "Trustworthy AI is the guardrail of every phase, planned in Envision for all six dimensions: each gets a bound, or is set aside with a written reason, because AI without ethical safeguards can damage the company's reputation and future performance.",
  waivable: true,
  targeted: true,
  evaluate(facts) {
    const tai = facts.manifest.envision?.trustworthyAI;
    const out: Finding[] = [];
    for (const dimension of DIMENSIONS) {
      const dim = isObject(tai) ? tai[dimension] : undefined;
      const at: PathSegment[] = ['envision', 'trustworthyAI', ...(dim ? [dimension] : [])];
      if (!isObject(dim)) {
        // with the rigor its tier expects, so that adding it does not fail rule E4 next
        const rigor = tierRigor(facts.tier, dimension);
        out.push(finding('DIMENSION_MISSING', at, { dimension, rigor, waiverTarget: dimension }));
      } else if (dim.excluded === true) {
        if (!filled(dim.justification))
          out.push(
            finding('DIMENSION_EXCLUSION_UNJUSTIFIED', at, { dimension, waiverTarget: dimension }),
          );
      } else if (!list(dim.guardrails).some(guards)) {
        // guardrails with a bound but `phases: []` are enforced nowhere: named (and the first
        // one's position given), so that the fix can be to enforce one rather than add another
        const guardrails = list(dim.guardrails);
        const unenforced = guardrails.flatMap((g) =>
          isObject(g) && bounded(g) ? [String(g.id)] : [],
        );
        const first = guardrails.findIndex((g) => isObject(g) && bounded(g));
        out.push(
          finding('DIMENSION_UNGUARDED', at, {
            dimension,
            ...(unenforced.length > 0 ? { unenforced, index: first } : {}),
            waiverTarget: dimension,
          }),
        );
      }
    }
    return out;
  },
});
