import {
  LineCounter,
  YAMLParseError,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
} from 'yaml';
import type { CST, Document, Node, Pair, YAMLMap } from 'yaml';
import { finding } from '../findings.js';
import type { Finding, PathSegment } from '../findings.js';
import { FORBIDDEN_KEYS, MAX_ALIAS_COUNT } from './limits.js';
import { offsetAlong } from './offset-walk.js';

/** Explicit tags that only restate what plain YAML 1.2 already means. Any other tag is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** A text read by yaml: data, YAML-level findings (without `file`) and offsets by path. */
export interface YamlRead {
  /** Plain data; `undefined` when the YAML could not be read. */
  data: unknown;
  findings: Finding[];
  /** Offsets as yaml's LineCounter counts them. */
  lineCounter: LineCounter;
  offsetOf(path: readonly PathSegment[], target: 'key' | 'value'): number | undefined;
}

/**
 * Parses a manifest's text as mlops reads it: YAML 1.2 core schema, unique keys, no merge keys,
 * and a carriage return alone read as a line break (as the reader does: see `sourceOf`). For
 * edits that keep comments; the offsets of its nodes are those of `text`.
 */
export function parseYamlDocument(text: string, lineCounter?: LineCounter): Document {
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  // yaml's own check of unique keys compares each key with every earlier key of its mapping,
  // which takes minutes for a mapping of 80,000 keys: the same check is made here in one pass
  const doc = parse(source, lineCounter, false);
  if (addDuplicateKeyErrors(doc)) return doc;
  if (lineCounter) lineCounter.lineStarts.length = 0;
  return parse(source, lineCounter, true);
}

function parse(
  source: string,
  lineCounter: LineCounter | undefined,
  uniqueKeys: boolean,
): Document {
  return parseDocument(source, {
    ...(lineCounter ? { lineCounter } : {}),
    uniqueKeys,
    prettyErrors: false,
    schema: 'core',
    merge: false,
    // the tokens each mapping was read from: where yaml would report a duplicate key
    keepSourceTokens: !uniqueKeys,
    // warnings would go to stderr as process warnings; problems are findings instead
    logLevel: 'error',
  });
}

/** Tags of YAML 1.1 that make pairs of a list's mappings and drop the mappings themselves. */
const PAIRS_TAGS = new Set(['tag:yaml.org,2002:omap', 'tag:yaml.org,2002:pairs']);

/**
 * Adds to `doc.errors` the errors yaml's `uniqueKeys` would have added, at the same offsets:
 * a key of a mapping equal (`===`) to an earlier scalar key of the same mapping. Drops the
 * source tokens on the way, which nothing else keeps. Returns false when the document has a
 * mapping this pass cannot see (one dropped by a YAML 1.1 pairs tag), so that yaml must check.
 */
function addDuplicateKeyErrors(doc: Document): boolean {
  const found: number[] = [];
  // iterative: a deeply nested document must not exhaust the stack here
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      duplicateKeys(node, found);
      for (const pair of node.items) stack.push(pair);
    } else if (isSeq(node)) {
      if (node.tag !== undefined && PAIRS_TAGS.has(node.tag)) return false;
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
    if (node !== null && typeof node === 'object' && 'srcToken' in node) delete node.srcToken;
  }
  found.sort((a, b) => a - b);
  for (const offset of found)
    doc.errors.push(
      new YAMLParseError([offset, offset + 1], 'DUPLICATE_KEY', 'Map keys must be unique'),
    );
  return true;
}

/** The end of the last of `tokens`, else `fallback`: where yaml's `resolveProps` ends. */
function endOf(tokens: readonly CST.SourceToken[] | undefined, fallback: number): number {
  const last = tokens?.[tokens.length - 1];
  return last ? last.offset + last.source.length : fallback;
}

/**
 * The offsets of the duplicate keys of one mapping, as yaml's composer reports them: at the end
 * of the tokens before the key (its properties), else at the end of the previous entry. The
 * walk over the mapping's tokens follows resolveBlockMap and resolveFlowCollection.
 */
function duplicateKeys(map: YAMLMap, found: number[]): void {
  const token = map.srcToken as CST.BlockMap | CST.FlowCollection | undefined;
  const flow = token?.type === 'flow-collection';
  // only mappings composed from their own tokens are checked by yaml: not `[a: 1]`
  if (token === undefined || (flow && token.start.source !== '{')) return;
  const pairs = map.items as Pair<Node | null, Node | null>[];
  const seen = new Set<unknown>();
  let offset = flow ? token.offset + token.start.source.length : token.offset;
  let next = 0;
  for (const item of token.items) {
    const pair = pairs[next];
    if (pair === undefined || pair.srcToken !== item) {
      // an item that made no pair: only a comment (block), or an empty item (flow)
      if (flow) offset = endOf(item.start, offset);
      continue;
    }
    next++;
    const key = pair.key;
    // yaml compares keys with ===: NaN is never a duplicate, unlike in a Set
    if (isScalar(key) && !Number.isNaN(key.value)) {
      if (seen.has(key.value)) found.push(endOf(item.start, offset));
      else seen.add(key.value);
    }
    offset = pair.value ? pair.value.range![2] : endOf(item.sep, key!.range![2]);
  }
}

