import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu72 = defineRule({
  id: 'EU72',
  title: 'Post-market monitoring plan',
  phases: ['monitor'],
  help: 'A high-risk system (provider) has a committed post-market monitoring plan (`monitor.postMarket.plan`) (EU AI Act Art. 72).',
  rationale:
    'The provider of a high-risk system collects and analyses data on its performance throughout its lifetime, following a post-market monitoring plan that is part of the technical documentation (Art. 72(1), 72(3)).',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 72 (post-market monitoring)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    return euDocumentFindings(facts, 'postMarketPlan', () =>
      finding('EU_POST_MARKET_PLAN_MISSING', ['monitor', 'postMarket', 'plan']),
    );
  },
});
