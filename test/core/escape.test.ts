import { describe, expect, it } from 'vitest';
import {
  escapeControl,
  escapeLine,
  htmlText,
  jsonChunksOfList,
  jsonText,
  mdCode,
  mdSpans,
  mdText,
  protect,
} from '../../src/report/escape.js';
import { MARKDOWN_LIMIT, MarkdownBudget, linesLength } from '../../src/report/markdown.js';
import { sarifUri } from '../../src/report/sarif.js';

const ESC = '\u001b';
const BEL = '\u0007';
const CSI = '\u009b';
const DEL = '\u007f';
/** What a terminal would act on: C0 controls but tab and newline, DEL, C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The cells of a GFM table row, split as GitHub splits them: at each `|` not escaped by `\`. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) {
      cell += row[i]! + row[i + 1]!;
      i++;
    } else if (row[i] === '|') {
      out.push(cell);
      cell = '';
    } else cell += row[i];
  }
  out.push(cell);
  return out;
}

/** A small deterministic generator of strings made of what Markdown and terminals react to. */
function* hostileStrings(count: number): Generator<string> {
  const alphabet = [
    ...'\\`|[]()!<>&@#*_~-+=:/. \n\r\tax1',
    'http://',
    'www.',
    ESC,
    BEL,
    CSI,
    DEL,
    '\u0000',
    '😀',
  ];
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let n = 0; n < count; n++) {
    let s = '';
    const length = next() % 24;
    for (let i = 0; i < length; i++) s += alphabet[next() % alphabet.length];
    yield s;
  }
}

describe('escapeControl and escapeLine', () => {
  it('show ESC, BEL, OSC, C1 and DEL as \\xNN, and leave tab, newline and text alone', () => {
    expect(escapeControl(`${ESC}[31mred${ESC}]8;;http://x/${BEL}link${CSI}2J${DEL}`)).toBe(
      '\\x1b[31mred\\x1b]8;;http://x/\\x07link\\x9b2J\\x7f',
    );
    expect(escapeControl('\u0000\r\u000b\u001f')).toBe('\\x00\\x0d\\x0b\\x1f');
    expect(escapeControl('a\tb\nc é ü\u00a0😀 ½')).toBe('a\tb\nc é ü\u00a0😀 ½');
  });

  it('escapeLine shows a newline as \\n too, so one value stays on its line', () => {
    expect(escapeLine(`two\nlines${ESC}`)).toBe('two\\nlines\\x1b');
    expect(escapeLine('tab\tstays')).toBe('tab\tstays');
  });
});

