import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';
import type { State } from 'js-yaml';
import type { PathSegment } from '../findings.js';
import { resolvePlainScalar } from './scalars.js';
import { FORBIDDEN_KEYS } from './limits.js';
import { MAX_KEY_LENGTH, inFastCharacters, onlyCrLf } from './quick-text.js';
import type { FastRead } from './quick-text.js';
import { offsetAlong } from './offset-walk.js';

/**
 * The fast reader: js-yaml (~8x faster than yaml's parseDocument) on text inside a conservative
 * subset of YAML where the two parsers provably read the same data, with positions taken from
 * js-yaml's own parse events, so that a manifest with findings is not parsed a second time.
 *
 * Agreement holds by construction: plain scalars resolve through yaml's own core-schema tags
 * (scalars.ts), and anything outside the subset makes this reader decline, leaving the text to
 * yaml, which stays authoritative (yaml-reader.ts). The subset: block mappings and sequences;
 * flow collections, quoted and plain scalars on one line; block scalars without an indentation
 * indicator; keys that are one-line, non-null scalars. Declined: tabs, carriage returns not
 * followed by a line feed, control characters, directives and document markers, anchors,
 * aliases, tags, explicit (`? `) and complex keys, forbidden keys, a top level that is not a
 * mapping, and anything js-yaml itself refuses (duplicate keys, syntax errors).
 * test/core/fuzz.test.ts compares the two readers on generated and mutated manifests.
 */

const TAG = 'tag:mlops,2026:core-scalar';
const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [new Type(TAG, { kind: 'scalar', resolve: () => true, construct: resolvePlainScalar })],
});

/**
 * A node as js-yaml's events describe it: where it opened, what it read, and its children as a
 * list (`first`, then each one's `next`). Instances of a class, and no arrays: object literals
 * let V8 move all of them to the old generation once a few outlive a young-generation
 * collection (measured: 1.5x the time of a run of 10,000 manifests).
 */
class Node {
  first: Node | null = null;
  next: Node | null = null;
  constructor(
    readonly open: number,
    readonly kind: string | null,
    readonly result: unknown,
  ) {}
}

/** Thrown from the listener to stop js-yaml as soon as the text leaves the subset. */
const DECLINE = new Error('outside the fast subset');

/**
 * Reads `text` (without a byte-order mark) when it lies in the fast subset; `undefined` means
 * "ask yaml". Never throws.
 */
export function readFast(text: string): FastRead | undefined {
  if (!inFastCharacters(text)) return undefined;
  if (text.includes('\r') && !onlyCrLf(text)) return undefined;
  // open nodes: where and on which line each opened, and the pending list when it did
  const opens: number[] = [];
  const lines: number[] = [];
  const heads: (Node | null)[] = [];
  // the closed nodes not yet claimed by a parent, newest first (linked by `next`)
  let head: Node | null = null;
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      opens.push(state.position);
      lines.push(state.line);
      heads.push(head);
      return;
    }
    const extra = state as State & { tag: string | null; anchor: string | null };
    if (extra.anchor !== null || (extra.tag !== null && extra.tag !== TAG && extra.tag !== '?'))
      throw DECLINE;
    const base = heads.pop()!;
    const open = opens.pop()!;
    const line = lines.pop()!;
    const kind = state.kind ?? null;
    const result: unknown = state.result;
    // the node's children are the pending nodes down to `base`
    if (head !== base && head!.next === base && head!.kind === kind) {
      // js-yaml reads a block value by first trying it as a mapping key: that attempt is a
      // child holding the very same value, checked when it closed; it stands for the node
      if (Object.is(head!.result, result)) return;
    }
    const node = new Node(open, kind, result);
    let count = 0;
    if (kind === 'scalar') {
      // the failed attempts before a block scalar are empty children
      for (let c = head; c !== base; c = c!.next) if (c!.kind !== null) throw DECLINE;
    } else {
      let first: Node | null = null;
      for (let c = head; c !== base; count++) {
        const next: Node | null = c!.next;
        c!.next = first;
        first = c;
        c = next;
      }
      node.first = first;
    }
    // a scalar that closes on another line than it opened spans lines
    if (kind !== null) checkNode(node, count, state.input, state.position, line !== state.line);
    node.next = base;
    head = node;
  };
  let data: unknown;
  try {
    data = load(text, { schema: SCHEMA, listener });
  } catch {
    return undefined; // outside the subset, or an error yaml will report in its words
  }
  // assigned by the listener, which the compiler cannot see
  const root = head as Node | null;
  if (
    root === null ||
    root.next !== null ||
    root.kind !== 'mapping' ||
    data === null ||
    typeof data !== 'object' ||
    Array.isArray(data)
  )
    return undefined;
  const input = text;
  const top = root;
  let children: Children | undefined;
  return {
    data: data as Record<string, unknown>,
    offsetOf: (path, target) => offsetOf(input, top, (children ??= new Children()), path, target),
  };
}

