import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { defineRule } from '../rule.js';

export const eu26 = defineRule({
  id: 'EU26',
  title: 'Deployer obligations',
  phases: ['deploy'],
  help: 'A deployer of a high-risk system assigns oversight to named stakeholders (`humanOversight.assignedTo`) and keeps the automatically generated logs at least six months (`deploy.logging.retentionDays` >= 184).',
  rationale:
    'The EU AI Act obligation applies from the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 26 (obligations of deployers)', url: EU_AI_ACT_URL },
  evaluate() {
    return [];
  },
});
