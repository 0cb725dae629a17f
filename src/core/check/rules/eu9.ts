import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';
import { euDuties } from './eu-common.js';

export const eu9 = defineRule({
  id: 'EU9',
  title: 'Risk management with residual risk',
  phases: ['envision'],
  help: 'A high-risk system (provider) names at least one risk, and every risk has a treatment and its residual likelihood and impact once treated (`residual: {likelihood, impact}`) (EU AI Act Art. 9).',
  rationale:
    'The provider of a high-risk system runs a risk management system: the known and foreseeable risks are identified, treated, and the risk that remains is estimated and judged acceptable (Art. 9(2), 9(5)).',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 9 (risk management system)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    const risks = facts.manifest.envision?.risks;
    if (!list(risks).some(isObject))
      return [
        finding('EU_RISKS_NONE', Array.isArray(risks) ? ['envision', 'risks'] : ['envision']),
      ];
    const out: Finding[] = [];
    list(risks).forEach((r, index) => {
      if (!isObject(r)) return;
      const at: PathSegment[] = ['envision', 'risks', index];
      const id = String(r.id);
      if (!filled(r.treatment)) out.push(finding('EU_RISK_UNTREATED', at, { id, index }));
      const residual = isObject(r.residual) ? r.residual : {};
      const missing = (['likelihood', 'impact'] as const).filter(
        (k) => typeof residual[k] !== 'number',
      );
      if (missing.length > 0)
        out.push(
          finding('EU_RISK_RESIDUAL_MISSING', isObject(r.residual) ? [...at, 'residual'] : at, {
            id,
            index,
            missing,
          }),
        );
    });
    return out;
  },
});
