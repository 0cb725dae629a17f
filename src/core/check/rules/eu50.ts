import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu50 = defineRule({
  id: 'EU50',
  title: 'Transparency disclosure',
  phases: ['deploy'],
  help: 'A system with Art. 50 duties (`art50: true`) has its committed disclosure (`deploy.disclosure`): the notice, label or script people see.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 50 (transparency obligations)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
