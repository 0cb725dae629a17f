import type { PathSegment } from '../findings.js';
import { MAX_KEY_LENGTH, inFastCharacters, onlyCrLf } from './quick-text.js';
import type { FastRead } from './quick-text.js';
import { FORBIDDEN_KEYS } from './limits.js';
import { mayBeTyped, resolvePlainScalar } from './scalars.js';
import { offsetAlong } from './offset-walk.js';

/**
 * The line reader: a reader of the plain shape most manifests have, line by line, several times
 * faster than js-yaml on them, with positions recorded as it reads. Like the fast reader
 * (fast-reader.ts) it reads only where yaml provably reads the same, and declines anything else,
 * leaving the text to the next reader:
 *
 * - block mappings whose keys are plain words (a letter, `_` or `.`, then letters, digits, `_`,
 *   `-`, `.`, `/`, `$`) that read as text, or quoted scalars on one line, each followed by `:`
 *   and a space or the end of the line;
 * - block sequences, with a mapping on the dash's line (`- id: a`) and, under a key, at the
 *   key's own indentation (`a:\n- x`);
 * - on the line of a key or a dash: a plain scalar, resolved by yaml's own core-schema tags
 *   (scalars.ts); a quoted scalar that closes on its line, with the common escapes; a flow
 *   collection of such scalars and flow collections that closes on its line; a literal or
 *   folded block scalar without an indentation indicator;
 * - comments on their own lines and after a value (after a space); LF or CRLF line ends.
 *
 * Declined: whatever the fast reader declines (tabs, carriage returns without a line feed,
 * control characters, directives and document markers), anchors, aliases, tags, complex keys,
 * keys that yaml reads as numbers, booleans or null, quoted keys of digits only, plain scalars
 * over several lines or holding `: `, flow collections over several lines, with comments,
 * empty entries or trailing commas, folded lines more indented than the first, spaces without
 * a line break at the end of a block scalar, duplicate and forbidden keys, and any indentation
 * that is not the one of an open node. test/core/fuzz.test.ts compares it with yaml.
 */
export function readLines(text: string): FastRead | undefined {
  if (!inFastCharacters(text) || (text.includes('\r') && !onlyCrLf(text))) return undefined;
  const reader = new LineReader(text);
  let data: Record<string, unknown>;
  try {
    data = reader.document();
  } catch {
    return undefined; // outside the subset (or nested past the stack): the next reader decides
  }
  return { data, offsetOf: (path, target) => reader.offsetOf(data, path, target) };
}

/** Thrown to stop reading as soon as the text leaves the subset. */
const DECLINE = new Error('outside the line subset');

const SPACE = 0x20;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DOT = 0x2e;
const COMMA = 0x2c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const PIPE = 0x7c;
const GREATER = 0x3e;

/** A letter or `_`: how a word key begins (or a `.`, see `keyEnd`). */
const keyStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
/** A letter, digit, `_`, `-`, `.`, `/` or `$`: the rest of a key. */
const keyPart = (c: number): boolean =>
  keyStart(c) || (c >= 0x30 && c <= 0x39) || c === DASH || c === DOT || c === 0x2f || c === 0x24;

