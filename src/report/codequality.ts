import { fingerprintOf } from '../core/findings.js';
import type { Severity } from '../core/findings.js';
import { jsonText } from './escape.js';

/** One finding as GitLab's Code Quality report takes it (a subset of the Code Climate issue). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

/** A finding for the report: where (relative to the repository root), what, and its fingerprint. */
export interface CodeQualityInput {
  checkName: string;
  severity: Severity;
  message: string;
  hint?: string;
  file: string;
  line?: number;
  /** The finding's stable fingerprint; without one, one is made from what the finding is. */
  fingerprint?: string;
  /** What tells this finding apart when it has no fingerprint (its path in the manifest, its args). */
  identity?: readonly unknown[];
}

const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = {
  error: 'major',
  warning: 'minor',
  info: 'info',
};

/**
 * The JSON array GitLab reads as a Code Quality report. GitLab tells issues apart by their
 * fingerprint, so each is unique in the report: one that is already taken (the same finding
 * twice) is followed by its number, made into a fingerprint of its own.
 */
export function renderCodeQuality(inputs: readonly CodeQualityInput[]): string {
  const taken = new Set<string>();
  const issues = inputs.map((i): CodeQualityIssue => {
    let fingerprint =
      i.fingerprint ?? fingerprintOf(['mlops', i.checkName, i.file, ...(i.identity ?? [])]);
    for (let n = 2; taken.has(fingerprint); n++) fingerprint = fingerprintOf([fingerprint, n]);
    taken.add(fingerprint);
    return {
      description: i.hint ? `${i.message}. ${i.hint}` : i.message,
      check_name: i.checkName,
      fingerprint,
      severity: SEVERITY[i.severity],
      location: { path: i.file, lines: { begin: i.line ?? 1 } },
    };
  });
  return `${jsonText(issues)}\n`;
}
