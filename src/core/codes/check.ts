import type { CodeMeta } from './index.js';

export const CHECK_CODES = {} as const satisfies Record<string, CodeMeta>;
