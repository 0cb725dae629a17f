import { fingerprintOf, pathByIds } from '../findings.js';
import type { Finding } from '../findings.js';
import type { CheckCode } from '../codes/index.js';
import type { Phase } from '../manifest.js';
import type { RuleId } from './registry.js';

/**
 * The args that tell two findings of a code at one path apart. Everything else in args (shown
 * paths, observed values, dates) may change while the problem stays the same one.
 */
const IDENTIFYING_ARGS: Partial<Record<CheckCode, readonly string[]>> = {
  STAKEHOLDER_ROLE_MISSING: ['roles'],
  APPROVAL_MISSING: ['role'],
  APPROVAL_STALE: ['role'],
  APPROVAL_REJECTED: ['role'],
  APPROVAL_NO_DIGEST: ['role'],
  DIMENSION_MISSING: ['dimension'],
  DOCUMENT_MISSING: ['document'],
  VALUE_TRACKING_UNREADABLE: ['id'],
  VALUE_UNREPORTED: ['id'],
};

/**
 * A readiness finding's fingerprint: the model, the rule and phase that found it, its code, its
 * path by ids and what identifies it. Never the file, a line or a list position, so it holds
 * across runs, reorders and moves.
 */
export function checkFingerprint(
  model: string | undefined,
  rule: RuleId,
  phase: Phase,
  f: Finding,
  manifest: unknown,
): string {
  const keys = IDENTIFYING_ARGS[f.code as CheckCode] ?? [];
  return fingerprintOf([
    model ?? null,
    rule,
    phase,
    f.code,
    pathByIds(manifest, f.path),
    ...keys.map((k) => f.args[k] ?? null),
  ]);
}
