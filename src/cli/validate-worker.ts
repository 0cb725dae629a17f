// A worker thread of `mlops validate`: validates the manifests it is given and posts back
// what each gave, in order. Errors (an unreadable file) are posted back as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { MlopsError } from '../errors.js';
import { loadValidator } from '../io/assets.js';
import { validateJobs } from '../io/validate-files.js';
import type { FileJob } from '../io/validate-files.js';

async function work(jobs: FileJob[]): Promise<void> {
  try {
    parentPort!.postMessage({ results: await validateJobs(jobs, await loadValidator()) });
  } catch (error) {
    parentPort!.postMessage({
      error: error instanceof Error ? error.message : String(error),
      hint: error instanceof MlopsError ? error.hint : undefined,
    });
  }
}

// built as CommonJS (dist/cli/validate-worker.cjs), so no top-level await
void work((workerData as { jobs: FileJob[] }).jobs);
