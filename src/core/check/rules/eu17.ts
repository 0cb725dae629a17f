import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu17 = defineRule({
  id: 'EU17',
  title: 'Quality management system',
  phases: ['deploy'],
  help: 'A high-risk system (provider) names the committed document of the quality management system that covers it (`deploy.conformity.qualityManagement`) (EU AI Act Art. 17).',
  rationale:
    'The provider of a high-risk system puts a quality management system in place, documented in written policies, procedures and instructions (Art. 17(1)): the system is released under it, and the manifest points to it.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 17 (quality management system)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    return euDocumentFindings(facts, 'qualityManagement', () =>
      finding('EU_QUALITY_MANAGEMENT_MISSING', ['deploy', 'conformity', 'qualityManagement']),
    );
  },
});
