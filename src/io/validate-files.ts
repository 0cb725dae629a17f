import type { Finding } from '../core/findings.js';
import type { ManifestName } from '../core/manifest/reader.js';
import type { SchemaValidator } from '../core/manifest/schema-findings.js';
import { dirname, resolve } from 'node:path';
import { cwdOf, holds, readCheckedInput, readScopeOf, realOf, repositoryScopeOf } from './read.js';
import type { ReadScope, ScopeOptions } from './read.js';

/** One manifest to validate: where it is, and the name it has in the output. */
export interface FileJob {
  abs: string;
  file: string;
  /**
   * Where nothing may be read outside of. Without it, the repository holding the file (see
   * `readScopeOf`, with the folder the command runs in taken from `abs` and `file`), and every
   * folder on the way is checked.
   */
  scope?: ReadScope;
  /** The walk that found it saw a regular file (see ReadOptions.regular). */
  regular?: boolean;
}

/** What validating one manifest gives: its findings, and its name for the repository pass. */
export interface ManifestOutcome {
  findings: Finding[];
  name?: ManifestName;
}

/** Reads a manifest, refusing (with a finding) one that cannot be read safely or as UTF-8. */
export function readManifestText(job: FileJob): { text: string } | { finding: Finding } {
  // decoded at once, so the bytes can be read into the buffer every read reuses
  const read = readManifestBytes(job, { reuse: true });
  return 'finding' in read ? read : { text: read.bytes.toString('utf8') };
}

/** Reused by readManifestBytes, so that a warm run allocates no buffer per file. */
const scratch = { buffer: Buffer.allocUnsafe(64 * 1024) };

/**
 * The scope each of `files` (absolute, as discovery found them for `paths`) is read in: the
 * repository (`repoRoot`, else the one holding the file) for files in one; outside, the folder
 * named on the command line that holds the file (or `cwd` without paths). A file named itself
 * outside any repository is followed wherever it leads (the user chose it). Files found by
 * discovery (`git ls-files`, or a walk that enters no symlinked folder) have trusted parents.
 */
export function readScopes(
  files: readonly string[],
  options: Parameters<typeof scopesOf>[1],
): ReadScope[] {
  const scopeOf = scopesOf(files, options);
  return files.map((_, i) => scopeOf(i));
}

/**
 * `readScopes`, one file at a time, as asked: a run answered from the result cache reads no
 * file, and needs no scope.
 */
export function scopesOf(
  files: readonly string[],
  options: {
    cwd: string;
    paths: readonly string[];
    repoRoot?: string;
    /** What discovery's walk saw (`Discovered.configs`): see ScopeOptions.walked. */
    walked?: ScopeOptions['walked'];
  },
): (index: number) => ReadScope {
  const cwd = resolve(options.cwd);
  const named = options.paths.map((p) => resolve(cwd, p));
  const namedFiles = new Set(named);
  // the deepest named folder first
  const folders = (named.length === 0 ? [cwd] : named).sort((a, b) => b.length - a.length);
  const folderScopes = new Map<string, ReadScope>();
  // built once, not per file: a file named on the command line is read with untrusted parents
  const shared: ScopeOptions = {
    ...(options.repoRoot !== undefined ? { repoRoot: options.repoRoot } : {}),
    ...(options.walked !== undefined ? { walked: options.walked } : {}),
  };
  const trusted: ScopeOptions = { ...shared, trustedParents: true };
  const untrusted: ScopeOptions = { ...shared, trustedParents: false };
  return (index) => {
    const abs = files[index]!;
    const given = namedFiles.has(abs);
    const repo = repositoryScopeOf(abs, cwd, given ? untrusted : trusted);
    if (repo !== undefined) return repo;
    if (given) return { within: 'folder' };
    const folder = folders.find((f) => holds(f, abs)) ?? dirname(abs);
    let scope = folderScopes.get(folder);
    if (scope === undefined) {
      scope = { realRoot: realOf(folder), within: 'folder', trustedParents: true };
      folderScopes.set(folder, scope);
    }
    return scope;
  };
}

/** The scope a job is read in: its own, or the one `readScopeOf` gives. */
export function jobScope(job: FileJob): ReadScope {
  return job.scope ?? readScopeOf(job.abs, cwdOf(job.abs, job.file));
}

/**
 * The bytes of a manifest, which is all a run answered from the cache needs: they are hashed
 * as they are, never decoded. One lstat, one open (the size check and the read), and for a path
 * not known to come from discovery, one readlink of where the open file is. Anything that is
 * not a regular UTF-8 file inside the scope is a finding, and is never cached. With `reuse`,
 * the bytes are in a buffer that the next call overwrites.
 */
export function readManifestBytes(
  job: FileJob,
  options: { reuse?: boolean } = {},
): { bytes: Buffer } | { finding: Finding } {
  return readCheckedInput(job.abs, job.file, {
    scope: jobScope(job),
    ...(job.regular ? { regular: true } : {}),
    ...(options.reuse ? { scratch } : {}),
  });
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
  options: { asJson?: 'later' } = {},
): Promise<ManifestOutcome> {
  reader ??= await import('../core/manifest/reader.js');
  const read = reader.readManifest(text, file, validator);
  const name = reader.manifestName(read);
  // findings as the result cache gives them back (through JSON): the same on every path, and
  // holding no slice of the text, which a run keeps for every manifest with a finding; a
  // worker thread sends a whole batch as one JSON text instead (`asJson: 'later'`)
  const findings =
    read.findings.length === 0 || options.asJson === 'later'
      ? read.findings
      : (JSON.parse(JSON.stringify(read.findings)) as Finding[]);
  return { findings, ...(name ? { name } : {}) };
}

/** Reads and validates manifests one after the other, in this thread. */
export async function validateJobs(
  jobs: readonly FileJob[],
  validator: SchemaValidator,
  options: { asJson?: 'later' } = {},
): Promise<ManifestOutcome[]> {
  const out: ManifestOutcome[] = [];
  for (const job of jobs) {
    const read = readManifestText(job);
    out.push(
      'finding' in read
        ? { findings: [read.finding] }
        : await validateManifestText(read.text, job.file, validator, options),
    );
  }
  return out;
}
