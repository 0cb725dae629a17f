import type { ConfigCode } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

export const CONFIG_MESSAGES = {} satisfies Record<ConfigCode, MessageSpec>;