const isSpace = (c: number): boolean => c === 0x20;
const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d;

/** Where a node's content starts: past spaces, line breaks and comments after it opened. */
function startOf(input: string, node: Node): number {
  let p = node.open;
  if (node.kind === null) {
    // an empty value is where yaml puts it: past the spaces on its own line
    while (isSpace(input.charCodeAt(p))) p++;
    return p;
  }
  for (;;) {
    const c = input.charCodeAt(p);
    if (isSpace(c) || isBreak(c)) p++;
    else if (c === 0x23 /* # */) {
      while (p < input.length && !isBreak(input.charCodeAt(p))) p++;
    } else return p;
  }
}

/**
 * Throws DECLINE unless the node, with `count` children, which closed at `end` and on another
 * line than it opened if `multiline`, is in the subset (see the module comment).
 */
function checkNode(
  node: Node,
  count: number,
  input: string,
  end: number,
  multiline: boolean,
): void {
  const start = startOf(input, node);
  const c = input.charCodeAt(start);
  if (node.kind === 'scalar') {
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      if (multiline || input.charCodeAt(end) === 0x23) throw DECLINE;
    } else if (c === 0x7c /* | */ || c === 0x3e /* > */) {
      checkBlockScalar(input, start, end);
    } else if (multiline) {
      throw DECLINE; // plain scalars over several lines: js-yaml reads comment lines into them
    }
    return;
  }
  const flow = c === 0x5b /* [ */ || c === 0x7b; /* { */
  if (flow && (multiline || input.charCodeAt(end) === 0x23)) throw DECLINE;
  if (node.kind === 'sequence') {
    const items = node.result as unknown[];
    if (!Array.isArray(items) || count !== items.length) throw DECLINE;
    let i = 0;
    for (let item = node.first; item !== null; item = item.next)
      if (!Object.is(item.result, items[i++])) throw DECLINE;
    return;
  }
  if (node.kind !== 'mapping') throw DECLINE;
  const map = node.result as Record<string, unknown>;
  // a flow entry may have no value (`{a, b: 1}`), which leaves the pairs of events askew
  if (count % 2 !== 0 || (flow && count !== 2 * Object.keys(map).length)) throw DECLINE;
  for (let key = node.first; key !== null; key = key.next!.next) {
    const value = key.next!;
    const k = key.result;
    if (key.kind !== 'scalar' || k === null || typeof k === 'object') throw DECLINE;
    const name = String(k);
    if (FORBIDDEN_KEYS.has(name) || !Object.is(map[name], value.result)) throw DECLINE;
    const keyStart = startOf(input, key);
    // yaml counts from the key to its colon; the value opens just after the colon
    if (value.open - keyStart > MAX_KEY_LENGTH) throw DECLINE;
    // an implicit key follows a line break, a sequence dash or a flow opener or comma; any
    // other lead (`? `, `: `) is a construct left to yaml
    let p = keyStart - 1;
    while (p >= 0 && isSpace(input.charCodeAt(p))) p--;
    const lead = p < 0 ? 0x0a : input.charCodeAt(p);
    if (lead !== 0x0a && lead !== 0x2d && lead !== 0x7b && lead !== 0x2c) throw DECLINE;
  }
}

