import type { CodeMeta } from './index.js';

/** Findings of reading a config file (mlops.config.yaml) against its schema. */
export const CONFIG_CODES = {
  CONFIG_EMPTY: { severity: 'error' },
  CONFIG_NOT_A_MAPPING: { severity: 'error' },
  CONFIG_REQUIRED: { severity: 'error' },
  CONFIG_UNKNOWN_KEY: { severity: 'error' },
  CONFIG_ENUM: { severity: 'error' },
  CONFIG_TYPE: { severity: 'error' },
  CONFIG_IGNORE_PATTERN: { severity: 'error' },
  CONFIG_INVALID: { severity: 'error' },
} as const satisfies Record<string, CodeMeta>;
