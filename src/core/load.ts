import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { Diagnostic, PathSegment } from './diagnostics.js';
import { MAX_ALIAS_COUNT, MAX_MANIFEST_BYTES, tooLargeFinding } from './limits.js';

export { MAX_MANIFEST_BYTES, tooLargeFinding } from './limits.js';
export { parseManifestFast } from './load-fast.js';
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Explicit tags that only restate what plain YAML 1.2 already means. Any other tag is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

export type Target = 'key' | 'value';
export interface Position {
  line: number;
  column: number;
}

/** A manifest read with positions (the `yaml` parser), for reporting and editing. */
export interface ParsedManifest {
  file: string;
  /** Plain data; `undefined` when the YAML could not be read. */
  data: unknown;
  /** YAML-level findings: syntax, duplicate keys, tags, aliases, forbidden keys, size. */
  diagnostics: Diagnostic[];
  /** The document, kept for comment-preserving edits; absent when the file was too large. */
  doc?: Document;
  locate(path: readonly PathSegment[], target?: Target): Position;
}

const START: Position = { line: 1, column: 1 };

function yamlFinding(
  file: string,
  code: string,
  message: string,
  pos: Position,
  hint?: string,
): Diagnostic {
  return { code, severity: 'error', message, file, path: [], ...pos, ...(hint ? { hint } : {}) };
}

/** Parses with positions. Never throws: every problem becomes a finding. */
export function parseManifest(text: string, file: string): ParsedManifest {
  const byteLength = Buffer.byteLength(text, 'utf8');
  if (byteLength > MAX_MANIFEST_BYTES) {
    return {
      file,
      data: undefined,
      diagnostics: [tooLargeFinding(file, byteLength)],
      locate: () => START,
    };
  }
  const lineCounter = new LineCounter();
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const doc = parseDocument(source, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    schema: 'core',
    merge: false,
    keepSourceTokens: false,
  });
  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return START;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate = (path: readonly PathSegment[], target: Target = 'value'): Position =>
    at(findOffset(doc, path, target));
  const diagnostics: Diagnostic[] = [];
  const parsed: ParsedManifest = { file, data: undefined, diagnostics, doc, locate };

  for (const error of doc.errors) {
    const pos = at(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY') {
      diagnostics.push(
        yamlFinding(
          file,
          'YAML_DUPLICATE_KEY',
          'duplicate key: the same key appears twice in one mapping',
          pos,
          'keep one of the two keys',
        ),
      );
    } else if (error.code === 'MULTIPLE_DOCS') {
      diagnostics.push(
        yamlFinding(
          file,
          'YAML_MULTIPLE_DOCUMENTS',
          'more than one YAML document (---) in the file; a manifest is one document',
          pos,
          'put each model in its own mlops.yaml',
        ),
      );
    } else {
      diagnostics.push(yamlFinding(file, 'YAML_SYNTAX', firstLine(error.message), pos));
    }
  }
  visit(doc, {
    Node(_, node) {
      if (node.tag === undefined || CORE_TAGS.has(node.tag)) return;
      // the tag is written before the value: point at its "!"
      const start = node.range?.[0];
      let bang = start === undefined ? -1 : source.lastIndexOf('!', start);
      while (bang > 0 && source[bang - 1] === '!') bang--;
      diagnostics.push(
        yamlFinding(
          file,
          'YAML_TAG',
          `tag ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed in a manifest`,
          at(bang >= 0 ? bang : start),
          'remove the tag; write plain values',
        ),
      );
    },
  });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        diagnostics.push(
          yamlFinding(
            file,
            'YAML_FORBIDDEN_KEY',
            `key "${String(pair.key.value)}" is not allowed`,
            at(pair.key.range?.[0]),
            'rename or remove the key',
          ),
        );
      }
    },
  });
  if (diagnostics.length > 0) return parsed;

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    diagnostics.push(
      yamlFinding(
        file,
        'EMPTY_FILE',
        'the file is empty; a manifest needs apiVersion, kind, metadata and envision',
        START,
        'run `mlops init` to scaffold one',
      ),
    );
    return parsed;
  }
  if (!isMap(doc.contents)) {
    diagnostics.push(
      yamlFinding(
        file,
        'NOT_A_MAPPING',
        `the top level must be a mapping of keys (apiVersion, kind, ...), not a ${isSeq(doc.contents) ? 'list' : 'single value'}`,
        at(doc.contents.range?.[0]),
      ),
    );
    return parsed;
  }
  try {
    parsed.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    parsed.data = undefined;
    diagnostics.push(
      yamlFinding(
        file,
        'YAML_ALIAS_LIMIT',
        `aliases expand too far (${firstLine(error instanceof Error ? error.message : String(error))})`,
        firstAliasPos(doc, at),
        'write the values out instead of repeating aliases',
      ),
    );
  }
  return parsed;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function firstAliasPos(doc: Document, at: (o: number | undefined) => Position): Position {
  let pos = START;
  visit(doc, {
    Alias(_, node) {
      pos = at(node.range?.[0]);
      return visit.BREAK;
    },
  });
  return pos;
}

function findOffset(
  doc: Document,
  path: readonly PathSegment[],
  target: Target,
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
