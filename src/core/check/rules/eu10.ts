import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu10 = defineRule({
  id: 'EU10',
  title: 'Data and data governance',
  phases: ['build'],
  help: 'Every dataset of a high-risk system (provider) has a committed datasheet, and `build.dataGovernance` states origin, preparation, bias examination and gaps.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 10 (data and data governance)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
