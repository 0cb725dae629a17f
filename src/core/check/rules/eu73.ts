import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

export const eu73 = defineRule({
  id: 'EU73',
  title: 'Serious-incident reporting',
  phases: ['monitor'],
  help: 'A high-risk system (provider) has a committed serious-incident procedure (`monitor.postMarket.incidentProcedure`) and a trigger `on: incident` in `monitor.triggers` (EU AI Act Art. 73).',
  rationale:
    'The provider reports any serious incident to the market surveillance authority within days of learning of it (Art. 73(1), 73(2)): that needs a written procedure, and a trigger that starts it.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 73 (reporting of serious incidents)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    const out: Finding[] = euDocumentFindings(facts, 'incidentProcedure', () =>
      finding('EU_INCIDENT_PROCEDURE_MISSING', ['monitor', 'postMarket', 'incidentProcedure']),
    );
    const triggers = facts.manifest.monitor?.triggers;
    if (!list(triggers).some((t) => isObject(t) && t.on === 'incident'))
      out.push(finding('EU_INCIDENT_TRIGGER_MISSING', ['monitor', 'triggers']));
    return out;
  },
});
