// The one stylesheet of the report's pages, inline in each page and allowed by its hash. Its
// colours are custom properties, light by default and dark under `prefers-color-scheme: dark`
// (on screen; print is always light); every pair of text and background meets WCAG AA
// (4.5:1), and chart lines and marks 3:1 against the page (a test computes them from here).
import { cspHash } from './html.js';

/**
 * The pairs that must contrast, by custom property: foreground, background and the ratio it
 * needs. Every pair is checked in light and in dark.
 */
export const CONTRAST_PAIRS: readonly { fg: string; bg: string; min: number }[] = [
  ...['--fg', '--muted', '--link', '--ok', '--warn', '--bad'].flatMap((fg) =>
    ['--bg', '--surface'].map((bg) => ({ fg, bg, min: 4.5 })),
  ),
  ...['--risk-low', '--risk-mid', '--risk-high'].map((bg) => ({ fg: '--fg', bg, min: 4.5 })),
  ...['--line', '--ref-target', '--ref-min', '--ref-base', '--ref-bound', '--ref-date'].map(
    (fg) => ({ fg, bg: '--bg', min: 3 }),
  ),
  { fg: '--focus', bg: '--bg', min: 3 },
];

export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1b1f24;
  --muted: #57606a;
  --surface: #f3f5f7;
  --border: #c9d1d9;
  --link: #0a58ca;
  --focus: #0a58ca;
  --ok: #1a7f37;
  --warn: #8a5a00;
  --bad: #c62828;
  --line: #1f5fbf;
  --grid: #e4e8ec;
  --ref-target: #1a7f37;
  --ref-min: #c62828;
  --ref-base: #6e7781;
  --ref-bound: #a0481f;
  --ref-date: #6639ba;
  --risk-low: #e3f4e6;
  --risk-mid: #fdf1d3;
  --risk-high: #fbe0de;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1419;
    --fg: #e6edf3;
    --muted: #9da7b3;
    --surface: #1a2129;
    --border: #3b444f;
    --link: #79b8ff;
    --focus: #79b8ff;
    --ok: #56d364;
    --warn: #e3b341;
    --bad: #ff7b72;
    --line: #58a6ff;
    --grid: #262e37;
    --ref-target: #56d364;
    --ref-min: #ff7b72;
    --ref-base: #8b949e;
    --ref-bound: #ffa657;
    --ref-date: #d2a8ff;
    --risk-low: #173a22;
    --risk-mid: #3d3212;
    --risk-high: #4a1d1d;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto;
  max-width: 72rem;
  padding: 1rem 1.25rem 3rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  background: var(--bg);
  color: var(--fg);
}
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 2px solid var(--focus);
  outline-offset: 2px;
}
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--border); padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
h1, h3, p, li, dd, td, th, figcaption, summary, caption { overflow-wrap: break-word; }
code, .long { overflow-wrap: anywhere; }
ul.groups { list-style: none; padding: 0; margin: 0; }
ul.groups li { margin-bottom: 0.2rem; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--surface); padding: 0 0.2em; border-radius: 3px; }
.muted, .sub { color: var(--muted); }
nav { margin-bottom: 0.5rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 1rem; margin: 0.75rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
dl.case dt { font-weight: 600; margin-top: 0.5rem; }
dl.case dd { margin: 0.1rem 0 0; white-space: pre-line; }
ul.counts { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.5rem 0; }
ul.counts li { background: var(--surface); border: 1px solid var(--border); border-radius: 6px; padding: 0.4rem 0.75rem; }
ul.counts strong { font-size: 1.2rem; margin-right: 0.3rem; }
ol.steps { display: flex; flex-wrap: wrap; gap: 0.4rem; list-style: none; padding: 0; margin: 0.75rem 0; }
ol.steps li { border: 1px solid var(--border); border-radius: 6px; padding: 0.3rem 0.6rem; background: var(--surface); }
ol.steps li.held { border-width: 2px; border-color: var(--fg); }
.st { font-weight: 600; }
.st-ok { color: var(--ok); }
.st-warn { color: var(--warn); }
.st-bad { color: var(--bad); }
.st-none { color: var(--muted); }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; caption-side: top; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); }
thead th { background: var(--surface); }
tbody th { font-weight: 600; }
#portfolio tbody th { font-weight: normal; min-width: 11rem; }
.date { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: left; }
th[aria-sort="ascending"] button::after { content: " \\2191"; }
th[aria-sort="descending"] button::after { content: " \\2193"; }
.controls { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; margin: 0.75rem 0; }
.controls label { display: flex; flex-direction: column; font-size: 0.9rem; color: var(--muted); }
.controls input, .controls select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; padding: 0.25rem 0.4rem; }
[hidden] { display: none !important; }
figure.chart { margin: 1rem 0 1.5rem; }
svg.plot { width: 100%; max-width: 44rem; height: auto; display: block; overflow: visible; }
svg.plot text { font-size: 11px; fill: var(--muted); }
svg.plot .grid { stroke: var(--grid); stroke-width: 1; }
svg.plot .frame { stroke: var(--muted); stroke-width: 1; }
svg.plot .line { fill: none; stroke: var(--line); stroke-width: 2; stroke-linejoin: round; }
svg.plot .point { fill: var(--line); stroke: var(--bg); stroke-width: 1; }
svg.plot .gap line { stroke: var(--bad); stroke-width: 1; stroke-dasharray: 2 4; }
svg.plot .ref { stroke-width: 1.5; stroke-dasharray: 6 4; }
svg.plot .ref-target { stroke: var(--ref-target); }
svg.plot .ref-min { stroke: var(--ref-min); }
svg.plot .ref-base { stroke: var(--ref-base); }
svg.plot .ref-bound { stroke: var(--ref-bound); }
svg.plot .ref-date { stroke: var(--ref-date); stroke-dasharray: 3 3; }
svg.plot text.ref-label { stroke: none; font-weight: 600; }
svg.plot text.ref-target { fill: var(--ref-target); }
svg.plot text.ref-min { fill: var(--ref-min); }
svg.plot text.ref-base { fill: var(--ref-base); }
svg.plot text.ref-bound { fill: var(--ref-bound); }
svg.plot text.ref-date { fill: var(--ref-date); }
figcaption { color: var(--fg); margin-top: 0.25rem; }
details { margin: 0.25rem 0; }
summary { cursor: pointer; color: var(--link); }
table.chart-data { width: auto; min-width: 20rem; }
table.chart-data th { white-space: nowrap; }
table.chart-data td:nth-child(2) { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table.chart-data td:nth-child(3) { text-align: right; font-variant-numeric: tabular-nums; }
table.chart-data i { color: var(--muted); }
table.risk-grid { width: auto; }
table.risk-grid td { min-width: 4.5rem; height: 2.5rem; text-align: center; vertical-align: middle; border: 1px solid var(--border); }
table.risk-grid td.low { background: var(--risk-low); }
table.risk-grid td.mid { background: var(--risk-mid); }
table.risk-grid td.high { background: var(--risk-high); }
ul.findings { padding-left: 1.25rem; }
ul.findings li { margin: 0.5rem 0; }
ul.findings p { margin: 0.1rem 0; }
.fix::before { content: "Fix: "; font-weight: 600; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.9rem; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 9pt; }
  th, td { padding: 0.2rem 0.3rem; overflow-wrap: anywhere; }
  #portfolio tbody th { min-width: 0; }
  .controls, nav, th button::after { display: none !important; }
  a { color: inherit; text-decoration: underline; }
  h2, h3 { break-after: avoid; }
  svg.plot, tr, ul.counts li, ol.steps, ul.findings li, dl.facts, table.risk-grid { break-inside: avoid; }
  figure.chart > svg { break-after: avoid; }
  details > summary { list-style: none; }
}
@media print {
  details::details-content { content-visibility: visible; display: contents; }
}
`;

/** The CSP source that allows exactly `STYLE`. */
export const STYLE_HASH = cspHash(STYLE);
