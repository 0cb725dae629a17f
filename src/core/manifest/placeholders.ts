import type { PathSegment } from '../findings.js';
import type { Phase } from '../manifest.js';
import { problem } from './schema-findings.js';
import type { Problem } from './schema-findings.js';

// Template placeholders left in a manifest: what `mlops init` writes for the values only people
// can give ("TODO: name"). One walk over the data finds them for validate (a warning at each)
// and for rule G4 (which fails the phase each stands in). The reader runs this on every
// manifest it parses, so the walk allocates nothing for a string that is not a placeholder.

/** A string value that still holds a template placeholder, and where it is. */
export interface Placeholder {
  path: PathSegment[];
  /** The text, on one line and shortened (see `shownText`). */
  text: string;
}

/** Whitespace as `String.prototype.trim` reads it. */
function isSpace(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Whether a string is a placeholder: its trimmed text starts with `TODO`, followed by its end,
 * a colon or whitespace ("TODO", "TODO: name", "TODO confirm"; not "TODOs" or "Todo").
 */
export function isPlaceholder(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) !== 0x54 /* T */ || !s.startsWith('TODO', i)) return false;
  i += 4;
  if (i === n) return true;
  const c = s.charCodeAt(i);
  return c === 0x3a /* : */ || isSpace(c);
}

/** At most this many characters of a placeholder are shown and kept in findings. */
const SHOWN = 60;

/** A placeholder's text as findings carry it: trimmed, its first line, at most 60 characters. */
function shownText(s: string): string {
  const trimmed = s.trim();
  const nl = trimmed.search(/[\n\r]/);
  const line = nl < 0 ? trimmed : `${trimmed.slice(0, nl).trimEnd()} …`;
  // (a slice of the text read: whoever keeps findings past the run copies them, as validate's
  // results and check's reports do)
  return line.length > SHOWN ? `${line.slice(0, SHOWN - 1)}…` : line;
}

/**
 * Every placeholder of the data, in document order: one walk over every value, keys included
 * in paths only (a key is never a placeholder).
 */
export function findPlaceholders(data: unknown): Placeholder[] {
  const out: Placeholder[] = [];
  const path: PathSegment[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (isPlaceholder(value)) out.push({ path: [...path], text: shownText(value) });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i]);
        path.pop();
      }
      return;
    }
    // for-in: the data is plain, and it allocates no list of keys (measured: 40% less time)
    for (const key in value) {
      path.push(key);
      walk((value as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(data);
  return out;
}

const SECTION_PHASES: Readonly<Record<string, Phase>> = {
  metadata: 'envision',
  envision: 'envision',
  build: 'build',
  deploy: 'deploy',
  monitor: 'monitor',
};

/**
 * The phase whose readiness a placeholder at `path` holds back (rule G4): `metadata` and
 * `envision` stand in envision, each other phase section in its own phase. Approvals, waivers
 * and team extensions (`x-` keys, at any depth) stand in none: validate warns about them only.
 */
export function placeholderPhase(path: readonly PathSegment[]): Phase | undefined {
  const first = path[0];
  if (typeof first !== 'string' || !Object.hasOwn(SECTION_PHASES, first)) return undefined;
  for (const seg of path) if (typeof seg === 'string' && seg.startsWith('x-')) return undefined;
  return SECTION_PHASES[first];
}

/** validate's warnings: a PLACEHOLDER at each placeholder, pointing at its value. */
export function placeholderProblems(data: unknown): Problem[] {
  return findPlaceholders(data).map(({ path, text }) => {
    const phase = placeholderPhase(path);
    return problem('PLACEHOLDER', path, { at: path, text, ...(phase ? { phase } : {}) });
  });
}
