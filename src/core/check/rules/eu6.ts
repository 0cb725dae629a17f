import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu6 = defineRule({
  id: 'EU6',
  title: 'High-risk classification held',
  phases: ['envision'],
  help: 'A high-risk system names its legal basis (`metadata.euAiAct.legalBasis`: Annex I or the Annex III point) and its riskTier is high or critical.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Art. 6 and Annex I/III (classification of high-risk systems)',
    url: EU_AI_ACT_URL,
  },
  evaluate() {
    return [];
  },
});
