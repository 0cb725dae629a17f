import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Diagnostic } from '../../core/diagnostics.js';
import { InputError, UsageError } from '../../errors.js';
import { loadValidator, readSchemaText } from '../../io/assets.js';
import { discoverManifests } from '../../io/discover.js';
import { toDisplayPath } from '../../io/fs.js';
import {
  ValidateCache,
  cacheDir,
  loadContentHash,
  schemaHash,
  statScope,
} from '../../io/validate-cache.js';
import type { FileStat } from '../../io/validate-cache.js';
import { readManifest, readManifestBytes, validateManifestText } from '../../io/validate-files.js';
import type { FileJob } from '../../io/validate-files.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateFormat } from '../../report/validate.js';
import type { CommandContext } from '../context.js';
import { exitCodeFor } from '../exit-code.js';

export interface ValidateOptions {
  format: ValidateFormat;
  /** Warnings fail too. */
  strict: boolean;
  /** Read and write the result cache (`--no-cache` turns it off). */
  cache: boolean;
  /** Worker threads: a number, or undefined for automatic. */
  jobs?: string;
}

/**
 * Below this many manifests to parse, threads cost more than they save. Measured on 2 vCPUs
 * (11 alternating runs): one thread is faster at 400 (511 vs 557 ms) and at 1,000 (829 vs
 * 909 ms), even at 2,000 (1.29 vs 1.26 s), and two win from there (10,000: 4.2 vs 3.1 s):
 * each thread warms up its own JIT, and two vCPUs are not two cores.
 */
const MIN_FILES_FOR_WORKERS = 2000;

export async function runValidate(
  paths: string[],
  options: ValidateOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const jobsWanted = parseJobs(options.jobs);
  const { files } = await discoverManifests(paths, cwd);
  if (files.length === 0) {
    throw new InputError(
      `no ${paths.length ? 'mlops.yaml under the paths given' : 'mlops.yaml found in this repository'}`,
      {
        hint: 'run `mlops init <dir>` to create a manifest, or pass manifest files',
      },
    );
  }
  const cache = options.cache
    ? ValidateCache.open(
        cacheDir(cwd, ctx.io.env),
        `${ctx.toolVersion}:${await schemaHash(readSchemaText)}`,
        statScope(files, cwd),
      )
    : undefined;
  const display = files.map((f) => toDisplayPath(cwd, f));
  const results: (Diagnostic[] | undefined)[] = new Array(files.length);
  const hashes: string[] = [];
  const misses: number[] = [];
  let contentHash: ((content: Buffer) => string) | undefined;
  const now = Date.now();
  for (let i = 0; i < files.length; i++) {
    const abs = files[i]!;
    const file = display[i]!;
    if (!cache) {
      misses.push(i);
      continue;
    }
    // stat before reading: a change after the stat moves the times, so it is never hidden
    const stat = statOf(abs);
    const known = stat && cache.hashFor(abs, stat);
    const knownHit = known ? cache.get(known) : undefined;
    if (stat && known && knownHit) {
      cache.noteStat(abs, stat, known, now);
      results[i] = knownHit.map((d) => ({ ...d, file }));
      continue;
    }
    const read = readManifestBytes({ abs, file }, { reuse: true });
    if ('finding' in read) {
      results[i] = [read.finding];
      continue;
    }
    contentHash ??= await loadContentHash();
    const hash = contentHash(read.bytes);
    hashes[i] = hash;
    if (stat) cache.noteStat(abs, stat, hash, now);
    const hit = cache.get(hash);
    if (hit) results[i] = hit.map((d) => ({ ...d, file }));
    else misses.push(i);
  }

  // Misses are read again where they are validated rather than kept from the cache pass:
  // holding 10,000 texts would cost ~50 MiB of memory to save ~16 us a file.
  const jobs = misses.map((i): FileJob => ({ abs: files[i]!, file: display[i]! }));
  const threads =
    jobsWanted ??
    (jobs.length >= MIN_FILES_FOR_WORKERS && workerScript()
      ? Math.min(availableParallelism(), 4)
      : 1);
  const found =
    jobs.length === 0
      ? []
      : threads > 1 && workerScript()
        ? await validateInWorkers(jobs, threads)
        : await validateHere(jobs, await loadValidator());
  misses.forEach((i, k) => {
    results[i] = found[k]!;
    if (cache && hashes[i] !== undefined)
      cache.set(
        hashes[i],
        found[k]!.map(({ file: _file, ...rest }) => rest),
      );
  });
  cache?.save();

  const diagnostics = results.flatMap((r) => r ?? []);
  ctx.io.stdout(
    validateReporters[options.format](
      { files: display, diagnostics },
      { color: ctx.color, toolVersion: ctx.toolVersion, verbose: ctx.verbose },
    ),
  );
  return exitCodeFor(diagnostics, options.strict ? 'warning' : 'error');
}

function statOf(abs: string): FileStat | undefined {
  try {
    return statSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined; // read next, which says what is wrong
  }
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new UsageError(`--jobs must be a whole number from 1 to 64, not "${value}"`, {
      hint: 'omit --jobs to choose automatically',
    });
  }
  return n;
}

async function validateHere(
  jobs: FileJob[],
  validator: Awaited<ReturnType<typeof loadValidator>>,
): Promise<Diagnostic[][]> {
  const out: Diagnostic[][] = [];
  for (const job of jobs) {
    const read = readManifest(job);
    out.push(
      'finding' in read
        ? [read.finding]
        : await validateManifestText(read.text, job.file, validator),
    );
  }
  return out;
}

/** The worker script exists only in the built CLI (dist/cli/worker-boot.cjs). */
function workerScript(): URL | undefined {
  return import.meta.url.endsWith('.cjs')
    ? new URL('./worker-boot.cjs', import.meta.url)
    : undefined;
}

/**
 * Splits the jobs into contiguous slices, one per thread, and joins the results in order. This
 * thread validates the first slice while worker threads take the others: it would otherwise
 * sit idle, and one thread fewer to start saves its start-up.
 */
async function validateInWorkers(jobs: FileJob[], threads: number): Promise<Diagnostic[][]> {
  const { Worker } = await import('node:worker_threads');
  const size = Math.ceil(jobs.length / threads);
  const slices = Array.from({ length: threads }, (_, t) =>
    jobs.slice(t * size, (t + 1) * size),
  ).filter((s) => s.length > 0);
  const others = Promise.all(
    slices.slice(1).map(
      (slice) =>
        new Promise<Diagnostic[][]>((resolve, reject) => {
          // a small young generation: manifests are short-lived garbage, and peak memory at
          // 10,000 manifests drops by ~10 MiB per run for no measurable time
          const worker = new Worker(workerScript()!, {
            workerData: { jobs: slice },
            resourceLimits: { maxYoungGenerationSizeMb: 4 },
          });
          worker.once(
            'message',
            (m: { results?: Diagnostic[][]; error?: string; hint?: string }) => {
              void worker.terminate();
              if (m.results) resolve(m.results);
              else
                reject(
                  new InputError(
                    m.error ?? 'a validation worker failed',
                    m.hint ? { hint: m.hint } : {},
                  ),
                );
            },
          );
          worker.once('error', reject);
        }),
    ),
  );
  others.catch(() => undefined); // reported below, after this thread's slice
  const mine = await validateHere(slices[0]!, await loadValidator());
  return [mine, ...(await others)].flat();
}