/**
 * A block scalar without an indentation indicator, whose lines are empty or hold content at or
 * beyond the indentation of its first content line: where yaml and js-yaml read the same.
 */
function checkBlockScalar(input: string, start: number, end: number): void {
  let p = start + 1;
  const chomp = input.charCodeAt(p);
  if (chomp === 0x2b /* + */ || chomp === 0x2d /* - */) p++;
  while (isSpace(input.charCodeAt(p))) p++;
  const h = input.charCodeAt(p);
  if (h === 0x23 /* # */) {
    if (!isSpace(input.charCodeAt(p - 1))) throw DECLINE;
  } else if (!isBreak(h) && p < input.length) throw DECLINE;
  let line = input.indexOf('\n', p) + 1;
  if (line === 0) return;
  let indent = -1;
  while (line < end) {
    let q = line;
    while (isSpace(input.charCodeAt(q))) q++;
    const next = input.indexOf('\n', line);
    const lineEnd = next < 0 ? input.length : next;
    const atEnd = q >= lineEnd || (input.charCodeAt(q) === 0x0d && q + 1 === lineEnd);
    if (atEnd) {
      if (q > line) throw DECLINE; // a line of spaces: yaml and js-yaml count them differently
    } else if (q < end) {
      if (indent < 0) indent = q - line;
      else if (q - line < indent) break; // the scalar ended on this line
    }
    if (next < 0) break;
    line = next + 1;
  }
}

/**
 * The children of a node by key or by position: walked on the first question about a node,
 * which is often the only one, and indexed for later ones, so that locating a finding for each
 * of 80,000 keys or list items does not walk the node each time.
 */
class Children {
  private readonly asked = new Set<Node>();
  private readonly keys = new Map<Node, Map<string, Node>>();
  private readonly items = new Map<Node, Node[]>();

  /** The key node of a mapping's first entry whose key reads as `name`. */
  key(node: Node, name: string): Node | undefined {
    let index = this.keys.get(node);
    if (index === undefined) {
      if (!this.asked.has(node)) {
        this.asked.add(node);
        for (let k = node.first; k !== null; k = k.next!.next)
          if (String(k.result) === name) return k;
        return undefined;
      }
      index = new Map();
      for (let k = node.first; k !== null; k = k.next!.next) {
        const key = String(k.result);
        if (!index.has(key)) index.set(key, k);
      }
      this.keys.set(node, index);
    }
    return index.get(name);
  }

  /** A sequence's item at `position`. */
  item(node: Node, position: number): Node | undefined {
    if (!(position >= 0)) return undefined;
    let index = this.items.get(node);
    if (index === undefined) {
      if (!this.asked.has(node)) {
        this.asked.add(node);
        let c = node.first;
        for (let i = 0; c !== null && i < position; i++) c = c.next;
        return c ?? undefined;
      }
      index = [];
      for (let c = node.first; c !== null; c = c.next) index.push(c);
      this.items.set(node, index);
    }
    return index[Math.ceil(position)];
  }
}

function offsetOf(
  input: string,
  root: Node,
  children: Children,
  path: readonly PathSegment[],
  target: 'key' | 'value',
): number | undefined {
  return offsetAlong<Node>(root, startOf(input, root), path, target, (node, seg) => {
    if (node.kind === 'mapping') {
      const key = children.key(node, String(seg));
      if (key === undefined) return undefined;
      const next = key.next!;
      return { keyAt: startOf(input, key), valueAt: startOf(input, next), next };
    }
    if (node.kind === 'sequence' && typeof seg === 'number') {
      const next = children.item(node, seg);
      return next && { keyAt: undefined, valueAt: startOf(input, next), next };
    }
    return undefined;
  });
}
