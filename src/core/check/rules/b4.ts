import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { documentFindings } from './common.js';

export const b4 = defineRule({
  id: 'B4',
  title: 'Model card and datasheets',
  phases: ['build'],
  help: 'A model card is tracked in git, and every dataset with personal data has a tracked datasheet.',
  rationale:
    'Whoever deploys, reviews or audits the model later needs to know what it is for, how it was trained and on which data, and where its limits lie.',
  waivable: true,
  targeted: true,
  legal: {
    ref: 'EU AI Act, Art. 10 (data governance) and Art. 11 with Annex IV (technical documentation)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const build = facts.manifest.build;
    const out: Finding[] = documentFindings(
      facts,
      facts.evidenceRef('modelCard'),
      { document: 'modelCard' },
      build ? ['build'] : [],
    );
    list(build?.datasets).forEach((d, index) => {
      if (!isObject(d) || d.personalData !== true) return;
      out.push(
        ...documentFindings(
          facts,
          facts.evidenceRef('datasheet', { index }),
          { document: 'datasheet', item: String(d.id), index },
          ['build', 'datasets', index],
        ),
      );
    });
    return out;
  },
});
