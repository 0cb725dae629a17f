import type { CheckCode } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

export const CHECK_MESSAGES = {} satisfies Record<CheckCode, MessageSpec>;
