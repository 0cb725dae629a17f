import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { DIMENSIONS } from '../../manifest.js';
import { tierRigor } from '../facts.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

export const e3 = defineRule({
  id: 'E3',
  title: 'Trustworthy AI guardrails',
  phases: ['envision'],
  help: 'Each of the six Trustworthy AI dimensions has a guardrail with a bound (min or max), or is excluded with a justification.',
  rationale:
    "Trustworthy AI is the guardrail of every phase, planned in Envision for all six dimensions: each gets a bound, or is set aside with a written reason, because AI without ethical safeguards can damage the company's reputation and future performance.",
  waivable: true,
  evaluate(facts) {
    const tai = facts.manifest.envision?.trustworthyAI;
    const out: Finding[] = [];
    for (const dimension of DIMENSIONS) {
      const dim = isObject(tai) ? tai[dimension] : undefined;
      const at: PathSegment[] = ['envision', 'trustworthyAI', ...(dim ? [dimension] : [])];
      if (!isObject(dim)) {
        // with the rigor its tier expects, so that adding it does not fail rule E4 next
        const rigor = tierRigor(facts.tier, dimension);
        out.push(finding('DIMENSION_MISSING', at, { dimension, rigor }));
      } else if (dim.excluded === true) {
        if (!filled(dim.justification))
          out.push(finding('DIMENSION_EXCLUSION_UNJUSTIFIED', at, { dimension }));
      } else if (
        !list(dim.guardrails).some(
          (g) => isObject(g) && (typeof g.min === 'number' || typeof g.max === 'number'),
        )
      ) {
        out.push(finding('DIMENSION_UNGUARDED', at, { dimension }));
      }
    }
    return out;
  },
});
