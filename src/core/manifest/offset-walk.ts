import type { PathSegment } from '../findings.js';

/** Where one segment of a path leads from a node: its key's and value's offsets, and the value. */
export interface PathStep<N> {
  /** The key's offset, for a mapping entry whose key has one. */
  keyAt: number | undefined;
  valueAt: number | undefined;
  next: N;
}

/**
 * The offset of the key or value at `path`, as yaml's `findOffset` gives it, over the nodes of
 * any of the readers: `step` goes one segment down from a node, and gives undefined where the
 * path stops (no such key or item, or no collection). A path that does not resolve fully gives
 * the key of its deepest step, else the offset reached before it (the root's at first).
 */
export function offsetAlong<N>(
  root: N,
  rootAt: number | undefined,
  path: readonly PathSegment[],
  target: 'key' | 'value',
  step: (node: N, segment: PathSegment) => PathStep<N> | undefined,
): number | undefined {
  let node = root;
  let lastKeyAt: number | undefined;
  let offset = rootAt;
  for (let i = 0; i < path.length; i++) {
    const to = step(node, path[i]!);
    if (to === undefined) break;
    const isLast = i === path.length - 1;
    lastKeyAt = to.keyAt;
    offset = isLast && target === 'key' ? (to.keyAt ?? to.valueAt) : (to.valueAt ?? to.keyAt);
    if (isLast) return offset;
    node = to.next;
  }
  return lastKeyAt ?? offset;
}
