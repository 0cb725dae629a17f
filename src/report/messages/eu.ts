import type { Code } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

/** The words of the EU AI Act obligation rules' findings. */
export const EU_MESSAGES = {
  EU_PLACEHOLDER_REMOVE_ME: {
    title: 'placeholder',
    help: 'placeholder',
    message: () => 'placeholder',
  },
} satisfies Partial<Record<Code, MessageSpec>>;
