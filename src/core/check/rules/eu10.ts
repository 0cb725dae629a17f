import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

/** The data-governance facts Art. 10(2) asks for, in the order a hint lists them. */
const GOVERNANCE = ['origin', 'preparation', 'biasExamination', 'gaps'] as const;

export const eu10 = defineRule({
  id: 'EU10',
  title: 'Data and data governance',
  phases: ['build'],
  help: 'A high-risk system (provider) lists its datasets, each with a committed datasheet, and `build.dataGovernance` states the origin, preparation, bias examination and gaps of the data (EU AI Act Art. 10).',
  rationale:
    'The training, validation and test data of a high-risk system are governed: where they come from, how they were prepared, which biases were looked for and which gaps remain are written down, dataset by dataset (Art. 10(2)).',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 10 (data and data governance)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    const build = facts.manifest.build;
    const out: Finding[] = [];
    const datasets = list(build?.datasets);
    if (!datasets.some(isObject))
      out.push(
        finding(
          'EU_DATASETS_NONE',
          Array.isArray(build?.datasets) ? ['build', 'datasets'] : build ? ['build'] : [],
        ),
      );
    datasets.forEach((d, index) => {
      if (!isObject(d)) return;
      const id = String(d.id);
      out.push(
        ...euDocumentFindings(
          facts,
          'datasheet',
          () => finding('EU_DATASHEET_MISSING', ['build', 'datasets', index], { id, index }),
          { index },
        ),
      );
    });
    const dg: unknown = build?.dataGovernance;
    const missing = GOVERNANCE.filter((k) => !isObject(dg) || !filled(dg[k]));
    if (missing.length > 0)
      out.push(
        finding(
          'EU_DATA_GOVERNANCE_INCOMPLETE',
          isObject(dg) ? ['build', 'dataGovernance'] : build ? ['build'] : [],
          { missing, section: isObject(dg) },
        ),
      );
    return out;
  },
});