/** Characters that may not begin a plain scalar here (YAML's indicators; `-` is looked at apart). */
const INDICATOR = new Set([...'?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/**
 * Word keys already read, by their first and last character and length: each checked once
 * (text, not forbidden), and shared by every manifest that has it. A slot holds one key; a
 * clash only costs a slice.
 */
const KNOWN_KEYS = new Map<number, string>();
const MAX_KNOWN_KEYS = 4096;

/** Keys of digits only: JavaScript lists them first, whatever their order in the text. */
const DIGITS = /^[0-9]+$/;

/** The escapes of a double-quoted scalar read here, and what each stands for. */
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  ' ': ' ',
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

class LineReader {
  private readonly n: number;
  /** The current content line: its start, where its content starts, and its end. */
  private lineStart = 0;
  private content = 0;
  private lineEnd = 0;
  /** Where the line after the current one starts. */
  private nextLine = 0;
  /** The current line's indentation; for a mapping on a dash's line, the column of its key. */
  private indent = 0;
  private eof = false;
  /** Where the value read last starts (see `value`). */
  private valueAt = 0;
  /** Where the quoted scalar read last ends (past its closing quote). */
  private quoteEnd = 0;
  /** The first backslash at or after `searchedFrom` (see `backslashFrom`). */
  private backslash = -1;
  private searchedFrom = 0;
  /** The key `keyEnd` read last, when it was quoted. */
  private quotedKey: string | undefined;
  /** Where the flow collection read last ends (past its closing bracket). */
  private flowEnd = 0;
  /** Offsets of each collection's entries: a mapping's key and value, a sequence's items. */
  private readonly spots = new Map<object, number[]>();
  /** The first entry's key: where the document starts. */
  private rootAt = 0;
  /** Key → entry number, per mapping asked for a position. */
  private readonly keyIndex = new Map<object, Map<string, number>>();

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  document(): Record<string, unknown> {
    this.seek(0);
    if (this.eof || this.indent !== 0) throw DECLINE;
    this.rootAt = this.content;
    const root = this.mapping(0);
    if (!this.eof) throw DECLINE;
    return root;
  }

  /** Moves to the first line from `from` (a line start) with content other than a comment. */
  private seek(from: number): void {
    const t = this.text;
    let start = from;
    while (start < this.n) {
      let p = start;
      p = this.skipSpaces(p);
      const nl = t.indexOf('\n', p);
      const end = this.contentEnd(start, nl);
      const next = nl < 0 ? this.n + 1 : nl + 1;
      if (p < end && t.charCodeAt(p) !== HASH) {
        this.lineStart = start;
        this.content = p;
        this.lineEnd = end;
        this.nextLine = next;
        this.indent = p - start;
        return;
      }
      start = next;
    }
    this.eof = true;
    this.indent = -1;
  }

  /** Where the content of the line from `start` ends: before its line break (`nl`, or -1). */
  private contentEnd(start: number, nl: number): number {
    if (nl < 0) return this.n;
    return nl > start && this.text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
  }

  /** A dash that opens a sequence entry at `p`: followed by a space or the end of the line. */
  private dashAt(p: number): boolean {
    return (
      this.text.charCodeAt(p) === DASH &&
      (p + 1 >= this.lineEnd || this.text.charCodeAt(p + 1) === SPACE)
    );
  }

  /**
   * The colon of a key at `p`, followed by a space or the end of the line, or -1 when no key
   * starts there. A key is a word, or a quoted scalar on one line (then `quotedKey` holds it).
   */
  private keyEnd(p: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    let q: number;
    if (c === DQUOTE || c === SQUOTE) {
      this.quotedKey = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p);
      q = this.quoteEnd;
    } else {
      if (!keyStart(c) && c !== DOT) return -1;
      this.quotedKey = undefined;
      q = p + 1;
      while (keyPart(t.charCodeAt(q))) q++;
    }
    if (t.charCodeAt(q) !== COLON) return -1;
    return q + 1 >= this.lineEnd || t.charCodeAt(q + 1) === SPACE ? q : -1;
  }

  /**
   * The key whose colon `keyEnd` found at `end`, as yaml reads it, or DECLINE: text, not too
   * long, allowed, not yet in `map`, and not digits only (JavaScript would move it first).
   */
  private key(map: Record<string, unknown>, start: number, end: number): string {
    const quoted = this.quotedKey;
    if (quoted === undefined) {
      // a word key read before, at most once per manifest: the same string again, without a
      // slice of the text to make, hash and look up (manifests repeat their keys)
      const t = this.text;
      const length = end - start;
      const slot =
        length < 64 ? (t.charCodeAt(start) << 14) | (t.charCodeAt(end - 1) << 6) | length : -1;
      const known = slot < 0 ? undefined : KNOWN_KEYS.get(slot);
      if (known !== undefined && t.startsWith(known, start)) {
        if (Object.hasOwn(map, known)) throw DECLINE;
        return known;
      }
      const key = t.slice(start, end);
      if (
        length > MAX_KEY_LENGTH ||
        FORBIDDEN_KEYS.has(key) ||
        (mayBeTyped(key) && resolvePlainScalar(key) !== key) ||
        Object.hasOwn(map, key)
      )
        throw DECLINE;
      // a copy, which holds no slice of this text; a file of 80,000 odd keys fills no memory
      if (slot >= 0 && KNOWN_KEYS.size < MAX_KNOWN_KEYS)
        KNOWN_KEYS.set(slot, JSON.parse(JSON.stringify(key)) as string);
      return key;
    }
    const key = quoted;
    if (
      end - start > MAX_KEY_LENGTH ||
      FORBIDDEN_KEYS.has(key) ||
      (quoted === undefined
        ? mayBeTyped(key) && resolvePlainScalar(key) !== key
        : DIGITS.test(key)) ||
      Object.hasOwn(map, key)
    )
      throw DECLINE;
    return key;
  }

  /** A block mapping whose first key is at the current content, `indent` deep. */
  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const spots: number[] = [];
    this.spots.set(map, spots);
    for (;;) {
      const start = this.content;
      const colon = this.keyEnd(start);
      if (colon < 0) throw DECLINE;
      const key = this.key(map, start, colon);
      const value = this.value(colon + 1, indent, true);
      map[key] = value;
      spots.push(start, this.valueAt);
      if (this.eof || this.indent < indent) return map;
      if (this.indent > indent) throw DECLINE;
    }
  }

  /** A block sequence whose first dash is at the current content, `indent` deep. */
  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    const spots: number[] = [];
    this.spots.set(list, spots);
    const t = this.text;
    for (;;) {
      const dash = this.content;
      let p = dash + 1;
      p = this.skipSpaces(p);
      if (p < this.lineEnd && t.charCodeAt(p) !== HASH && this.keyEnd(p) >= 0) {
        // a mapping on the dash's line: its keys line up with the first one
        this.content = p;
        this.indent = p - this.lineStart;
        list.push(this.mapping(this.indent));
        spots.push(p);
      } else {
        if (this.dashAt(p) && p < this.lineEnd) throw DECLINE; // `- - x`
        list.push(this.value(dash + 1, indent, false));
        spots.push(this.valueAt);
      }
      if (this.eof || this.indent < indent) return list;
      if (this.indent > indent) throw DECLINE;
      if (!this.dashAt(this.content)) return list;
    }
  }

  /**
   * The value after a key's colon or an entry's dash, at `from`, in a collection `indent` deep;
   * `inMapping` allows a sequence at the key's own indentation. Leaves the current line at the
   * next content line after the value, and `valueAt` where the value starts.
   */
  private value(from: number, indent: number, inMapping: boolean): unknown {
    const t = this.text;
    let p = from;
    p = this.skipSpaces(p);
    const c = t.charCodeAt(p);
    if (p >= this.lineEnd || c === HASH) {
      // nothing on this line: a collection below, or null
      const empty = p;
      this.seek(this.nextLine);
      if (!this.eof) {
        const at = this.content;
        let below: unknown[] | Record<string, unknown> | undefined;
        if (this.indent > indent)
          below = this.dashAt(at) ? this.sequence(this.indent) : this.mapping(this.indent);
        else if (inMapping && this.indent === indent && this.dashAt(at))
          below = this.sequence(indent);
        if (below !== undefined) {
          this.valueAt = at; // the collection's entries set it as they were read
          return below;
        }
      }
      this.valueAt = empty;
      return null;
    }
    this.valueAt = p;
    if (c === PIPE || c === GREATER) return this.blockScalar(p, indent);
    let value: unknown;
    let end: number;
    if (c === DQUOTE) {
      value = this.doubleQuoted(p);
      end = this.quoteEnd;
    } else if (c === SQUOTE) {
      value = this.singleQuoted(p);
      end = this.quoteEnd;
    } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      value = c === OPEN_SQUARE ? this.flowSequence(p) : this.flowMapping(p);
      end = this.flowEnd;
    } else {
      value = this.plain(p);
      end = this.lineEnd;
    }
    this.lineRest(end);
    this.seek(this.nextLine);
    // a deeper line after a scalar would continue it, or be an error
    if (!this.eof && this.indent > indent) throw DECLINE;
    return value;
  }

  /** What may follow a value on its line: spaces, then nothing or a comment after a space. */
  private lineRest(end: number): void {
    const t = this.text;
    let p = end;
    p = this.skipSpaces(p);
    if (p < this.lineEnd && !(t.charCodeAt(p) === HASH && p > end)) throw DECLINE;
  }

  /** A plain scalar on one line, up to a comment; resolved as yaml's core schema reads it. */
  private plain(p: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (INDICATOR.has(c)) throw DECLINE;
    if (c === DASH && (p + 1 >= this.lineEnd || t.charCodeAt(p + 1) === SPACE)) throw DECLINE;
    let end = p;
    for (let q = p; q < this.lineEnd; q++) {
      const ch = t.charCodeAt(q);
      if (ch === SPACE) continue;
      if (ch === HASH && t.charCodeAt(q - 1) === SPACE) break;
      // `a: b` on a value's line is a mapping yaml refuses there; `a:` at the end, the same
      if (ch === COLON && (q + 1 >= this.lineEnd || t.charCodeAt(q + 1) === SPACE)) throw DECLINE;
      end = q + 1;
    }
    return resolvePlainScalar(t.slice(p, end));
  }

  /** A double-quoted scalar that closes on its line, with the escapes of ESCAPES, \x and \u. */
  private doubleQuoted(p: number): string {
    const t = this.text;
    let out = '';
    let from = p + 1;
    // the first quote at or after `from`: searched again only once passed (an escaped quote),
    // so that a scalar of many escapes is not searched to its end at each one
    let quote = -1;
    for (;;) {
      if (quote < from) {
        quote = t.indexOf('"', from);
        if (quote < 0 || quote >= this.lineEnd) throw DECLINE;
      }
      const slash = this.backslashFrom(from);
      if (slash > quote) {
        this.quoteEnd = quote + 1;
        return out + t.slice(from, quote);
      }
      out += t.slice(from, slash);
      const e = t[slash + 1]!;
      if (e === 'x' || e === 'u') {
        const digits = e === 'x' ? 2 : 4;
        const hex = t.slice(slash + 2, slash + 2 + digits);
        if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) throw DECLINE;
        const code = parseInt(hex, 16);
        if (code >= 0xd800 && code <= 0xdfff) throw DECLINE;
        out += String.fromCharCode(code);
        from = slash + 2 + digits;
      } else {
        if (!Object.hasOwn(ESCAPES, e)) throw DECLINE;
        out += ESCAPES[e];
        from = slash + 2;
      }
    }
  }

  /**
   * The first backslash at or after `from` (the text's length if none): reading goes forward
   * (but for a key looked for and read again), so a text is searched about once in all.
   */
  private backslashFrom(from: number): number {
    // none lies between where the last search started and what it found
    if (from < this.searchedFrom || from > this.backslash) {
      const at = this.text.indexOf('\\', from);
      this.searchedFrom = from;
      this.backslash = at < 0 ? this.n : at;
    }
    return this.backslash;
  }

  /** A single-quoted scalar that closes on its line (`''` is a quote). */
  private singleQuoted(p: number): string {
    const t = this.text;
    let out = '';
    let from = p + 1;
    for (;;) {
      const quote = t.indexOf("'", from);
      if (quote < 0 || quote >= this.lineEnd) throw DECLINE;
      if (t.charCodeAt(quote + 1) !== SQUOTE) {
        this.quoteEnd = quote + 1;
        return out + t.slice(from, quote);
      }
      out += t.slice(from, quote + 1);
      from = quote + 2;
    }
  }

  /**
   * A flow node at `p`: a collection, a quoted scalar, or a plain one up to `,` or `close`;
   * `flowEnd` is set past it.
   */
  private flowScalar(p: number, close: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const value = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p);
      this.flowEnd = this.quoteEnd;
      return value;
    }
    if (c === OPEN_SQUARE) return this.flowSequence(p);
    if (c === OPEN_CURLY) return this.flowMapping(p);
    if (INDICATOR.has(c)) throw DECLINE;
    const after = t.charCodeAt(p + 1);
    if (c === DASH && (after === SPACE || after === COMMA || after === close)) throw DECLINE;
    let end = p;
    let q = p;
    for (; q < this.lineEnd; q++) {
      const ch = t.charCodeAt(q);
      if (ch === COMMA || ch === close) break;
      // `:` only before a character that could go on a plain scalar (`s3://a`); brackets,
      // braces and comments are left to the other readers
      if (ch === COLON) {
        const after = t.charCodeAt(q + 1);
        if (
          q + 1 >= this.lineEnd ||
          after === SPACE ||
          after === COMMA ||
          after === OPEN_SQUARE ||
          after === CLOSE_SQUARE ||
          after === OPEN_CURLY ||
          after === CLOSE_CURLY
        )
          throw DECLINE;
        continue;
      }
      if (
        ch === HASH ||
        ch === OPEN_SQUARE ||
        ch === CLOSE_SQUARE ||
        ch === OPEN_CURLY ||
        ch === CLOSE_CURLY
      )
        throw DECLINE;
      if (ch !== SPACE) end = q + 1;
    }
    if (end === p) throw DECLINE;
    this.flowEnd = end;
    return resolvePlainScalar(t.slice(p, end));
  }

  private skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /**
   * The entries of a flow collection that opens at `p` and closes with `close` on the same
   * line: `entry` reads one at its offset and returns where it ends. Sets `flowEnd`.
   */
  private flowEntries(p: number, close: number, entry: (at: number) => number): void {
    const t = this.text;
    let q = this.skipSpaces(p + 1);
    if (t.charCodeAt(q) !== close) {
      for (;;) {
        if (q >= this.lineEnd) throw DECLINE;
        q = this.skipSpaces(entry(q));
        const ch = t.charCodeAt(q);
        if (ch === close) break;
        if (ch !== COMMA) throw DECLINE;
        q = this.skipSpaces(q + 1);
        if (t.charCodeAt(q) === close) throw DECLINE; // a trailing comma
      }
    }
    this.flowEnd = q + 1;
  }

  /** `[a, "b", [c]]` on one line. */
  private flowSequence(p: number): unknown[] {
    const list: unknown[] = [];
    const spots: number[] = [];
    this.spots.set(list, spots);
    this.flowEntries(p, CLOSE_SQUARE, (at) => {
      list.push(this.flowScalar(at, CLOSE_SQUARE));
      spots.push(at);
      return this.flowEnd;
    });
    return list;
  }

  /** `{a: 1, "b": [x]}` on one line. */
  private flowMapping(p: number): Record<string, unknown> {
    const t = this.text;
    const map: Record<string, unknown> = {};
    const spots: number[] = [];
    this.spots.set(map, spots);
    this.flowEntries(p, CLOSE_CURLY, (start) => {
      const colon = this.keyEnd(start);
      if (colon < 0 || t.charCodeAt(colon + 1) !== SPACE) throw DECLINE;
      const key = this.key(map, start, colon);
      const at = this.skipSpaces(colon + 2);
      const c = t.charCodeAt(at);
      if (at >= this.lineEnd || c === COMMA || c === CLOSE_CURLY) throw DECLINE; // no value
      map[key] = this.flowScalar(at, CLOSE_CURLY);
      spots.push(start, at);
      return this.flowEnd;
    });
    return map;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `p`, in a collection
   * `indent` deep: its lines are those after the header that are empty or indented at least as
   * far as the first, which must be deeper than `indent` (else it is empty).
   */
  private blockScalar(p: number, indent: number): string {
    const t = this.text;
    const literal = t.charCodeAt(p) === PIPE;
    let q = p + 1;
    const chomp = t.charCodeAt(q);
    if (chomp === DASH || chomp === 0x2b /* + */) q++;
    const headerEnd = q;
    q = this.skipSpaces(q);
    if (q < this.lineEnd && !(t.charCodeAt(q) === HASH && q > headerEnd)) throw DECLINE;
    let out = '';
    let started = false;
    let contentIndent = -1;
    let empties = 0;
    // the most spaces on a line of spaces before the first content line
    let leading = 0;
    let start = this.nextLine;
    while (start < this.n) {
      const nl = t.indexOf('\n', start);
      const end = this.contentEnd(start, nl);
      const next = nl < 0 ? this.n + 1 : nl + 1;
      const first = this.skipSpaces(start);
      const depth = first - start;
      if (first >= end) {
        // spaces at the very end, without a line break: yaml counts them in ways of its own
        if (nl < 0) throw DECLINE;
        // a line of at most the content's indentation in spaces is empty
        if (contentIndent < 0) {
          if (depth > leading) leading = depth;
          empties++;
          start = next;
          continue;
        }
        if (depth <= contentIndent) {
          empties++;
          start = next;
          continue;
        }
        // more spaces than that are content of a literal scalar
      } else if (contentIndent < 0) {
        if (depth <= indent) break; // no content
        if (leading > depth) throw DECLINE; // an error in yaml
        contentIndent = depth;
      } else if (depth < contentIndent) break;
      // folded lines that are more indented keep their line breaks: left to the other readers
      if (!literal && depth > contentIndent) throw DECLINE;
      const line = t.slice(start + contentIndent, end);
      if (!started) {
        out = '\n'.repeat(empties) + line;
        started = true;
      } else if (literal) out += '\n'.repeat(empties + 1) + line;
      else out += (empties === 0 ? ' ' : '\n'.repeat(empties)) + line;
      empties = 0;
      start = next;
    }
    this.seek(start);
    if (!this.eof && this.indent > indent) throw DECLINE;
    if (!started) {
      if (leading > 0) throw DECLINE; // lines of spaces only
      return chomp === 0x2b ? '\n'.repeat(empties) : '';
    }
    if (chomp === DASH) return out;
    if (chomp === 0x2b) return out + '\n'.repeat(empties + 1);
    return out + '\n';
  }

  /** The offset of the key or value at `path`, as yaml's `findOffset` gives it. */
  offsetOf(
    data: Record<string, unknown>,
    path: readonly PathSegment[],
    target: 'key' | 'value',
  ): number | undefined {
    return offsetAlong<unknown>(data, this.rootAt, path, target, (node, seg) => {
      const spots = node !== null && typeof node === 'object' ? this.spots.get(node) : undefined;
      if (spots === undefined) return undefined;
      if (Array.isArray(node)) {
        if (typeof seg !== 'number' || !Number.isInteger(seg) || seg < 0 || seg >= node.length)
          return undefined;
        return { keyAt: undefined, valueAt: spots[seg], next: node[seg] };
      }
      const map = node as Record<string, unknown>;
      const name = String(seg);
      if (!Object.hasOwn(map, name)) return undefined;
      const k = this.entryOf(map, name);
      return { keyAt: spots[2 * k], valueAt: spots[2 * k + 1], next: map[name] };
    });
  }

  /** The entry number of `name` in `map` (keys are words, so in the order they were read). */
  private entryOf(map: Record<string, unknown>, name: string): number {
    let index = this.keyIndex.get(map);
    if (index === undefined) {
      index = new Map();
      let k = 0;
      for (const key in map) index.set(key, k++);
      this.keyIndex.set(map, index);
    }
    return index.get(name)!;
  }
}
