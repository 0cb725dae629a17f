import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** From this many manifests on, a run bounds how fast its heap grows (`boundHeapGrowth`). */
export const MANY_MANIFESTS = 1000;

let bounded = false;

/**
 * Asks V8 to grow the heap by at most half each time it fills, for a run over `count`
 * manifests. By default V8 grows it by up to four times at a high rate of allocation, as
 * reading thousands of manifests is: a run whose live data stays under 100 MiB then reaches
 * 400 to 650 MiB. Bounded, `check` on 5,000 manifests peaks near 290 MiB for some 5% more time.
 * Smaller runs keep the default (and never load node:v8, ~3.5 ms).
 */
export function boundHeapGrowth(count: number): void {
  if (count < MANY_MANIFESTS || bounded) return;
  bounded = true;
  setFlagsFromString('--heap-growing-percent=50');
}

let collector: (() => void) | undefined;

/**
 * A full garbage collection, for runs over thousands of manifests between batches (or pages):
 * what a batch was read to is garbage once it is judged, and even with bounded growth V8 grows
 * the heap for it rather than collect, so the peak follows the garbage, not the data kept. One
 * collection costs some 30 ms with the data of 1,000 models kept.
 */
export function collectGarbage(): void {
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
}
