// A small SVG line chart of a series over time: x by commit date (proportional), y with its
// reference lines (baseline, minimum acceptable, target, bounds) labelled, the target date as a
// vertical marker. Each valued version is a `circle.point`; a version without a value is a
// `g.gap` and breaks the line. Colours come from the stylesheet's classes (light and dark).
import type { SeriesPoint } from '../../core/report/model.js';
import { esc, fmtNumber, isIsoDate, isNumber, jsonNumber } from './html.js';

export interface RefLine {
  value: number;
  /** The label's words before the number: `target`, `minimum`, `baseline`, `min`, `max`. */
  label: string;
  /** Its class: `ref-target`, `ref-min`, `ref-base`, `ref-bound`. */
  kind: 'target' | 'min' | 'base' | 'bound';
}

export interface ChartInput {
  /** A prefix for the chart's element ids, unique in the page (ours: `c3`). */
  key: string;
  /** `data-series`: the value metric's or guardrail's id. */
  series: string;
  /** The chart's title, HTML (escaped by the caller). */
  title: string;
  /** The text summary, HTML (escaped by the caller). */
  summary: string;
  /** The data table's caption, HTML. */
  caption: string;
  points: readonly SeriesPoint[];
  lines: readonly RefLine[];
  /** A date to mark with a vertical line when it is within or near the range (`target.by`). */
  mark?: { date: string; label: string };
  unit?: string;
}

const W = 640;
const H = 260;
const LEFT = 64;
const RIGHT = 112;
const TOP = 22;
const BOTTOM = 34;
const PW = W - LEFT - RIGHT;
const PH = H - TOP - BOTTOM;
const DAY = 86_400_000;
/** Data tables of more rows than this are folded in a `<details>`. */
const FOLD_ROWS = 8;

/** Days since 1970-01-01 of a YYYY-MM-DD date; NaN when it is not one. */
function dayOf(date: string): number {
  if (!isIsoDate(date)) return NaN;
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY;
}

function isoOf(day: number): string {
  return new Date(Math.round(day) * DAY).toISOString().slice(0, 10);
}

/** A coordinate, to a tenth of a unit (by integers: printing a double costs more). */
function n1(v: number): string {
  const k = Math.round(v * 10);
  if (!(k >= 0 && k < 1e9)) return Number.isFinite(k) ? String(k / 10) : '0';
  const tenth = k % 10;
  return tenth === 0 ? String(k / 10) : `${(k - tenth) / 10}.${tenth}`;
}

/** 1, 2 or 5 times a power of ten, near `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** `k * step` without binary noise (`0.30000000000000004` as `0.3`). */
function tick(k: number, step: number): number {
  return Number((k * step).toPrecision(12));
}

const GAP_WORDS: Record<string, string> = {
  unreadable: 'no value: the file could not be read',
  absent: 'no value: no number at its place in the file',
};

function gapWords(p: SeriesPoint): string {
  return (p.gap !== undefined && Object.hasOwn(GAP_WORDS, p.gap) && GAP_WORDS[p.gap]) || 'no value';
}

