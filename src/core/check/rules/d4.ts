import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';

export const d4 = defineRule({
  id: 'D4',
  title: 'Value measurement planned',
  phases: ['deploy'],
  help: 'Every value metric has a measurement plan entry in deploy.valueMeasurement.',
  rationale:
    'Business value shows only in production, and only if its measurement is designed before launch: an A/B test, a holdout or a before-and-after comparison.',
  waivable: true,
  targeted: true,
  evaluate(facts) {
    const plans = list<{ valueMetric?: unknown }>(facts.manifest.deploy?.valueMeasurement);
    return list(facts.manifest.envision?.valueMetrics).flatMap((v, i) =>
      isObject(v) && !plans.some((p) => p?.valueMetric === v.id)
        ? [
            finding('VALUE_MEASUREMENT_MISSING', ['envision', 'valueMetrics', i, 'id'], {
              id: String(v.id),
              waiverTarget: String(v.id),
            }),
          ]
        : [],
    );
  },
});
