import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu72 = defineRule({
  id: 'EU72',
  title: 'Post-market monitoring plan',
  phases: ['monitor'],
  help: 'A high-risk system (provider) has a committed post-market monitoring plan (`monitor.postMarket.plan`).',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 72 (post-market monitoring)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
