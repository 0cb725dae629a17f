import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu14 = defineRule({
  id: 'EU14',
  title: 'Human oversight',
  phases: ['deploy'],
  help: 'A high-risk system (provider) has human oversight in_loop or on_loop (`deploy.integration.humanOversight.mode`), never none, with a committed oversight procedure (`humanOversight.procedure`) (EU AI Act Art. 14).',
  rationale:
    'A high-risk system is designed so that natural persons can oversee it while it is in use: understand its output, decide not to use it, override or stop it (Art. 14(1), 14(4)). Oversight set to none, or with no written procedure, is not oversight.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 14 (human oversight)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    const ho = facts.manifest.deploy?.integration?.humanOversight;
    const mode: unknown = ho?.mode;
    const out: Finding[] = [];
    if (mode !== 'in_loop' && mode !== 'on_loop') {
      const at = ['deploy', 'integration', 'humanOversight', 'mode'];
      out.push(
        finding(
          'EU_OVERSIGHT_INSUFFICIENT',
          at,
          { ...(typeof mode === 'string' ? { mode } : {}) },
          { fix: { kind: 'edit', op: 'set', path: at, value: 'in_loop' } },
        ),
      );
    }
    out.push(
      ...euDocumentFindings(facts, 'oversightProcedure', () =>
        finding('EU_OVERSIGHT_PROCEDURE_MISSING', [
          'deploy',
          'integration',
          'humanOversight',
          'procedure',
        ]),
      ),
    );
    return out;
  },
});
