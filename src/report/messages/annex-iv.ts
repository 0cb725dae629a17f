import type { Code } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

/** The words of the Annex IV findings (rule EU11). */
export const ANNEX_IV_MESSAGES = {
  ANNEX_IV_INCOMPLETE: {
    title: 'Technical documentation incomplete',
    help: 'TODO',
    message: () => 'TODO',
  },
} satisfies Partial<Record<Code, MessageSpec>>;
