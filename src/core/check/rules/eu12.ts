import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu12 = defineRule({
  id: 'EU12',
  title: 'Automatic logging',
  phases: ['deploy'],
  help: 'A high-risk system (provider) records events automatically (`deploy.logging.automatic: true`) with a committed logging specification.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 12 (record-keeping)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
