import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu11 = defineRule({
  id: 'EU11',
  title: 'Technical documentation (Annex IV)',
  phases: ['deploy'],
  help: 'Every item of the Annex IV technical documentation that the manifest and its evidence can hold is there: `mlops export annex-iv` shows what is missing.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 11 and Annex IV (technical documentation)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
