import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu9 = defineRule({
  id: 'EU9',
  title: 'Risk management with residual risk',
  phases: ['envision'],
  help: 'Every risk of a high-risk system (provider) has a treatment and its residual likelihood and impact (`residual`).',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 9 (risk management system)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
