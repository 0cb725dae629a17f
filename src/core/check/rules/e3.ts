import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { DIMENSIONS } from '../../manifest.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

export const e3 = defineRule({
  id: 'E3',
  title: 'Trustworthy AI guardrails',
  phases: ['envision'],
  help: 'Each of the six Trustworthy AI dimensions has a guardrail with a bound (min or max), or is excluded with a justification.',
  rationale:
    'Each dimension of Trustworthy AI is either measured against a bound or consciously set aside with a reason; silence about one is how harm goes unnoticed.',
  waivable: true,
  evaluate(facts) {
    const tai = facts.manifest.envision?.trustworthyAI;
    const out: Finding[] = [];
    for (const dimension of DIMENSIONS) {
      const dim = isObject(tai) ? tai[dimension] : undefined;
      const at: PathSegment[] = ['envision', 'trustworthyAI', ...(dim ? [dimension] : [])];
      if (!isObject(dim)) {
        out.push(finding('DIMENSION_MISSING', at, { dimension }));
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
