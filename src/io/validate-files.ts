import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostics.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../core/limits.js';
import type { SchemaValidator } from '../core/schema-errors.js';
import { InputError } from '../errors.js';

/** One manifest to validate: where it is, and the name it has in the output. */
export interface FileJob {
  abs: string;
  file: string;
}

let fast: typeof import('../core/validate-fast.js').isCleanFast | undefined;
let slow: typeof import('../core/validate.js').validateSlow | undefined;

/** Reads a manifest, refusing (with a finding) one over the size limit. */
export function readManifest(job: FileJob): { text: string } | { finding: Diagnostic } {
  try {
    const size = statSync(job.abs).size;
    if (size > MAX_MANIFEST_BYTES) return { finding: tooLargeFinding(job.file, size) };
    return { text: readFileSync(job.abs, 'utf8') };
  } catch (cause) {
    throw new InputError(`cannot read ${job.file}`, { cause, hint: 'check that the file exists and is readable' });
  }
}

/**
 * Findings for one manifest's text. The parsers are loaded on first use, so a run answered from
 * the cache loads neither; the positional parser (`yaml`, most of the cost) is used only for
 * files the fast path does not find clean.
 */
export async function validateManifestText(text: string, file: string, validator: SchemaValidator): Promise<Diagnostic[]> {
  fast ??= (await import('../core/validate-fast.js')).isCleanFast;
  if (fast(text, validator)) return [];
  slow ??= (await import('../core/validate.js')).validateSlow;
  return slow(text, file, validator);
}
