import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { finding } from '../findings.js';
import type { Finding, PathSegment } from '../findings.js';
import { FORBIDDEN_KEYS, MAX_ALIAS_COUNT } from './limits.js';

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
  return parseDocument(text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text, {
    ...(lineCounter ? { lineCounter } : {}),
    uniqueKeys: true,
    prettyErrors: false,
    schema: 'core',
    merge: false,
    keepSourceTokens: false,
    // warnings would go to stderr as process warnings; problems are findings instead
    logLevel: 'error',
  });
}

/**
 * The authoritative reading of a text (without a byte-order mark), with yaml. Never throws:
 * every problem becomes a finding located by its offset.
 */
export function readWithYaml(text: string): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, lineCounter);
  const findings: Finding[] = [];
  const read: YamlRead = {
    data: undefined,
    findings,
    lineCounter,
    offsetOf: (path, target) => findOffset(doc, path, target),
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

function findOffset(
  doc: Document,
  path: readonly PathSegment[],
  target: 'key' | 'value',
): number | undefined {
  let node: unknown = doc.contents;
  let lastPair: Pair | undefined;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    let next: unknown;
    let pair: Pair | undefined;
    if (isMap(node)) {
      pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      next = pair?.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else {
      break;
    }
    if (pair === undefined && next === undefined) break;
    const isLast = i === path.length - 1;
    lastPair = pair;
    const keyOffset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    const valueOffset = (next as Node | null | undefined)?.range?.[0];
    offset = isLast && target === 'key' ? (keyOffset ?? valueOffset) : (valueOffset ?? keyOffset);
    node = next;
    if (isLast) return offset;
  }
  // The path does not resolve fully (a missing key): point at the deepest key that exists.
  if (lastPair && isScalar(lastPair.key)) return lastPair.key.range?.[0] ?? offset;
  return offset;
}