/**
 * The authoritative reading of a text (without a byte-order mark), with yaml. Never throws:
 * every problem becomes a finding located by its offset.
 */
export function readWithYaml(text: string): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, lineCounter);
  const pairs = new PairIndex();
  const findings: Finding[] = [];
  const read: YamlRead = {
    data: undefined,
    findings,
    lineCounter,
    offsetOf: (path, target) => findOffset(doc, pairs, path, target),
  };
  const at = (offset: number | undefined): { line: number; column: number } => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  for (const error of doc.errors) {
    const pos = at(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY') findings.push(finding('YAML_DUPLICATE_KEY', [], {}, pos));
    else if (error.code === 'MULTIPLE_DOCS')
      findings.push(finding('YAML_MULTIPLE_DOCUMENTS', [], {}, pos));
    else findings.push(finding('YAML_SYNTAX', [], { detail: firstLine(error.message) }, pos));
  }
  visit(doc, {
    Node(_, node) {
      if (node.tag === undefined || CORE_TAGS.has(node.tag)) return;
      // the tag is written before the value: point at its "!"
      const start = node.range?.[0];
      let bang = start === undefined ? -1 : text.lastIndexOf('!', start);
      while (bang > 0 && text[bang - 1] === '!') bang--;
      findings.push(
        finding(
          'YAML_TAG',
          [],
          { tag: node.tag.replace(/^tag:yaml\.org,2002:/, '!!') },
          at(bang >= 0 ? bang : start),
        ),
      );
    },
  });
  visit(doc, {
    Pair(_, pair) {
      if (isMap(pair.key) || isSeq(pair.key)) {
        // a list or mapping as a key: plain objects have none, and JavaScript would make text of it
        findings.push(finding('YAML_COMPLEX_KEY', [], {}, at(pair.key.range?.[0])));
      } else if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        findings.push(
          finding(
            'YAML_FORBIDDEN_KEY',
            [],
            { key: String(pair.key.value) },
            at(pair.key.range?.[0]),
          ),
        );
      }
    },
  });
  if (findings.length > 0) return read;

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    findings.push(finding('EMPTY_FILE', [], {}, { line: 1, column: 1 }));
    return read;
  }
  if (!isMap(doc.contents)) {
    findings.push(
      finding(
        'NOT_A_MAPPING',
        [],
        { actual: isSeq(doc.contents) ? 'list' : 'scalar' },
        at(doc.contents.range?.[0]),
      ),
    );
    return read;
  }
  try {
    read.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    read.data = undefined;
    findings.push(
      finding(
        'YAML_ALIAS_LIMIT',
        [],
        { detail: firstLine(error instanceof Error ? error.message : String(error)) },
        firstAliasPos(doc, at),
      ),
    );
  }
  return read;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function firstAliasPos<P>(doc: Document, at: (o: number | undefined) => P): P {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return at(offset);
}

/**
 * A mapping's first pair by its key as text: found by a scan on the first question about a
 * mapping, which is often the only one, and from an index on later ones, so that locating a
 * finding for each of 80,000 keys does not scan the mapping each time.
 */
class PairIndex {
  private readonly asked = new WeakSet<YAMLMap>();
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

  find(map: YAMLMap, seg: PathSegment): Pair | undefined {
    const name = String(seg);
    const items = map.items as Pair[];
    let index = this.indexes.get(map);
    if (index === undefined) {
      if (!this.asked.has(map)) {
        this.asked.add(map);
        return items.find((p) => isScalar(p.key) && String(p.key.value) === name);
      }
      index = new Map();
      for (const p of items) {
        if (!isScalar(p.key)) continue;
        const key = String(p.key.value);
        if (!index.has(key)) index.set(key, p);
      }
      this.indexes.set(map, index);
    }
    return index.get(name);
  }
}

function findOffset(
  doc: Document,
  pairs: PairIndex,
  path: readonly PathSegment[],
  target: 'key' | 'value',
): number | undefined {
  const rangeOf = (node: unknown): number | undefined =>
    (node as Node | null | undefined)?.range?.[0];
  return offsetAlong<unknown>(doc.contents, rangeOf(doc.contents), path, target, (node, seg) => {
    if (isMap(node)) {
      const pair = pairs.find(node, seg);
      if (pair === undefined) return undefined;
      const keyAt = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      return { keyAt, valueAt: rangeOf(pair.value), next: pair.value };
    }
    if (isSeq(node) && typeof seg === 'number') {
      const next: unknown = node.items[seg];
      return next === undefined ? undefined : { keyAt: undefined, valueAt: rangeOf(next), next };
    }
    return undefined;
  });
}
