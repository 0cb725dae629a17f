import { defineRule } from '../rule.js';
import { guardrailFindings } from './common.js';

export const b3 = defineRule({
  id: 'B3',
  title: 'Build guardrails within bounds',
  phases: ['build'],
  help: 'Every guardrail active in build has committed JSON or YAML evidence whose observed value lies within its bounds.',
  rationale:
    'A guardrail is a promise with a number: before release, the committed measurement shows the model keeps it.',
  waivable: true,
  evaluate: (facts) => guardrailFindings(facts, 'build'),
});
