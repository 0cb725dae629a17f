import type { CodeMeta } from './index.js';

export const CONFIG_CODES = {} as const satisfies Record<string, CodeMeta>;
