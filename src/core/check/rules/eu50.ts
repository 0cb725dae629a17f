import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu50 = defineRule({
  id: 'EU50',
  title: 'Transparency disclosure',
  phases: ['deploy'],
  help: 'A system with Art. 50 duties (`metadata.euAiAct.art50: true`, or the earlier `classification: limited`), whatever its risk class, has its committed disclosure (`deploy.disclosure`): the notice, label or script people see (EU AI Act Art. 50).',
  rationale:
    'People are told that they interact with an AI system, that content is generated or manipulated, or that emotion recognition or biometric categorisation is applied to them (Art. 50): the disclosure they see is written and kept.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 50 (transparency obligations)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    const { art50, view } = euDuties(facts);
    if (!art50) return [];
    return euDocumentFindings(facts, 'disclosure', () =>
      finding('EU_DISCLOSURE_MISSING', ['deploy', 'disclosure'], {
        duties: view.art50Duties,
        earlierShape: view.earlierShape,
      }),
    );
  },
});
