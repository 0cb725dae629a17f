import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InputError } from '../errors.js';
import { loadValidator, readSchemaText } from './assets.js';
import {
  ValidateCache,
  cacheKey,
  loadContentHash,
  openValidateCache,
  statScope,
} from './validate-cache.js';
import type { FileStat } from './validate-cache.js';
import { readManifestBytes, validateJobs } from './validate-files.js';
import type { FileJob, ManifestOutcome } from './validate-files.js';
import type { ReadScope } from './read.js';
import type { Finding } from '../core/findings.js';

/** How `validateManifests` runs. */
export interface ValidateRunOptions {
  /** Where the run is, for the stats' scope (and `GIT_DIR`, relative to it). */
  cwd: string;
  /** For the cache's location (see `cacheDir`). */
  env: Record<string, string | undefined>;
  toolVersion: string;
  /** Read and write the result cache. */
  cache: boolean;
  /** Threads; undefined chooses by the number of manifests to parse. */
  threads?: number;
  /** The scope the file at an index of `files` is read in (`scopesOf`): asked only of those read. */
  scopeOf?: (index: number) => ReadScope;
  /** Whether the walk that found the file at an index saw a regular file (FileJob.regular). */
  regular?: (index: number) => boolean;
}

/**
 * Below this many manifests to parse, threads cost more than they save. Measured on 2 vCPUs
 * (11 alternating runs): one thread is faster at 400 (511 vs 557 ms) and at 1,000 (829 vs
 * 909 ms), even at 2,000 (1.29 vs 1.26 s), and two win from there (10,000: 4.2 vs 3.1 s):
 * each thread warms up its own JIT, and two vCPUs are not two cores.
 */
const MIN_FILES_FOR_WORKERS = 2000;

/**
 * Validates manifests (absolute paths; `display` is how each is shown) and returns, in the same
 * order, what each gave. Answers from the result cache where it can, and reads the rest with
 * the reader, in worker threads when there are many.
 */
export async function validateManifests(
  files: readonly string[],
  display: readonly string[],
  options: ValidateRunOptions,
): Promise<ManifestOutcome[]> {
  const cache = options.cache
    ? await openValidateCache({
        cwd: options.cwd,
        env: options.env,
        key: await cacheKey(options.toolVersion, readSchemaText),
        scope: statScope(files, options.cwd),
      })
    : undefined;
  const { regular } = options;
  // what reading the file at an index needs beyond its path: its scope, what the walk saw
  const readOptionsOf = (i: number): { scope?: ReadScope; regular?: boolean } => {
    const out: { scope?: ReadScope; regular?: boolean } = {};
    if (options.scopeOf) out.scope = options.scopeOf(i);
    if (regular?.(i)) out.regular = true;
    return out;
  };
  const results: ManifestOutcome[] = new Array(files.length);
  const hashes: string[] = [];
  const misses: number[] = [];
  let contentHash: ((content: Buffer) => string) | undefined;
  const now = Date.now();
  // built field by field: most answers are clean, and a spread costs an allocation per file
  const fromCache = (
    hit: NonNullable<ReturnType<ValidateCache['get']>>,
    file: string,
  ): ManifestOutcome => {
    const out: ManifestOutcome = {
      findings: hit.findings.length === 0 ? [] : hit.findings.map((f) => restamp(f, file)),
    };
    if (hit.name) out.name = hit.name;
    return out;
  };
  for (let i = 0; i < files.length; i++) {
    const abs = files[i]!;
    const file = display[i]!;
    if (!cache) {
      misses.push(i);
      continue;
    }
    // stat before reading: a change after the stat moves the times, so it is never hidden
    const stat = statOf(abs);
    const known = stat && cache.statHit(abs, stat);
    if (known) {
      results[i] = fromCache(known, file);
      continue;
    }
    const read = readManifestBytes({ abs, file, ...readOptionsOf(i) }, { reuse: true });
    if ('finding' in read) {
      results[i] = { findings: [read.finding] };
      continue;
    }
    contentHash ??= await loadContentHash();
    const hash = contentHash(read.bytes);
    hashes[i] = hash;
    if (stat) cache.noteStat(abs, stat, hash, now);
    const hit = cache.get(hash);
    if (hit) results[i] = fromCache(hit, file);
    else misses.push(i);
  }

  // Misses are read again where they are validated rather than kept from the cache pass:
  // holding 10,000 texts would cost ~50 MiB of memory to save ~16 us a file.
  const jobs = misses.map((i): FileJob => ({
    abs: files[i]!,
    file: display[i]!,
    ...readOptionsOf(i),
  }));
  const threads =
    options.threads ??
    (jobs.length >= MIN_FILES_FOR_WORKERS && workerScript() ? threadsFor(undefined) : 1);
  let found: ManifestOutcome[];
  try {
    found =
      jobs.length === 0
        ? []
        : threads > 1 && workerScript()
          ? await validateInWorkers(jobs, threads)
          : await validateJobs(jobs, await loadValidator());
  } finally {
    endWarmWorkers();
  }
  misses.forEach((i, k) => {
    const outcome = found[k]!;
    results[i] = outcome;
    if (cache && hashes[i] !== undefined) {
      cache.set(hashes[i], {
        findings: outcome.findings.map((f) => unstamp(f, display[i]!)),
        ...(outcome.name ? { name: outcome.name } : {}),
      });
    }
  });
  cache?.save();
  return results;
}

