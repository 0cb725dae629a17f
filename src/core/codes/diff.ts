import type { CodeMeta } from './index.js';

export const DIFF_CODES = {} as const satisfies Record<string, CodeMeta>;
