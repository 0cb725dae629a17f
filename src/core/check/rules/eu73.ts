import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu73 = defineRule({
  id: 'EU73',
  title: 'Serious-incident reporting',
  phases: ['monitor'],
  help: 'A high-risk system (provider) has a committed serious-incident procedure (`monitor.postMarket.incidentProcedure`) and a trigger on incident.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 73 (reporting of serious incidents)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