/** Made once: an options object per stat is an allocation per manifest. */
const NO_THROW = { throwIfNoEntry: false } as const;

function statOf(abs: string): FileStat | undefined {
  try {
    return statSync(abs, NO_THROW);
  } catch {
    return undefined; // read next, which says what is wrong
  }
}

/** The threads a run of many manifests uses: those the caller chose (`--jobs`), else up to 4. */
const threadsFor = (chosen: number | undefined): number =>
  chosen ?? Math.min(availableParallelism(), 4);

/** Worker threads started before their work is known (see `workerWarmer`), unreferenced. */
const warm: import('node:worker_threads').Worker[] = [];

/**
 * A callback for discovery (`DiscoverOptions.found`) that starts the worker threads a run of
 * many manifests will use while the folders are still walked, so that their start-up (~70 ms)
 * overlaps the walk: one fewer than the threads at MIN_FILES_FOR_WORKERS manifests found, the
 * last one at ALL_IN_WORKERS. Only for runs that will read every manifest they find (without
 * the cache): a warm run reads few, and a thread started for nothing would take a processor
 * from it. Threads left unused are ended when `validateManifests` returns, and never keep the
 * process alive.
 */
export function workerWarmer(chosen: number | undefined): () => void {
  const threads = threadsFor(chosen);
  if (threads < 2 || !workerScript()) return () => undefined;
  const start = (): void => {
    // loaded only now (~9 ms), as the walk finds the manifests to use it: a run of a few
    // manifests never loads it (engines: Node.js >= 20.19, which has getBuiltinModule)
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(workerScript()!, WORKER_OPTIONS);
    worker.unref();
    // a thread that fails before any work is dropped; one is started anew when work comes
    worker.once('error', () => warm.splice(warm.indexOf(worker) >>> 0, 1));
    warm.push(worker);
  };
  let count = 0;
  return () => {
    count++;
    if (count === MIN_FILES_FOR_WORKERS) for (let t = 1; t < threads; t++) start();
    else if (count === ALL_IN_WORKERS) start();
  };
}

/** Ends the threads started ahead that no work took. */
function endWarmWorkers(): void {
  for (const worker of warm.splice(0)) void worker.terminate();
}

/** How every worker thread is started: see validateInWorkers. */
const WORKER_OPTIONS = {
  // a small young generation: manifests are short-lived garbage, and peak memory at 10,000
  // manifests drops by ~10 MiB per run for no measurable time
  resourceLimits: { maxYoungGenerationSizeMb: 4 },
};

/** The worker script exists only in the built CLI (dist/cli/worker-boot.cjs). */
function workerScript(): URL | undefined {
  return import.meta.url.endsWith('.cjs')
    ? new URL('./worker-boot.cjs', import.meta.url)
    : undefined;
}

/**
 * From this many manifests to parse, every batch goes to a worker thread and this one only
 * waits: reading manifests leaves short-lived garbage, for which this thread's young generation
 * grows to 2 x 16 MiB, while a worker's is bounded (see below). Measured in alternating runs
 * on 2 vCPUs, all work in workers against this thread taking a share: at 10,000 manifests peak
 * memory 133 -> 125 MiB with a warning each, 117 -> 108 MiB clean, for 0.995x and 1.026x the
 * time; at 5,000, 120 -> 110 MiB for 1.014x; at 2,000 to 2,500, 6-8% slower (one more worker
 * to start), so smaller runs keep this thread working.
 */
