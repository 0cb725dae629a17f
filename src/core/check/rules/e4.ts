import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { DIMENSIONS } from '../../manifest.js';
import { rigorMeets, tierRigor } from '../facts.js';
import { defineRule } from '../rule.js';
import { filled, isObject } from '../util.js';

export const e4 = defineRule({
  id: 'E4',
  title: 'Rigor fits the risk tier',
  phases: ['envision'],
  help: 'Rigor is at least the tier default (low: dialDown; medium: standard; high and critical: dialUp for fairImpartial, privacy and safeSecure, standard elsewhere), or the dimension carries a justification for dialing down.',
  rationale:
    'The effort spent on each dimension should follow the risk: a high-risk model gets more scrutiny on fairness, privacy and security, and dialing down is a decision someone writes down.',
  waivable: true,
  evaluate(facts) {
    const tai = facts.manifest.envision?.trustworthyAI;
    const out: Finding[] = [];
    for (const dimension of DIMENSIONS) {
      const dim = isObject(tai) ? tai[dimension] : undefined;
      if (!isObject(dim) || filled(dim.justification)) continue;
      const need = tierRigor(facts.tier, dimension);
      if (rigorMeets(dim.rigor, need)) continue;
      const rigor = dim.rigor === undefined ? undefined : String(dim.rigor);
      const at = ['envision', 'trustworthyAI', dimension];
      out.push(
        finding(
          'RIGOR_BELOW_TIER',
          rigor ? [...at, 'rigor'] : at,
          {
            dimension,
            need,
            ...(rigor !== undefined ? { rigor } : {}),
            ...(facts.tier !== undefined ? { tier: facts.tier } : {}),
          },
          { fix: { kind: 'edit', op: 'set', path: [...at, 'rigor'], value: need } },
        ),
      );
    }
    return out;
  },
});
