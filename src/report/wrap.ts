/**
 * Text output on a terminal, wrapped at its width (`ReportContext.width`). Lines break between
 * words; a word wider than the line (a long path) is broken where it must be. Width is what the
 * terminal shows: color codes take no column, East Asian wide characters and emoji take two,
 * combining marks none. A continuation line starts at the line's indent plus its hanging marker
 * (`✖ B3  `, `→ `), or at the column the caller gives; colors go on where they left off, and a
 * color code is never cut. Without a width, text is left exactly as it is.
 */

/** A color (SGR) or other CSI sequence, or an OSC sequence such as a hyperlink. */
const ESCAPE = /\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;

/** The fewest columns a continuation line keeps for text, whatever the hang asked for. */
const MIN_TEXT = 20;

/**
 * Made on first use: a segmenter costs ~20 ms to make (ICU's data), which a run that wraps
 * nothing (any pipe or file) must not pay.
 */
let segmenter: Intl.Segmenter | undefined;
const graphemes = (text: string): Intl.Segments =>
  (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text);

/** Ranges of East Asian Wide and Fullwidth characters that are not emoji (those are found by property). */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1aff0, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  for (const [from, to] of WIDE) {
    if (cp < from) return false;
    if (cp <= to) return true;
  }
  return false;
}

const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const EMOJI = /\p{Emoji}/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]+$/u;

/** The columns one grapheme takes on a terminal. */
function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0)!;
  if (cp < 0x7f && g.length === 1) return cp < 0x20 ? 0 : 1;
  if (EMOJI_PRESENTATION.test(g) || (g.includes('\uFE0F') && EMOJI.test(g))) return 2;
  if (isWide(cp)) return 2;
  if (ZERO_WIDTH.test(g)) return 0;
  return 1;
}

interface Unit {
  text: string;
  width: number;
  /** A terminal escape (zero width, never cut), a space, or a grapheme of text. */
  kind: 'escape' | 'space' | 'char';
}

