import type { Diagnostic } from './diagnostics.js';

/** Manifests are small; anything larger is a mistake or an attack, and is not parsed. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Manifests have no need for deep aliasing; this stops "billion laughs" expansion. */
export const MAX_ALIAS_COUNT = 50;

/** The finding for a file over the size limit; callers can make it without reading the file. */
export function tooLargeFinding(file: string, bytes: number): Diagnostic {
  return {
    code: 'FILE_TOO_LARGE',
    severity: 'error',
    message: `file is ${(bytes / 1024 / 1024).toFixed(1)} MiB; manifests are limited to 1 MiB`,
    file,
    path: [],
    line: 1,
    column: 1,
    hint: 'keep large reports in evidence files and point to them',
  };
}
