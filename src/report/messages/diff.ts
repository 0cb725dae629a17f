import type { DiffCode } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

export const DIFF_MESSAGES = {} satisfies Record<DiffCode, MessageSpec>;
