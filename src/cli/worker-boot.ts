// The script of validate's worker threads (dist/cli/worker-boot.cjs). It loads the worker
// bundle through the launcher, so that threads too start from the code caches instead of
// compiling the parsers and the schema validator again in each thread.
import { load } from './launch.js';

load('validate-worker.cjs');