/** Text whose every character takes one column: most of what reports print. */
const NARROW = /^[\x20-\x7e\u00a0-\u02ff→←↑↓✖✔⚠ℹ•…›–—‘’“”·×≤≥]*$/u;
const SGR = /\x1b\[[0-9;]*m/g;

function unitsOf(s: string): Unit[] {
  const units: Unit[] = [];
  let text = '';
  const flush = (): void => {
    if (text === '') return;
    for (const { segment } of graphemes(text)) {
      units.push(
        segment === ' '
          ? { text: segment, width: 1, kind: 'space' }
          : { text: segment, width: graphemeWidth(segment), kind: 'char' },
      );
    }
    text = '';
  };
  for (let i = 0; i < s.length;) {
    ESCAPE.lastIndex = i;
    const m = s.charCodeAt(i) === 0x1b ? ESCAPE.exec(s) : null;
    if (m) {
      flush();
      units.push({ text: m[0], width: 0, kind: 'escape' });
      i += m[0].length;
    } else {
      text += s[i];
      i++;
    }
  }
  flush();
  return units;
}

/** The columns `s` takes on a terminal: color codes none, wide characters and emoji two. */
export function displayWidth(s: string): number {
  const bare = s.includes('\x1b') ? s.replace(SGR, '') : s;
  if (NARROW.test(bare)) return bare.length;
  let n = 0;
  for (const u of unitsOf(s)) n += u.width;
  return n;
}

/** `s` without its terminal escapes: what the terminal shows. */
export function plainText(s: string): string {
  return unitsOf(s)
    .filter((u) => u.kind !== 'escape')
    .map((u) => u.text)
    .join('');
}

/** A marker that a line's text hangs from: `→ `, `✖ `, `- `, `1. `. */
const MARKER = /^(?:[→✖✔⚠ℹ~•*-]|\d{1,2}\.) +/u;

/** Where continuation lines start by default: the line's indent, plus its marker. */
export function hangOf(line: string): number {
  const plain = plainText(line);
  const indent = plain.length - plain.trimStart().length;
  const marker = MARKER.exec(plain.slice(indent));
  return indent + (marker ? displayWidth(marker[0]) : 0);
}

/** The code that ends what an SGR sequence started: bold and dim 22, a color 39, ... */
function closeOf(sgr: string): string | undefined {
  const m = /^\x1b\[([0-9;:]*)m$/.exec(sgr);
  if (!m) return undefined;
  const first = Number((m[1] ?? '').split(/[;:]/)[0] || 0);
  if (first === 1 || first === 2) return '\x1b[22m';
  if (first >= 3 && first <= 9 && first !== 6) return `\x1b[2${first}m`;
  if ((first >= 30 && first <= 38) || (first >= 90 && first <= 97)) return '\x1b[39m';
  if ((first >= 40 && first <= 48) || (first >= 100 && first <= 107)) return '\x1b[49m';
  return undefined;
}

const isReset = (sgr: string): boolean => sgr === '\x1b[0m' || sgr === '\x1b[m';

/** The SGR sequences in force after `esc`, given those before. */
function track(active: string[], esc: string): string[] {
  if (isReset(esc)) return [];
  if (!/^\x1b\[[0-9;:]*m$/.test(esc)) return active;
  const close = closeOf(esc);
  if (close !== undefined) return [...active, esc];
  // a close code: what it closes is no longer in force
  return active.filter((open) => closeOf(open) !== esc);
}

type Word = { spaces: Unit[]; units: Unit[]; width: number };

const backticks = (units: readonly Unit[]): number =>
  units.reduce((n, u) => n + (u.kind === 'char' ? u.text.split('`').length - 1 : 0), 0);

/**
 * Joins the words of a code span (`mlops approve a.yaml --by cco`) into one, with their spaces,
 * so that a command is never broken across lines and can be copied whole; a span wider than
 * `room` (a line's width less its hang) stays in words, broken at its spaces.
 */
function keepCodeTogether(words: Word[], room: number): void {
  for (let i = 0; i < words.length; i++) {
    if (backticks(words[i]!.units) % 2 === 0) continue;
    let end = i + 1;
    let width = words[i]!.width;
    while (end < words.length) {
      const w = words[end]!;
      width += w.spaces.reduce((n, u) => n + u.width, 0) + w.width;
      end++;
      if (backticks(w.units) % 2 === 1) break;
    }
    if (end - i < 2 || width > room || backticks(words[end - 1]!.units) % 2 === 0) continue;
    const joined: Word = { spaces: words[i]!.spaces, units: [...words[i]!.units], width };
    for (let k = i + 1; k < end; k++) joined.units.push(...words[k]!.spaces, ...words[k]!.units);
    words.splice(i, end - i, joined);
  }
}

/**
 * One line (or several, at its line breaks) wrapped at `width` columns. Continuation lines start
 * at `hang` columns (default: the line's indent plus its marker, see `hangOf`), kept to leave at
 * least 20 columns of text. Without `width`, or when the line fits, it is returned as it is.
 */
export function wrapLine(line: string, width: number | undefined, hang?: number): string {
  if (width === undefined) return line;
  if (line.includes('\n'))
    return line
      .split('\n')
      .map((l) => wrapLine(l, width, hang))
      .join('\n');
  if (displayWidth(line) <= width) return line;
  const units = unitsOf(line);
  // as far right as asked, while leaving room for text
  const h = Math.max(0, Math.min(hang ?? hangOf(line), width - MIN_TEXT));
  const pad = ' '.repeat(h);

  // the line's indent (and any color codes around it) stays on its first line
  let i = 0;
  const lead: Unit[] = [];
  while (i < units.length && units[i]!.kind !== 'char') lead.push(units[i++]!);
  // words: runs of non-space units; the spaces between them are where a line may break
  const words: Word[] = [];
  let spaces: Unit[] = [];
  while (i < units.length) {
    if (units[i]!.kind === 'space') {
      spaces.push(units[i++]!);
      continue;
    }
    const word: Unit[] = [];
    let w = 0;
    while (i < units.length && units[i]!.kind !== 'space') {
      w += units[i]!.width;
      word.push(units[i++]!);
    }
    words.push({ spaces, units: word, width: w });
    spaces = [];
  }
  const trailing = spaces;
  keepCodeTogether(words, width - h);

  const out: string[] = [];
  let active: string[] = [];
  let current = lead.map((u) => u.text).join('');
  let used = lead.reduce((n, u) => n + u.width, 0);
  let empty = true; // nothing but the indent or the hang on the current line yet
  for (const u of lead) if (u.kind === 'escape') active = track(active, u.text);

  const newLine = (): void => {
    const closes = [...active]
      .reverse()
      .map((open) => closeOf(open))
      .filter((c, k, all) => c !== undefined && all.indexOf(c) === k);
    out.push(current + closes.join(''));
    current = pad + active.join('');
    used = h;
    empty = true;
  };
  const put = (u: Unit): void => {
    current += u.text;
    used += u.width;
    if (u.kind === 'escape') active = track(active, u.text);
    else empty = false;
  };

  for (const word of words) {
    const gap = word.spaces.reduce((n, u) => n + u.width, 0);
    if (word.width === 0) {
      // color codes alone never start a line
      if (!empty && used + gap <= width) for (const s of word.spaces) put(s);
      for (const u of word.units) put(u);
      continue;
    }
    if (!empty && used + gap + word.width > width) newLine();
    else if (!empty) for (const s of word.spaces) put(s);
    if (used + word.width <= width) {
      for (const u of word.units) put(u);
      continue;
    }
    // a word wider than what is left of an empty line: broken at a grapheme
    for (const u of word.units) {
      if (u.kind !== 'escape' && !empty && used + u.width > width) newLine();
      put(u);
    }
  }
  for (const s of trailing) if (used + s.width <= width) put(s);
  out.push(current);
  return out.join('\n');
}
