import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu13 = defineRule({
  id: 'EU13',
  title: 'Instructions for use',
  phases: ['deploy'],
  help: 'A high-risk system has committed instructions for use (`deploy.instructionsForUse`): the provider writes them, an importer or distributor verifies they come with the system (EU AI Act Arts 13, 23, 24).',
  rationale:
    'Deployers can use a high-risk system appropriately only when they know its intended purpose, its declared accuracy, its limits, the oversight it needs and how to read its output: the provider gives them instructions for use (Art. 13), and an importer or distributor makes sure they are there (Arts 23(1), 24(1)).',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Art. 13 (transparency and provision of information to deployers)',
    url: EU_AI_ACT_URL,
  },
  evaluate(facts) {
    const duties = euDuties(facts);
    if (!duties.highProvider && !duties.highImporterOrDistributor) return [];
    const role = duties.view.role ?? 'provider';
    return euDocumentFindings(facts, 'instructionsForUse', () =>
      finding('EU_INSTRUCTIONS_MISSING', ['deploy', 'instructionsForUse'], { role }),
    );
  },
});
