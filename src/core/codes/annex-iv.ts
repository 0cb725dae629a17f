import type { CodeMeta } from './index.js';

/** Findings about the Annex IV technical documentation (rule EU11, `mlops export annex-iv`). */
export const ANNEX_IV_CODES = {
  ANNEX_IV_INCOMPLETE: { severity: 'error' },
} as const satisfies Record<string, CodeMeta>;
