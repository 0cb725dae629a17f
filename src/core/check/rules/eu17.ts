import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu17 = defineRule({
  id: 'EU17',
  title: 'Quality management system',
  phases: ['deploy'],
  help: 'A high-risk system (provider) names its quality management system (`deploy.conformity.qualityManagement`), committed.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 17 (quality management system)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
