import type { CodeMeta } from './index.js';

/**
 * Findings of comparing two revisions of a manifest: each change by its class (of its text, or
 * of the evidence it names), the versioning rule, and a side that does not parse or does not
 * validate (an error at the head; the base's is lowered to a warning, since the change did not
 * cause it).
 */
export const DIFF_CODES = {
  CHANGE_LOOSENED: { severity: 'error' },
  CHANGE_BREAKING: { severity: 'error' },
  CHANGE_REMOVED: { severity: 'warning' },
  CHANGE_CHANGED: { severity: 'info' },
  CHANGE_ADDED: { severity: 'info' },
  CHANGE_TIGHTENED: { severity: 'info' },
  CHANGE_BREACHED: { severity: 'error' },
  CHANGE_DEGRADED: { severity: 'warning' },
  CHANGE_IMPROVED: { severity: 'info' },
  CHANGE_EVIDENCE: { severity: 'info' },
  CHANGE_STALE_APPROVAL: { severity: 'warning' },
  VERSION_NOT_BUMPED: { severity: 'error' },
  VERSION_BUMP_TOO_SMALL: { severity: 'error' },
  VERSION_DOWNGRADED: { severity: 'error' },
  VERSION_INVALID: { severity: 'error' },
  CANNOT_DIFF: { severity: 'error' },
  SIDE_INVALID: { severity: 'error' },
} as const satisfies Record<string, CodeMeta>;
