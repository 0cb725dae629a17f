import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu15 = defineRule({
  id: 'EU15',
  title: 'Declared accuracy, robustness and cybersecurity',
  phases: ['build'],
  help: 'A high-risk system (provider) declares its accuracy, robustness and cybersecurity: a guardrail with `declares` for each, active in build, with its evidence.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 15 (accuracy, robustness and cybersecurity)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
