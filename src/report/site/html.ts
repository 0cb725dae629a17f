// Escaping and formatting for the report's HTML pages. Every string from a repository goes
// through `esc` before it reaches a page, whatever its place: element text, a double-quoted
// attribute value, or SVG (which an HTML page parses as HTML). Nothing from a repository is
// ever put in a <style>, a <script> or a URL.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/**
 * Whatever `esc` changes: a string without any is returned as it is (the common case). Every
 * character above U+00FF is among them, written as a character reference, so that a page is a
 * one-byte (Latin-1) string in memory whatever the data holds: building and writing two-byte
 * strings costs three times as much, and a page holds thousands of pieces.
 */
const UNSAFE = /[&<>"'\x00-\x08\x0b-\x1f\x7f-\x9f\u0100-\uffff]/;

/**
 * The same, one change at a time: a surrogate pair is matched whole (one character), so that
 * only a lone surrogate is replaced; CRLF is matched whole so that it becomes one line break.
 */
const CHANGES =
  /[\ud800-\udbff][\udc00-\udfff]|\r\n?|[&<>"'\x00-\x08\x0b-\x1f\x7f-\x9f\u0100-\uffff]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** A character above U+00FF: a string that holds one is two bytes a character. */
const WIDE = /[\u0100-\uffff]/;

const REPLACEMENT = '&#xFFFD;';

function change(c: string): string {
  const entity = ENTITIES[c];
  if (entity !== undefined) return entity;
  if (c[0] === '\r') return '\n';
  const code = c.codePointAt(0)!;
  // C0 and C1 controls, DEL
  if (code <= 0x9f) return REPLACEMENT;
  // bidi embeddings, overrides and isolates are shown, never obeyed: `[U+202E]`
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
    return `[U+${code.toString(16).toUpperCase()}]`;
  // a lone surrogate, and the noncharacters U+FFFE and U+FFFF
  if ((code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) return REPLACEMENT;
  return `&#x${code.toString(16).toUpperCase()};`;
}

/**
 * A string from a repository, safe as HTML text, as a double-quoted attribute value and inside
 * SVG: `& < > " '` as entities; C0 controls (but tab and line feed), DEL, C1 controls, lone
 * surrogates and U+FFFE/U+FFFF become U+FFFD (the replacement character); a carriage return
 * (or CRLF) becomes a line feed; the bidi embedding, override and isolate controls
 * (U+202A-U+202E, U+2066-U+2069) are shown as `[U+202E]`, so that no text can reorder what the
 * page shows around it; any other character above U+00FF as a character reference (`&#x2192;`),
 * which reads the same.
 */
export function esc(s: string): string {
  if (!UNSAFE.test(s)) return s;
  const out = s.replace(CHANGES, change);
  // the parts kept of a two-byte string are two-byte too, though Latin-1 now: copied to one byte
  return WIDE.test(s) ? Buffer.from(out, 'latin1').toString('latin1') : out;
}

/**
 * A copy of `value` (plain JSON data) whose strings are one byte a character where they can be.
 * A string cut from a text that holds any character above U+00FF (a manifest read by the YAML
 * reader) is two bytes a character however plain, and one such piece makes a whole page
 * two-byte, three times as slow to build and write. JSON.parse makes each string anew, one-byte
 * when it can: the fastest copy there is. (A number that is not finite becomes null, which the
 * pages show as they show NaN: not at all.)
 */
export function narrow<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A value that may be missing or not a string (JSON from elsewhere), escaped. */
export function escAny(v: unknown): string {
  return v === undefined || v === null ? '' : esc(String(v));
}

/** A number as JSON prints it (`data-value`); a non-finite number as `null`. */
export function jsonNumber(n: number): string {
  // String(n) is JSON's number for every finite number (-0 as `0` too)
  return Number.isFinite(n) ? String(n) : 'null';
}

/** A number a page can show: finite. */
export function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** U+2212 as an entity: pages stay one byte a character (Latin-1) unless the data is not. */
const MINUS = '&#8722;';

/** Digits in groups of three, comma-separated: `1234567` as `1,234,567`. */
function group(digits: string): string {
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * A number for people, by one rule whatever the machine's locale: at most six significant
 * digits; an integer part of five digits or more grouped by threes with commas (`12,500`);
 * below 0.0001 or from 10^15, an exponent (`1.5e-7`); a minus sign (U+2212, as `&#8722;`: the
 * result is HTML) for negatives; `n/a` for a number that is not finite.
 */
export function fmtNumber(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n === 0) return '0';
  const sign = n < 0 ? MINUS : '';
  const a = Math.abs(n);
  if (a >= 1e-4 && a < 1e4) {
    // the common case: seven characters or fewer hold at most six significant digits
    const s = String(a);
    if (s.length <= 7) return sign + s;
  }
  if (a >= 1e15 || a < 1e-4) {
    const [mantissa, exponent] = a.toExponential(5).split('e') as [string, string];
    const m = mantissa.replace(/\.?0+$/, '');
    return `${sign}${m}e${exponent.replace('+', '')}`;
  }
  const s = String(Number(a.toPrecision(6)));
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot);
  return `${sign}${int.length >= 5 ? group(int) : int}${frac}`;
}

/** A number with its unit (escaped): `438 ms`, `12%`. */
export function fmtValue(n: number, unit?: string): string {
  const v = fmtNumber(n);
  if (unit === undefined || unit === '') return v;
  return unit === '%' ? `${v}%` : `${v} ${esc(unit)}`;
}

/** A path segment of a link: lowercase letters, digits and hyphens, dot-separated. */
const SEGMENT = '[a-z0-9-]+(?:\\.[a-z0-9-]+)*';
const RELATIVE = new RegExp(`^(?:\\.\\./)*${SEGMENT}(?:/${SEGMENT})*$`);

/**
 * `path` as an `href` when it is a relative link made of `[a-z0-9-./]` only (leading `../`
 * allowed, no `.` or empty segment, no scheme, no query): else undefined, and no link is made.
 */
export function relHref(path: string): string | undefined {
  return RELATIVE.test(path) ? path : undefined;
}

/** `<a href>` around `inner` (already HTML) when `path` is a safe relative link, else `inner`. */
export function link(path: string, inner: string): string {
  const href = relHref(path);
  return href === undefined ? inner : `<a href="${esc(href)}">${inner}</a>`;
}

/** A CSP source for the exact text of an inline `<style>` or `<script>`. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

/** Whether `s` is a date as the report gives them (YYYY-MM-DD). */
export function isIsoDate(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
}

/**
 * A message of mlops as HTML: its backtick pairs mark code (`mlops approve ...`), everything
 * is escaped. An odd backtick stays as it is.
 */
export function spans(message: string): string {
  if (!message.includes('`')) return esc(message);
  const parts = message.split('`');
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i >= closed) out += esc(`\`${p}`);
    else out += i % 2 === 1 ? `<code>${esc(p)}</code>` : esc(p);
  }
  return out;
}
