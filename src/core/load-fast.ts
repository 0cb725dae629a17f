import { CORE_SCHEMA, load as loadFast } from 'js-yaml';
import { MAX_MANIFEST_BYTES } from './limits.js';

/** Text that the fast parser might read differently from `yaml`, or that needs a finding. */
const NEEDS_FULL_PARSE = new RegExp(
  [
    /(?:^|[\s,[{])[&*!]/.source, // anchors, aliases, tags
    /(?:^|[\s,{])["']?(?:__proto__|constructor|prototype)["']?\s*:/.source, // forbidden keys
    /(?:^|[\s,{?-])(?:null|Null|NULL|~)\s*:/.source, // null keys: "" in yaml, "null" in js-yaml
    /\b0b[01_]/.source, // binary: a number in js-yaml, text in YAML 1.2 core
    /\n(?:---|\.\.\.)(?:\s|$)/.source, // document markers after the start (js-yaml allows them in quotes)
    /(?:^|[:,[{-]\s*)"(?:[^"\\\n]|\\.)*$/.source, // a double-quoted value continued on the next line
    /(?:^|[:,[{-]\s*)'(?:[^'\n]|'')*$/.source, // a single-quoted value continued on the next line
  ].join('|'),
  'm',
);

/**
 * Reads plain data without positions, about 8x faster than `parseManifest`. Returns
 * `undefined` whenever the text holds anything the two parsers could read differently
 * (anchors, aliases, tags, forbidden keys) or it does not parse (several documents):
 * callers then fall back to `parseManifest`, which is authoritative.
 */
export function parseManifestFast(text: string): unknown {
  if (text.length > MAX_MANIFEST_BYTES / 4 && Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) {
    return undefined;
  }
  if (NEEDS_FULL_PARSE.test(text)) return undefined;
  try {
    const data = loadFast(text, { schema: CORE_SCHEMA });
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? data : undefined;
  } catch {
    return undefined;
  }
}