/** The chart, its data table and its summary, as a `<figure class="chart">`, onto `out`. */
export function renderChart(c: ChartInput, out: string[]): void {
  const dated: { day: number; p: SeriesPoint }[] = [];
  const values: number[] = [];
  for (const p of c.points) {
    const day = dayOf(p.date);
    if (Number.isNaN(day)) continue;
    dated.push({ day, p });
    if (isNumber(p.value)) values.push(p.value);
  }
  // drawn in the order of their dates (a commit may be dated before its parent); the data
  // table keeps the order given
  dated.sort((a, b) => a.day - b.day);
  const lines = c.lines.filter((l) => isNumber(l.value));

  // x: the dates of the versions, and the marked date when it is near them: within a third of
  // their span, or a year, of them
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const d of dated) {
    if (d.day < x0) x0 = d.day;
    if (d.day > x1) x1 = d.day;
  }
  if (dated.length === 0) x0 = x1 = c.mark ? dayOf(c.mark.date) : 0;
  if (Number.isNaN(x0)) x0 = x1 = 0;
  const markDay = c.mark ? dayOf(c.mark.date) : NaN;
  const near = Math.max((x1 - x0) / 3, 366);
  const marked = !Number.isNaN(markDay) && markDay >= x0 - near && markDay <= x1 + near;
  if (marked) {
    x0 = Math.min(x0, markDay);
    x1 = Math.max(x1, markDay);
  }
  if (x1 - x0 < 1) {
    x0 -= 15;
    x1 += 15;
  }
  const sx = (day: number): number => LEFT + ((day - x0) / (x1 - x0)) * PW;

  // y: the values and the reference lines, on round ticks
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (const l of lines) {
    if (l.value < lo) lo = l.value;
    if (l.value > hi) hi = l.value;
  }
  if (lo === Infinity) lo = hi = 0;
  if (hi - lo === 0) {
    const pad = Math.abs(lo) / 10 || 1;
    lo -= pad;
    hi += pad;
  }
  const { ticks, y0, y1 } = yTicks(lo, hi);
  const sy = (v: number): number => TOP + PH - ((v - y0) / (y1 - y0)) * PH;

  const id = c.key;
  out.push(
    `<figure class="chart" data-series="${esc(c.series)}">`,
    `<svg class="plot" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t" aria-describedby="${id}-s" focusable="false">`,
    `<title id="${id}-t">${c.title}</title>`,
  );

  // grid and axes
  out.push('<g class="axis">');
  for (const v of ticks) {
    const y = n1(sy(v));
    out.push(
      `<line class="grid" x1="${LEFT}" x2="${LEFT + PW}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${LEFT - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmtNumber(v)}</text>`,
    );
  }
  out.push(
    `<line class="frame" x1="${LEFT}" x2="${LEFT + PW}" y1="${TOP + PH}" y2="${TOP + PH}"/>`,
  );
  for (const t of dateTicks(dated, x0, x1)) {
    const x = sx(t);
    const anchor = x < LEFT + 40 ? 'start' : x > LEFT + PW - 40 ? 'end' : 'middle';
    out.push(
      `<line class="frame" x1="${n1(x)}" x2="${n1(x)}" y1="${TOP + PH}" y2="${TOP + PH + 4}"/>`,
      `<text class="tick" x="${n1(x)}" y="${TOP + PH + 18}" text-anchor="${anchor}">${isoOf(t)}</text>`,
    );
  }
  out.push('</g>');

  // reference lines, labelled at the right; labels kept 12 units apart
  if (lines.length > 0) {
    const labels = lines
      .map((l) => ({ l, y: sy(l.value), at: sy(l.value) }))
      .sort((a, b) => a.y - b.y);
    for (let i = 1; i < labels.length; i++)
      if (labels[i]!.at < labels[i - 1]!.at + 12) labels[i]!.at = labels[i - 1]!.at + 12;
    // pushed below the plot: moved up again, keeping them apart
    for (let i = labels.length - 1, floor = TOP + PH + 8; i >= 0; i--, floor -= 12)
      if (labels[i]!.at > floor) labels[i]!.at = floor;
    out.push('<g class="refs">');
    for (const { l, y, at } of labels) {
      out.push(
        `<line class="ref ref-${l.kind}" x1="${LEFT}" x2="${LEFT + PW}" y1="${n1(y)}" y2="${n1(y)}"/>`,
        `<text class="ref-label ref-${l.kind}" x="${LEFT + PW + 6}" y="${n1(at)}" dominant-baseline="middle">${esc(l.label)} ${fmtNumber(l.value)}</text>`,
      );
    }
    out.push('</g>');
  }
  if (marked && c.mark) {
    const x = n1(sx(markDay));
    const anchor = sx(markDay) > LEFT + PW - 60 ? 'end' : 'middle';
    out.push(
      `<g class="refs"><line class="ref ref-date" x1="${x}" x2="${x}" y1="${TOP}" y2="${TOP + PH}"/>`,
      `<text class="ref-label ref-date" x="${x}" y="${TOP - 8}" text-anchor="${anchor}">${esc(c.mark.label)}</text></g>`,
    );
  }

  // the line, broken at every version without a value; then its points and gaps
  let d = '';
  let open = false;
  for (const { day, p } of dated) {
    if (!isNumber(p.value)) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${n1(sx(day))} ${n1(sy(p.value))}`;
    open = true;
  }
  if (d.includes('L')) out.push(`<path class="line" d="${d}"/>`);
  for (const { day, p } of dated) {
    const x = n1(sx(day));
    const date = esc(p.date);
    if (isNumber(p.value)) {
      out.push(
        `<circle class="point" cx="${x}" cy="${n1(sy(p.value))}" r="3.5" data-date="${date}" data-value="${jsonNumber(p.value)}"/>`,
      );
    } else {
      out.push(
        `<g class="gap" data-date="${date}"><line x1="${x}" x2="${x}" y1="${TOP}" y2="${TOP + PH}"/><title>${date}: ${gapWords(p)}</title></g>`,
      );
    }
  }
  out.push('</svg>');

  // the data table: one row per version, oldest first
  const fold = c.points.length > FOLD_ROWS;
  if (fold) out.push(`<details><summary>Data: ${c.points.length} versions</summary>`);
  out.push(
    `<table class="chart-data"><caption>${c.caption}</caption>`,
    '<thead><tr><th scope="col">Date</th><th scope="col">Commit</th><th scope="col">Value</th></tr></thead><tbody>',
  );
  for (const p of c.points) {
    // kept short: a page holds thousands of these rows (their look is in the stylesheet)
    const value = isNumber(p.value) ? fmtNumber(p.value) : `<i>${gapWords(p)}</i>`;
    out.push(
      `<tr><th scope="row">${esc(String(p.date))}</th><td>${esc(String(p.commit).slice(0, 7))}</td><td>${value}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (fold) out.push('</details>');
  out.push(`<figcaption id="${id}-s">${c.summary}</figcaption></figure>`);
}

