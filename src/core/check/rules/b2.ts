import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';

export const b2 = defineRule({
  id: 'B2',
  title: 'Value evaluated',
  phases: ['build'],
  help: 'Every value metric has an evaluation of kind value (with its valueMetric): business value side by side with statistical metrics.',
  rationale:
    'Statistical scores do not say whether the business gains: each value metric is projected from the candidate before the model is deployed.',
  waivable: true,
  evaluate(facts) {
    const evaluations = list(facts.manifest.build?.evaluations);
    const selected: unknown = facts.manifest.build?.selected?.candidate;
    const candidate =
      typeof selected === 'string' && selected !== '' ? { candidate: selected } : {};
    return list(facts.manifest.envision?.valueMetrics).flatMap((v, i) => {
      if (!isObject(v)) return [];
      const has = evaluations.some(
        (e) => isObject(e) && e.kind === 'value' && e.valueMetric === v.id,
      );
      return has
        ? []
        : [
            finding('VALUE_EVALUATION_MISSING', ['envision', 'valueMetrics', i, 'id'], {
              id: String(v.id),
              ...candidate,
            }),
          ];
    });
  },
});
