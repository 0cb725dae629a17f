import { finding, fingerprintOf } from '../findings.js';
import type { Finding } from '../findings.js';

/** Manifests are small; anything larger is a mistake or an attack, and is not parsed. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Manifests have no need for deep aliasing; this stops "billion laughs" expansion. */
export const MAX_ALIAS_COUNT = 50;
/** Keys that could reach an object's prototype: refused wherever they appear. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** The finding for a file over the size limit; callers can make it without reading the file. */
export function tooLargeFinding(file: string, bytes: number): Finding {
  // the size is left out of the fingerprint: growing further is the same finding
  const fingerprint = fingerprintOf(['', 'FILE_TOO_LARGE', [], {}]);
  return finding('FILE_TOO_LARGE', [], { bytes }, { file, line: 1, column: 1, fingerprint });
}
