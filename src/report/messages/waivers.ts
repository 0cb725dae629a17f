import type { Code } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

/** Waivers: what they excuse, who approved them, and how long they hold. */
export const WAIVER_MESSAGES = {
  WAIVER_EXPIRING: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  WAIVER_NOT_IN_FORCE: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  WAIVER_EARLIER_SHAPE: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  WAIVER_NOT_WAIVABLE: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
} satisfies Partial<Record<Code, MessageSpec>>;
