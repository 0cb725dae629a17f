import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
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
  const read = readManifestBytes(job);
  return 'finding' in read ? read : { text: read.bytes.toString('utf8') };
}

/** Reused by readManifestBytes, so that a warm run allocates no buffer per file. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The bytes of a manifest, which is all a run answered from the cache needs: they are hashed
 * as they are, never decoded. One open serves the size check and the read. With `reuse`, the
 * bytes are in a buffer that the next call overwrites.
 */
export function readManifestBytes(
  job: FileJob,
  options: { reuse?: boolean } = {},
): { bytes: Buffer } | { finding: Diagnostic } {
  let fd: number | undefined;
  try {
    fd = openSync(job.abs, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_MANIFEST_BYTES) return { finding: tooLargeFinding(job.file, size) };
    if (!options.reuse) return { bytes: readFileSync(fd) };
    if (scratch.length < size + 1)
      scratch = Buffer.allocUnsafe(Math.max(size + 1, scratch.length * 2));
    // read to the end, not to the size fstat gave: the file may have changed since
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_MANIFEST_BYTES) return { finding: tooLargeFinding(job.file, length) };
    return { bytes: scratch.subarray(0, length) };
  } catch (cause) {
    throw new InputError(`cannot read ${job.file}`, {
      cause,
      hint: 'check that the file exists and is readable',
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Findings for one manifest's text. The parsers are loaded on first use, so a run answered from
 * the cache loads neither; the positional parser (`yaml`, most of the cost) is used only for
 * files the fast path does not find clean.
 */
export async function validateManifestText(
  text: string,
  file: string,
  validator: SchemaValidator,
): Promise<Diagnostic[]> {
  fast ??= (await import('../core/validate-fast.js')).isCleanFast;
  if (fast(text, validator)) return [];
  slow ??= (await import('../core/validate.js')).validateSlow;
  return slow(text, file, validator);
}
