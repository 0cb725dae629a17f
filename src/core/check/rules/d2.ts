import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject } from '../util.js';
import { documentFindings } from './common.js';

export const d2 = defineRule({
  id: 'D2',
  title: 'Security review',
  phases: ['deploy'],
  help: 'A threat model is tracked in git, with zero open critical findings (and zero high ones at tier high and critical).',
  rationale:
    'A model is software exposed to attackers, and its inputs, data and outputs are new ways in: it ships once its threats are modelled and the serious findings are closed.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Art. 15 (accuracy, robustness and cybersecurity)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const deploy = facts.manifest.deploy;
    const sec = deploy?.securityReview;
    const out = documentFindings(
      facts,
      facts.evidenceRef('threatModel'),
      { document: 'threatModel' },
      deploy ? ['deploy', ...(sec ? ['securityReview'] : [])] : [],
    );
    const open = isObject(sec) ? sec.openFindings : undefined;
    if (!isObject(open)) {
      if (isObject(sec))
        out.push(finding('SECURITY_FINDINGS_UNSTATED', ['deploy', 'securityReview']));
      return out;
    }
    const at = ['deploy', 'securityReview', 'openFindings'];
    const count = (v: unknown): { count?: number } => (typeof v === 'number' ? { count: v } : {});
    if (open.critical !== 0)
      out.push(
        finding('SECURITY_FINDINGS_OPEN', [...at, 'critical'], {
          level: 'critical',
          ...count(open.critical),
        }),
      );
    const tier = facts.tier;
    if ((tier === 'high' || tier === 'critical') && open.high !== 0)
      out.push(
        finding('SECURITY_FINDINGS_OPEN', [...at, 'high'], {
          level: 'high',
          tier,
          ...count(open.high),
        }),
      );
    return out;
  },
});
