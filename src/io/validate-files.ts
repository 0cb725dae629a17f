import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Finding } from '../core/findings.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../core/manifest/limits.js';
import type { ManifestName } from '../core/manifest/reader.js';
import type { SchemaValidator } from '../core/manifest/schema-findings.js';
import { InputError } from '../errors.js';

/** One manifest to validate: where it is, and the name it has in the output. */
export interface FileJob {
  abs: string;
  file: string;
}

/** What validating one manifest gives: its findings, and its name for the repository pass. */
export interface ManifestOutcome {
  findings: Finding[];
  name?: ManifestName;
}

/** Reads a manifest, refusing (with a finding) one over the size limit. */
export function readManifestText(job: FileJob): { text: string } | { finding: Finding } {
  // decoded at once, so the bytes can be read into the buffer every read reuses
  const read = readManifestBytes(job, { reuse: true });
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
): { bytes: Buffer } | { finding: Finding } {
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

let reader: typeof import('../core/manifest/reader.js') | undefined;

/**
 * Validates one manifest's text with the reader every command uses. The reader is loaded on
 * first use, so that a run answered from the result cache loads no parser at all.
 */
export async function validateManifestText(
  text: string,
  file: string,
  validator: SchemaValidator,
): Promise<ManifestOutcome> {
  reader ??= await import('../core/manifest/reader.js');
  const read = reader.readManifest(text, file, validator);
  const name = reader.manifestName(read);
  // findings as the result cache gives them back: the same on every path, and holding no
  // slice of the text, which a run keeps for every manifest with a finding
  const findings =
    read.findings.length === 0 ? [] : (JSON.parse(JSON.stringify(read.findings)) as Finding[]);
  return { findings, ...(name ? { name } : {}) };
}

/** Reads and validates manifests one after the other, in this thread. */
export async function validateJobs(
  jobs: readonly FileJob[],
  validator: SchemaValidator,
): Promise<ManifestOutcome[]> {
  const out: ManifestOutcome[] = [];
  for (const job of jobs) {
    const read = readManifestText(job);
    out.push(
      'finding' in read
        ? { findings: [read.finding] }
        : await validateManifestText(read.text, job.file, validator),
    );
  }
  return out;
}
