import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu27 = defineRule({
  id: 'EU27',
  title: 'Fundamental-rights impact assessment',
  phases: ['deploy'],
  help: 'A deployer of an Annex III high-risk system (other than point 2) that is a public body or provides public services, or that uses Annex III point 5(b) or 5(c), has a committed FRIA (`deploy.fria`).',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 27 (fundamental rights impact assessment)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
