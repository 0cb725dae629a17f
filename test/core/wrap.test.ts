import { describe, expect, it } from 'vitest';
import { displayWidth, hangOf, plainText, wrapLine } from '../../src/report/wrap.js';

const RED = '\u001b[31m';
const DIM = '\u001b[2m';
const UNDIM = '\u001b[22m';
const UNCOLOR = '\u001b[39m';
const lines = (s: string): string[] => s.split('\n');
const widths = (s: string): number[] => lines(s).map(displayWidth);

describe('displayWidth', () => {
  it('counts what a terminal shows: color codes none, wide characters and emoji two', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth(`${RED}✖ error${UNCOLOR}`)).toBe(7);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('🔴 ✅')).toBe(5);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('🇩🇪')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('⏸️')).toBe(2);
    expect(displayWidth('⚠ → ✔ ✖ ℹ …')).toBe(11);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('a\u200bb')).toBe(2);
  });
});

describe('wrapLine', () => {
  it('leaves text as it is without a width, and a line that fits', () => {
    const long = `  ${RED}✖${UNCOLOR} ${'word '.repeat(40)}`;
    expect(wrapLine(long, undefined)).toBe(long);
    expect(wrapLine('a short line', 80)).toBe('a short line');
    expect(wrapLine('x'.repeat(80), 80)).toBe('x'.repeat(80));
  });

  it('breaks between words, under the indent and the hanging marker', () => {
    const line =
      '        → bring it within bounds and commit the new report, or waive the rule with a reason, an owner and an expiry';
    expect(wrapLine(line, 50)).toBe(
      [
        '        → bring it within bounds and commit the',
        '          new report, or waive the rule with a',
        '          reason, an owner and an expiry',
      ].join('\n'),
    );
    expect(hangOf('    ✖ B3  Build guardrails')).toBe(6);
    expect(hangOf('  1. Fill in')).toBe(5);
    expect(hangOf('plain')).toBe(0);
  });

  it('hangs continuation lines at the column given', () => {
    const out = wrapLine(
      '    ✖ B3  Build guardrails within bounds, and a title long enough to wrap twice over',
      40,
      10,
    );
    expect(lines(out)).toEqual([
      '    ✖ B3  Build guardrails within',
      '          bounds, and a title long',
      '          enough to wrap twice over',
    ]);
  });

  it('keeps twenty columns of text when the hang would leave fewer', () => {
    const out = wrapLine(`  ${'x'.repeat(5)} ${'word '.repeat(20).trim()}`, 40, 30);
    expect(lines(out).length).toBeGreaterThan(1);
    for (const l of lines(out).slice(1)) expect(l).toMatch(/^ {20}\S/);
    expect(Math.max(...widths(out))).toBeLessThanOrEqual(40);
  });

  it('breaks a word longer than the line, and only that word', () => {
    const path = `examples/${'deep/'.repeat(20)}mlops.yaml`;
    const out = wrapLine(`  see ${path} now`, 40);
    expect(Math.max(...widths(out))).toBeLessThanOrEqual(40);
    expect(plainText(out).replace(/\n {2}/g, '')).toBe(`  see${path} now`);
    expect(lines(out)[0]).toBe('  see');
    expect(
      lines(out)
        .slice(1, -1)
        .every((l) => displayWidth(l) === 40),
    ).toBe(true);
  });

  it('measures wide characters and emoji, and never splits a grapheme', () => {
    const cjk = '日本語のテキスト'.repeat(8);
    const out = wrapLine(cjk, 41);
    for (const l of lines(out)) expect(displayWidth(l)).toBeLessThanOrEqual(41);
    expect(lines(out).join('')).toBe(cjk);
    const emoji = '🔴 error 👍🏽 and 🇩🇪 '.repeat(6).trim();
    const wrapped = wrapLine(emoji, 40);
    for (const l of lines(wrapped)) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(lines(wrapped).join(' ')).toBe(emoji);
  });

  it('never cuts a color code, and carries the color over to the next line', () => {
    const line = `  ${DIM}→ hint: this dim text goes on and on and on beyond the width${UNDIM}`;
    const out = wrapLine(line, 40);
    expect(lines(out)).toEqual([
      `  ${DIM}→ hint: this dim text goes on and on${UNDIM}`,
      `    ${DIM}and on beyond the width${UNDIM}`,
    ]);
    // every escape of the input survives whole
    const codes = (s: string): string[] => s.match(/\u001b\[[0-9;]*m/g) ?? [];
    for (const l of lines(out)) expect(l.replace(/\u001b\[[0-9;]*m/g, '')).not.toContain('\u001b');
    expect(codes(out).filter((c) => c === DIM)).toHaveLength(2);
    // a color that ended before the break is not carried over
    const closed = wrapLine(`${RED}✖${UNCOLOR} ${'plain words '.repeat(6)}`, 40);
    expect(lines(closed)[1]).not.toContain(RED);
    // a break right after a color code starts: the code goes with its word
    const opened = wrapLine(`${'a'.repeat(35)} ${RED}bbbbbbbb${UNCOLOR}`, 40);
    expect(lines(opened)).toEqual(['a'.repeat(35), `${RED}bbbbbbbb${UNCOLOR}`]);
  });

  it('wraps each line of a text on its own', () => {
    const text = `${'one '.repeat(15).trim()}\n  ${'two '.repeat(15).trim()}`;
    const out = wrapLine(text, 40);
    for (const l of lines(out)) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(lines(out)).toEqual([
      'one '.repeat(10).trim(),
      'one '.repeat(5).trim(),
      `  ${'two '.repeat(9).trim()}`,
      `  ${'two '.repeat(6).trim()}`,
    ]);
  });
});

describe('wrapLine keeps a command in backticks on one line', () => {
  it('moves the whole span to the next line rather than breaking it', () => {
    const line =
      '        → sign it off: `npx mlops approve models/churn/mlops.yaml --phase deploy --by cco`';
    const out = wrapLine(line, 80).split('\n');
    expect(out.length).toBe(2);
    expect(out[1]!.trim()).toBe(
      '`npx mlops approve models/churn/mlops.yaml --phase deploy --by cco`',
    );
    for (const l of out) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });

  it('breaks a span wider than a line at its spaces, never inside a word', () => {
    const command = `\`git add ${Array.from({ length: 12 }, (_, i) => `reports/file-${i}.json`).join(' ')}\``;
    const out = wrapLine(`  → ${command}`, 60).split('\n');
    expect(out.length).toBeGreaterThan(1);
    for (const l of out) expect(displayWidth(l)).toBeLessThanOrEqual(60);
    expect(out.map((l) => l.trim()).join(' ')).toBe(`→ ${command}`);
  });
});
