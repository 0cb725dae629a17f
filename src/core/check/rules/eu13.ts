import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu13 = defineRule({
  id: 'EU13',
  title: 'Instructions for use',
  phases: ['deploy'],
  help: 'A high-risk system (provider, importer or distributor) has committed instructions for use (`deploy.instructionsForUse`).',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Art. 13 (transparency and provision of information to deployers)',
    url: EU_AI_ACT_URL,
  },
  evaluate() {
    return [];
  },
});
