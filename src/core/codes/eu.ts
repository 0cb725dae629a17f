import type { CodeMeta } from './index.js';

/** Findings of the EU AI Act obligation rules (src/core/check/rules/eu*.ts). */
export const EU_CODES = {
  EU_PLACEHOLDER_REMOVE_ME: { severity: 'error' },
} as const satisfies Record<string, CodeMeta>;
