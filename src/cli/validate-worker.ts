// A worker thread of `mlops validate`: validates each batch of manifests it is sent and posts
// back what each gave, in order, then waits for the next batch (`validateInWorkers` sends
// batches until none is left, then ends the thread), as one JSON text. Errors (an unreadable
// file) are posted back as messages.
import { parentPort } from 'node:worker_threads';
import { MlopsError } from '../errors.js';
import { loadValidator } from '../io/assets.js';
import { validateJobs } from '../io/validate-files.js';
import type { FileJob } from '../io/validate-files.js';

// batches are validated one after another, in the order they came
let queue = Promise.resolve();
parentPort!.on('message', (batch: { jobs: FileJob[] }) => {
  queue = queue.then(async () => {
    try {
      // one JSON text per batch: the JSON round trip every path gives findings (see
      // validateManifestText), and a string is copied to the main thread at once, where a
      // graph of objects is cloned object by object on both sides
      const results = await validateJobs(batch.jobs, await loadValidator(), { asJson: 'later' });
      parentPort!.postMessage({ json: JSON.stringify(results) });
    } catch (error) {
      parentPort!.postMessage({
        error: error instanceof Error ? error.message : String(error),
        hint: error instanceof MlopsError ? error.hint : undefined,
      });
    }
  });
});
