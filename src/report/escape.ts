/**
 * What inputs may hold and outputs must not pass on. Every string that comes from outside mlops
 * (manifest keys and values, evidence, file and folder names, revisions, git's messages) goes
 * through one of these before it reaches a terminal or a pull-request comment:
 *
 * - text (terminal, CI log): `escapeLine` in one-line places (every line of a report and of an
 *   error), `escapeControl` where a newline may stay (a stack trace, commander's help and usage).
 * - Markdown: `mdText` for Markdown text (paragraphs, list items, table cells), `mdCode` for a
 *   value shown as code, `mdSpans` for a message whose backticks mark code, `htmlText` inside
 *   HTML blocks (`<details>`, `<summary>`), where Markdown is not read.
 *
 * JSON and SARIF keep strings as they are: JSON escapes control characters itself.
 */

/** C0 controls other than tab and newline, DEL, and C1 controls (ESC, BEL, CSI, OSC, ...). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Control characters shown as `\x1b`, `\x07`, `\x9b`, so that no escape sequence from an input
 * reaches a terminal; tab and newline stay as they are.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, hex);
}

/** For a place that is one line: control characters escaped, and a newline shown as `\n`. */
export function escapeLine(s: string): string {
  return escapeControl(s).replace(/\n/g, '\\n');
}

/** Line breaks as spaces: a value in Markdown never starts a new line (or a new table row). */
const oneLine = (s: string): string => s.replace(/\r\n|[\r\n]/g, ' ');

/** Mentions (`@team`, also e-mail addresses), issue links (`#12`) and bare links made inert. */
function inertReferences(s: string): string {
  // a zero-width space after `@`, `#`, `:` or `www` breaks the pattern; the text reads the same
  return s.replace(/[@#:]|www/gi, (m, at: number) => {
    const next = s.slice(at + m.length, at + m.length + 2);
    const inert =
      (m === '@' && /^\w/.test(next)) ||
      (m === '#' && /^\d/.test(next)) ||
      (m === ':' && next === '//') ||
      (m.length === 3 && next.startsWith('.') && !/\w/.test(s[at - 1] ?? ''));
    return inert ? `${m}&#8203;` : m;
  });
}

const MD_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '`': '\\`',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

/**
 * An input as Markdown text that says exactly what it holds and does nothing else: no HTML, no
 * link or image, no autolink, no @-mention, no code span, no heading or list at its start, and
 * nothing that breaks a table row (`|`, a line break). Control characters are shown as `\x1b`.
 * `start: false` for text that follows other text on its line, where no block can begin.
 */
export function mdText(s: string, options: { start?: boolean } = {}): string {
  const text = inertReferences(
    escapeControl(oneLine(s)).replace(/[\\`[\]|&<>]/g, (c) => MD_ESCAPES[c]!),
  );
  if (options.start === false) return text;
  // a block marker at the start would make a heading, a list, a quote or a fence of a list item
  return text.replace(/^(\s*)(?:([#+*_~=-])|(\d+)([.)]))/, (_, sp, mark, n, p) =>
    mark !== undefined ? `${sp}\\${mark}` : `${sp}${n}\\${p}`,
  );
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/** An input inside an HTML block (`<summary>...</summary>`): entities, and no @-mention. */
export function htmlText(s: string): string {
  return inertReferences(escapeControl(oneLine(s)).replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!));
}

/**
 * An input shown as code in Markdown: a code span when nothing in it can end the span or the
 * table row, else `<code>` around the escaped text (which reads the same).
 */
export function mdCode(s: string): string {
  const text = escapeControl(oneLine(s));
  return text === '' || /[`|]/.test(text) || text.trim() === ''
    ? `<code>${mdText(text)}</code>`
    : `\`${text}\``;
}

/**
 * Stands for a backtick of an input inside a message while the message's own backticks mark
 * code: `protect` puts it in, `mdSpans` takes it out again.
 */
const BACKTICK = '\uE000';

/** An input that will be part of a message that `mdSpans` renders. */
export function protect(s: string): string {
  return s.replace(/`/g, BACKTICK);
}

/**
 * A message of mlops as Markdown: its backticks mark code (`mlops validate x`), everything else
 * is text. Inputs in it must have gone through `protect`, so that theirs mark nothing.
 */
export function mdSpans(message: string): string {
  const parts = message.split('`');
  const restore = (p: string): string => p.replace(/\uE000/g, '`');
  // an odd backtick has no partner: the last part is text
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  return parts
    .map((p, i) => {
      const start = i === 0;
      if (i >= closed) return mdText(`\`${restore(p)}`, { start });
      return i % 2 === 1 ? mdCode(restore(p)) : mdText(restore(p), { start });
    })
    .join('');
}

/**
 * A value as JSON, two spaces deep. JSON.stringify escapes C0 controls but leaves DEL and C1
 * (U+007F to U+009F) as they are; they are written as `\u009b` too, which reads back the same.
 */
/**
 * `jsonText({ ...value, [key]: items.map(render) })`, the same text, made an item at a time: the
 * JSON objects of one item are dropped once its text is made, and the text can be written as it
 * is made, so a list of thousands never has all its objects, nor all its text, held at once.
 * `value[key]` must be an empty list (its place).
 */
export function* jsonChunksOfList<T>(
  value: Record<string, unknown>,
  key: string,
  items: readonly T[],
  render: (item: T) => unknown,
): Generator<string> {
  const whole = jsonText(value);
  const place = `\n  ${JSON.stringify(key)}: []`;
  const at = whole.indexOf(place);
  if (at < 0 || items.length === 0) return yield whole;
  yield `${whole.slice(0, at + place.length - 1)}\n`;
  // an item of a list under a key of the top object is indented by four spaces; a string in
  // JSON never holds a line break, so every line break of an item's text is one of its lines
  for (let i = 0; i < items.length; i++)
    yield `${i > 0 ? ',\n' : ''}    ${jsonText(render(items[i]!)).replaceAll('\n', '\n    ')}`;
  yield `\n  ]${whole.slice(at + place.length)}`;
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\x7f-\x9f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
