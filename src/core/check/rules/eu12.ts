import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu12 = defineRule({
  id: 'EU12',
  title: 'Automatic logging',
  phases: ['deploy'],
  help: 'A high-risk system (provider) records events automatically over its lifetime (`deploy.logging.automatic: true`), with a committed logging specification (`deploy.logging.specification`) (EU AI Act Art. 12).',
  rationale:
    'A high-risk system technically allows the automatic recording of events over its lifetime, so that what it did can be traced, risks identified and its operation monitored after the fact (Art. 12(1), 12(2)).',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 12 (record-keeping)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    const logging = facts.manifest.deploy?.logging;
    const out: Finding[] = [];
    if (logging?.automatic !== true)
      out.push(
        finding(
          'EU_LOGGING_NOT_AUTOMATIC',
          ['deploy', 'logging', 'automatic'],
          { ...(logging?.automatic === false ? { automatic: false } : {}) },
          {
            fix: { kind: 'edit', op: 'set', path: ['deploy', 'logging', 'automatic'], value: true },
          },
        ),
      );
    out.push(
      ...euDocumentFindings(facts, 'loggingSpec', () =>
        finding('EU_LOGGING_SPEC_MISSING', ['deploy', 'logging', 'specification']),
      ),
    );
    return out;
  },
});