describe('mdText: an input in Markdown says what it holds and does nothing', () => {
  it('makes mentions, references and bare links inert with a zero-width space', () => {
    expect(mdText('ping @team and @org/team, mail a@b.example')).toBe(
      'ping @&#8203;team and @&#8203;org/team, mail a@&#8203;b.example',
    );
    expect(mdText('fixes #12')).toBe('fixes #&#8203;12');
    expect(mdText('see http://evil.example and www.evil.example')).toBe(
      'see http:&#8203;//evil.example and www&#8203;.evil.example',
    );
    expect(mdText('@ alone, # alone, c# and awww.x')).toBe('@ alone, # alone, c# and awww.x');
  });

  it('neutralises images, links, autolinks, HTML and code spans', () => {
    expect(mdText('![x](http://evil/) [link](x) <http://a> <img src=x> a & b `code`')).toBe(
      '!\\[x\\](http:&#8203;//evil/) \\[link\\](x) &lt;http:&#8203;//a&gt; &lt;img src=x&gt; a &amp; b \\`code\\`',
    );
  });

  it('escapes a heading, a list, a quote or a fence at its start only', () => {
    expect(mdText('# heading')).toBe('\\# heading');
    expect(mdText('  - item')).toBe('  \\- item');
    expect(mdText('1. first')).toBe('1\\. first');
    expect(mdText('2) second')).toBe('2\\) second');
    expect(mdText('~~~')).toBe('\\~~~');
    expect(mdText('> quote')).toBe('&gt; quote');
    expect(mdText('a # b - c')).toBe('a # b - c');
    expect(mdText('# heading', { start: false })).toBe('# heading');
  });

  it('keeps a table row whole: pipes, backslashes before pipes and line breaks', () => {
    expect(mdText('a | b')).toBe('a \\| b');
    expect(mdText('a\\|b')).toBe('a\\\\\\|b');
    expect(mdText('one\ntwo\r\nthree\rfour')).toBe('one two three four');
    for (const s of hostileStrings(3000)) {
      const text = mdText(s);
      const code = mdCode(s);
      const row = `| ${text} | ${code} |`;
      expect(cells(row), JSON.stringify(s)).toHaveLength(4);
      expect(row).not.toMatch(/[\r\n]/);
      expect(row).not.toMatch(RAW_CONTROL);
      // text, and code outside a code span, link and mention nothing; a code span is inert
      const live = code.startsWith('`') ? text : `${text} ${code}`;
      expect(live.replace(/<\/?code>/g, '')).not.toMatch(/<|@\w|:\/\/|\bwww\./);
      if (code.startsWith('`')) expect(code.match(/`/g)).toHaveLength(2);
    }
  });

  it('shows control characters escaped', () => {
    expect(mdText(`${ESC}[31m${BEL}`)).toBe('\\\\x1b\\[31m\\\\x07');
  });
});

describe('htmlText and mdCode', () => {
  it('htmlText: entities and inert mentions, for text inside an HTML block', () => {
    expect(htmlText(`<img src="x"> & @team\n${ESC}`)).toBe(
      '&lt;img src=&quot;x&quot;&gt; &amp; @&#8203;team \\x1b',
    );
  });

  it('mdCode: a code span when it is safe, else <code> around escaped text', () => {
    expect(mdCode('models/churn/mlops.yaml:3:7')).toBe('`models/churn/mlops.yaml:3:7`');
    expect(mdCode(`@team <b> ${ESC}`)).toBe('`@team <b> \\x1b`');
    expect(mdCode('a | b')).toBe('<code>a \\| b</code>');
    expect(mdCode('a ` b')).toBe('<code>a \\` b</code>');
    expect(mdCode('')).toBe('<code></code>');
  });
});

describe('mdSpans: the backticks of a message mark code, those of its inputs do not', () => {
  it('renders our code spans and keeps an input from opening or closing one', () => {
    const input = 'x` @team [a](b) `y';
    const message = `run \`mlops validate ${protect(input)}\`, then ${protect(input)}`;
    expect(mdSpans(message)).toBe(
      'run <code>mlops validate x\\` @&#8203;team \\[a\\](b) \\`y</code>, then x\\` @&#8203;team \\[a\\](b) \\`y',
    );
    expect(mdSpans('value `a` and `b`')).toBe('value `a` and `b`');
    expect(mdSpans('an odd ` backtick')).toBe('an odd \\` backtick');
  });
});

describe('jsonText', () => {
  it('writes DEL and C1 as \\u escapes, which read back as the same strings', () => {
    const value = { s: `${ESC}[31m${BEL}${CSI}${DEL}é😀` };
    const text = jsonText(value);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\u009b\\u007f');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('jsonChunksOfList', () => {
  const items = [
    { file: 'a.yaml', nested: { list: [1, { deep: 'x\ny' }], empty: [] }, s: `${ESC}é` },
    { file: 'b.yaml', nested: {}, s: '"manifests": []' },
    { file: 'c.yaml', nested: { list: [] }, s: '\n  "manifests": []' },
  ];
  const render = (i: (typeof items)[number]) => ({ ...i, twice: [i.file, i.file] });

  it('makes, in parts, the very text of the whole object', () => {
    for (const n of [0, 1, 3]) {
      const list = items.slice(0, n);
      for (const [before, after] of [
        [{ a: 1 }, { z: { b: [2] } }],
        [{}, {}],
        [{ a: [] }, {}],
      ]) {
        const whole = jsonText({ ...before, manifests: list.map(render), ...after });
        const parts = [
          ...jsonChunksOfList({ ...before, manifests: [], ...after }, 'manifests', list, render),
        ];
        expect(parts.join('')).toBe(whole);
        // an item at a time: one part for each, besides the head and the tail
        expect(parts.length).toBe(n === 0 ? 1 : n + 2);
      }
    }
  });
});

describe('sarifUri', () => {
  it('percent-encodes # ? % space, colons and non-ASCII, and keeps / and sub-delims', () => {
    expect(sarifUri('models/a#b?c d/mlops.yaml')).toBe('models/a%23b%3Fc%20d/mlops.yaml');
    expect(sarifUri('100%/é/😀/a:b/x[1]')).toBe('100%25/%C3%A9/%F0%9F%98%80/a%3Ab/x%5B1%5D');
    expect(sarifUri("a-_.~!$&'()*+,;=@/b")).toBe("a-_.~!$&'()*+,;=@/b");
    expect(sarifUri(`ctl${ESC}\\`)).toBe('ctl%1B%5C');
    expect(sarifUri('lone\ud800')).toBe('lone%EF%BF%BD');
  });

  it('resolves back to the path it was made from', () => {
    for (const path of ['models/a#b?c d/mlops.yaml', 'é/100%/a:b/mlops.yaml', 'x/😀 y/z']) {
      const url = new URL(sarifUri(path), 'file:///repo/');
      expect(url.search).toBe('');
      expect(url.hash).toBe('');
      expect(decodeURIComponent(url.pathname)).toBe(`/repo/${path}`);
    }
  });
});

describe('MarkdownBudget', () => {
  it('takes whole pieces while they fit, counting line breaks', () => {
    const budget = new MarkdownBudget(10);
    expect(linesLength(['abc', 'de'])).toBe(7);
    expect(budget.take(['abc', 'de'])).toBe(true);
    expect(budget.take(['abc'])).toBe(false);
    expect(budget.take(['ab'])).toBe(true);
    expect(budget.take([''])).toBe(false);
    expect(MARKDOWN_LIMIT).toBeLessThan(65_536);
  });
});
