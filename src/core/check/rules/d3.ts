import { finding } from '../../findings.js';
import type { PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled } from '../util.js';
import { documentFindings } from './common.js';

export const d3 = defineRule({
  id: 'D3',
  title: 'Integration and oversight',
  phases: ['deploy'],
  help: 'A runbook and a rollback are given; at tier high and critical, human oversight is in_loop or on_loop.',
  rationale:
    'A model delivers value only once it is part of the business process: the people who work with it know how their work changes and how to run it and roll it back, and at high risk a person can see and overrule its decisions.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Art. 14 (human oversight)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const deploy = facts.manifest.deploy;
    const integ = deploy?.integration;
    const at: PathSegment[] = integ ? ['deploy', 'integration'] : deploy ? ['deploy'] : [];
    const out = documentFindings(facts, facts.evidenceRef('runbook'), { document: 'runbook' }, at);
    if (!filled(integ?.rollback)) out.push(finding('ROLLBACK_MISSING', at));
    const tier = facts.tier;
    if (tier === 'high' || tier === 'critical') {
      const mode: unknown = integ?.humanOversight?.mode;
      if (mode !== 'in_loop' && mode !== 'on_loop') {
        out.push(
          finding(
            'HUMAN_OVERSIGHT_INSUFFICIENT',
            integ?.humanOversight ? ['deploy', 'integration', 'humanOversight', 'mode'] : at,
            { tier, ...(mode !== undefined && mode !== null ? { mode: String(mode) } : {}) },
          ),
        );
      }
    }
    return out;
  },
});