/**
 * Round ticks (1, 2 or 5 times a power of ten) from below `lo` to above `hi`, and the range they
 * span; just `lo` and `hi` where round ones would be too many to count (a range a hair wide
 * next to huge values, or one beyond what doubles hold).
 */
function yTicks(lo: number, hi: number): { ticks: number[]; y0: number; y1: number } {
  const step = niceStep((hi - lo) / 4);
  const k0 = Math.floor(lo / step);
  const k1 = Math.ceil(hi / step);
  if (!(Number.isFinite(step) && step > 0 && k1 - k0 >= 1 && k1 - k0 <= 12))
    return Number.isFinite(hi - lo) && hi > lo
      ? { ticks: [lo, hi], y0: lo, y1: hi }
      : { ticks: [0], y0: -1, y1: 1 };
  const ticks: number[] = [];
  for (let k = k0; k <= k1; k++) ticks.push(tick(k, step));
  return { ticks, y0: ticks[0]!, y1: ticks[ticks.length - 1]! };
}

/** Up to four dates to label: the first and last versions', and two between when far apart. */
function dateTicks(dated: readonly { day: number }[], x0: number, x1: number): number[] {
  if (dated.length === 0) return [Math.round((x0 + x1) / 2)];
  const first = dated.reduce((m, d) => Math.min(m, d.day), Infinity);
  const last = dated.reduce((m, d) => Math.max(m, d.day), -Infinity);
  if (last - first < 1) return [first];
  const ticks = [first];
  if (last - first >= 90)
    for (const f of [1 / 3, 2 / 3]) ticks.push(Math.round(first + (last - first) * f));
  ticks.push(last);
  return ticks;
}
