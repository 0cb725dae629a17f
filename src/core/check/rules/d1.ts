import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject } from '../util.js';
import { documentFindings } from './common.js';

export const d1 = defineRule({
  id: 'D1',
  title: 'Data protection',
  phases: ['deploy'],
  help: 'When the model processes personal data, a DPIA is tracked in git.',
  rationale:
    'Processing personal data at scale, and automated decisions about people, need their risks to those people assessed before the processing starts.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'GDPR, Art. 35 (data protection impact assessment)',
    url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
  },
  evaluate(facts) {
    const deploy = facts.manifest.deploy;
    const dp = deploy?.dataProtection;
    const personal = facts.personalData;
    if (!isObject(dp)) {
      return personal || !deploy
        ? [finding('DATA_PROTECTION_MISSING', deploy ? ['deploy'] : [], { personalData: personal })]
        : [finding('DATA_PROTECTION_UNSTATED', ['deploy'])];
    }
    if (dp.personalData !== true && !personal) return [];
    return documentFindings(facts, facts.evidenceRef('dpia'), { document: 'dpia' }, [
      'deploy',
      'dataProtection',
    ]);
  },
});