const ALL_IN_WORKERS = 5000;

/**
 * Manifests in a batch sent to a worker. Batches, not one slice per thread: a thread that
 * finishes early takes more, so that no thread waits for a slower one (with one slice each,
 * one of two threads on 10,000 manifests finished 5-10% after the other), and one batch in
 * reserve keeps a thread busy while its results come back.
 */
const BATCH = 250;

/**
 * Validates the jobs in worker threads, batch by batch, and joins the results in order. This
 * thread takes batches too (it would otherwise sit idle, and one thread fewer to start saves
 * its start-up), except from ALL_IN_WORKERS on.
 */
async function validateInWorkers(jobs: FileJob[], threads: number): Promise<ManifestOutcome[]> {
  const { Worker } = await import('node:worker_threads');
  const batches: FileJob[][] = [];
  for (let i = 0; i < jobs.length; i += BATCH) batches.push(jobs.slice(i, i + BATCH));
  const results: ManifestOutcome[][] = new Array(batches.length);
  let next = 0;
  const here = jobs.length < ALL_IN_WORKERS;
  const workerCount = Math.min(here ? threads - 1 : threads, batches.length);
  let failure: Error | undefined;
  const inWorkers = Array.from(
    { length: workerCount },
    () =>
      new Promise<void>((resolve, reject) => {
        const worker = warm.shift() ?? new Worker(workerScript()!, WORKER_OPTIONS);
        worker.ref();
        worker.removeAllListeners('error');
        // the batches this worker holds, oldest first: each answer is for the oldest
        const held: number[] = [];
        const send = (): void => {
          if (next < batches.length && failure === undefined) {
            held.push(next);
            worker.postMessage({ jobs: batches[next++] });
          }
        };
        worker.on('message', (m: { json?: string; error?: string; hint?: string }) => {
          const k = held.shift()!;
          if (m.json !== undefined) results[k] = JSON.parse(m.json) as ManifestOutcome[];
          else
            failure ??= new InputError(
              m.error ?? 'a validation worker failed',
              m.hint ? { hint: m.hint } : {},
            );
          send();
          if (held.length === 0) {
            void worker.terminate();
            if (failure) reject(failure);
            else resolve();
          }
        });
        worker.once('error', (error) => {
          failure ??= error;
          void worker.terminate();
          reject(error);
        });
        send();
        send();
      }),
  );
  const others = Promise.all(inWorkers);
  if (here) {
    others.catch(() => undefined); // reported below, after this thread's batches
    const validator = await loadValidator();
    while (next < batches.length && failure === undefined) {
      const k = next++;
      results[k] = await validateJobs(batches[k]!, validator);
      // let the workers' answers in, so that each is sent its next batch
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await others;
  if (failure) throw failure;
  return results.flat();
}

/** Where a cached finding named its manifest: this run's name goes there (`restamp`). */
const MANIFEST_SLOT = '\u0000manifest';

/**
 * A finding as the cache keeps it: without its file, and with the manifest's name, where its
 * args or the command of its fix hold it (`mlops migrate <manifest>`), left as a slot: the same
 * content named from another folder, or by another path, gets its own name back.
 */
function unstamp(f: Finding, file: string): Omit<Finding, 'file'> {
  const { file: _file, ...rest } = f;
  if (rest.args.manifest === file) rest.args = { ...rest.args, manifest: MANIFEST_SLOT };
  if (rest.fix?.kind === 'command' && rest.fix.argv.includes(file))
    rest.fix = { ...rest.fix, argv: rest.fix.argv.map((a) => (a === file ? MANIFEST_SLOT : a)) };
  return rest;
}

/** A cached finding as this run names its manifest (see `unstamp`). */
function restamp(f: Omit<Finding, 'file'>, file: string): Finding {
  const out: Finding = { ...f, file };
  if (f.args.manifest === MANIFEST_SLOT) out.args = { ...f.args, manifest: file };
  if (f.fix?.kind === 'command' && f.fix.argv.includes(MANIFEST_SLOT))
    out.fix = { ...f.fix, argv: f.fix.argv.map((a) => (a === MANIFEST_SLOT ? file : a)) };
  return out;
}
