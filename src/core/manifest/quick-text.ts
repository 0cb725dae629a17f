import type { PathSegment } from '../findings.js';

/**
 * What the quick readers (line-reader.ts, then fast-reader.ts) share: what they give for a text
 * they accept, and the texts both leave to yaml.
 */

/** A text a quick reader accepted: its data, and where each of its nodes is. */
export interface FastRead {
  data: Record<string, unknown>;
  /** The offset of the node at `path` (or of the deepest key on it), as yaml would give it. */
  offsetOf(path: readonly PathSegment[], target: 'key' | 'value'): number | undefined;
}

/** Keys longer than this are an error in yaml (1,024 characters from the key to its colon). */
export const MAX_KEY_LENGTH = 1000;

/** Characters that send a text to yaml: tabs, controls, surrogates (paired or not), BOMs. */
const UNSAFE_CHARS = /[\0-\x08\t\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;
/** Directives and document markers, which only yaml reads. */
const MARKERS = /^(?:%|---|\.\.\.)/m;

/**
 * False for a text with characters or lines only yaml reads: tabs, controls, surrogates, BOMs,
 * directives and document markers.
 */
export function inFastCharacters(text: string): boolean {
  if (UNSAFE_CHARS.test(text)) return false;
  return !(
    (text.includes('%') || text.includes('---') || text.includes('...')) &&
    MARKERS.test(text)
  );
}

/** Every carriage return is followed by a line feed. */
export function onlyCrLf(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1))
    if (text.charCodeAt(i + 1) !== 0x0a) return false;
  return true;
}
