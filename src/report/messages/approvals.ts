import type { Code } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

/** Who signed an approval, and whether it counts (rule G3, `approvals.identity`). */
export const APPROVAL_MESSAGES = {
  APPROVAL_UNBOUND: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_UNCOMMITTED: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_FUTURE: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_NOT_AUTHORED: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_NOT_SIGNED: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_RECORDED: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_SAME_PERSON: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_NOT_INDEPENDENT: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
  APPROVAL_EARLIER_SHAPE: { title: 'TODO', help: 'TODO', message: () => 'TODO' },
} satisfies Partial<Record<Code, MessageSpec>>;
