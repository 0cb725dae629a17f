// The frame of every page of the report: a self-contained HTML document whose Content Security
// Policy allows nothing but its own inline stylesheet and, on the portfolio, its own inline
// script, each by hash: no request leaves the page, and no injected markup could run.
import { SCRIPT, SCRIPT_HASH } from './script.js';
import { STYLE, STYLE_HASH } from './style.js';

/** The policy of a page, with or without the portfolio's script. */
export function csp(withScript: boolean): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    `script-src ${withScript ? SCRIPT_HASH : "'none'"}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The document's start up to `<body>`; `title` is HTML (escaped by the caller). */
export function pageStart(title: string, withScript: boolean, out: string[]): void {
  out.push(
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="${csp(withScript)}">\n`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    '<meta name="referrer" content="no-referrer">\n',
    '<meta name="generator" content="mlops report">\n',
    `<title>${title}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`,
  );
}

/** The document's end, with the portfolio's script when asked. */
export function pageEnd(withScript: boolean, out: string[]): void {
  if (withScript) out.push(`<script>${SCRIPT}</script>\n`);
  out.push('</body>\n</html>\n');
}
