import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostics.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../core/limits.js';
import type { SchemaValidator } from '../core/schema-errors.js';
import { isCleanFast } from '../core/validate-fast.js';
import { InputError } from '../errors.js';

/** One manifest to validate: where it is, and the name it has in the output. */
export interface FileJob {
  abs: string;
  file: string;
}

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
 * Findings for one manifest's text. The positional parser (`yaml`, most of the cost) is loaded
 * and used only for files the fast path does not find clean.
 */
export async function validateManifestText(text: string, file: string, validator: SchemaValidator): Promise<Diagnostic[]> {
  if (isCleanFast(text, validator)) return [];
  slow ??= (await import('../core/validate.js')).validateSlow;
  return slow(text, file, validator);
}
