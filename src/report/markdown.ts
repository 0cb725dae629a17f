/**
 * The size of a Markdown report. A pull-request comment holds 65,536 characters; a report stops
 * at 60,000, leaving out whole pieces (a table row, a folded section), never part of one, and
 * ends with a line that says what was left out and how to see everything.
 */
export const MARKDOWN_LIMIT = 60_000;

/** The characters `lines` take, with their line breaks. */
export function linesLength(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) n += l.length + 1;
  return n;
}

/** What is left of a report's characters. */
export class MarkdownBudget {
  private left: number;
  constructor(limit: number) {
    this.left = limit;
  }
  /** Counts `lines` and says true when they fit in what is left; false (and counts nothing) when not. */
  take(lines: readonly string[]): boolean {
    const n = linesLength(lines);
    if (n > this.left) return false;
    this.left -= n;
    return true;
  }
}

/** `12,345`: counts in the closing line, as people read them. */
export const count = (n: number): string => n.toLocaleString('en-US');
