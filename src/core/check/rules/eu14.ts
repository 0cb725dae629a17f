import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu14 = defineRule({
  id: 'EU14',
  title: 'Human oversight',
  phases: ['deploy'],
  help: 'A high-risk system (provider) has human oversight in_loop or on_loop, never none, with a committed procedure.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 14 (human oversight)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
