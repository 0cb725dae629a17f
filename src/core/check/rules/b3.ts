import { defineRule } from '../rule.js';
import { guardrailFindings } from './common.js';

export const b3 = defineRule({
  id: 'B3',
  title: 'Build guardrails within bounds',
  phases: ['build'],
  help: 'Every guardrail active in build has committed JSON or YAML evidence whose observed value lies within its bounds.',
  rationale:
    'Trustworthy AI guardrails belong in the development process, not after it: before release, the committed measurement shows that the model stays within the bounds agreed in Envision.',
  waivable: true,
  targeted: true,
  evaluate: (facts) => guardrailFindings(facts, 'build'),
});
