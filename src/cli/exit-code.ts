import type { Severity } from '../core/diagnostics.js';

export type FailOn = Severity | 'none';
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The exit-code policy of every command, in one place: 1 when anything is at or above
 * `failOn`, else 0. (2, "could not run", comes from errors thrown before a result exists.)
 */
export function exitCodeFor(findings: readonly { severity: Severity }[], failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  return findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? 1 : 0;
}
