import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu43 = defineRule({
  id: 'EU43',
  title: 'Conformity assessment and registration',
  phases: ['deploy'],
  help: 'Before deploy, a high-risk system (provider, importer or distributor) has its conformity assessment procedure and record, and the provider its EU declaration and its EU database registration.',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Arts 43, 47 and 49 (conformity assessment, EU declaration, registration)',
    url: EU_AI_ACT_URL,
  },
  evaluate() {
    return [];
  },
});
