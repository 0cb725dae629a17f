import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CORE_TAGS } from '../../src/core/manifest/core-tags.js';
import { readFast } from '../../src/core/manifest/fast-reader.js';
import type { FastRead } from '../../src/core/manifest/quick-text.js';
import { readLines } from '../../src/core/manifest/line-reader.js';
import { mayBeTyped, resolvePlainScalar } from '../../src/core/manifest/scalars.js';
import { sourceOf } from '../../src/core/manifest/reader.js';
import { readWithYaml } from '../../src/core/manifest/yaml-reader.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const TRICKY: Record<string, string> = {
  dates: 'a: 2026-01-31\nb: 2026-01-31T10:00:00Z\nc: [2026-01-31]\n',
  booleans: 'a: yes\nb: no\nc: on\nd: off\ne: y\nf: true\ng: False\nh: TRUE\n',
  numbers:
    'a: 012\nb: 0o12\nc: 0x1F\nd: 1_000\ne: 1e3\nf: .5\ng: -0.0\nh: +12\ni: .inf\nj: -.Inf\nk: 1.0\n',
  signed: 'a: +.5\nb: -0x1F\nc: +0o17\nd: -.inf\ne: .NaN\nf: 0b101\ng: +0x1\n',
  nulls: 'a: ~\nb: null\nc:\nd: Null\ne: ""\n',
  strings:
    "a: 'it''s'\nb: \"tab\\there\"\nc: plain # comment\nd: a#b\ne: '#not a comment'\nf: \"\\u00e9\"\n",
  multiline:
    'a: |\n  line one\n  line two\nb: >\n  folded\n  text\n\n  para\nc: |-\n  kept\nd: >+\n  keep\n\n',
  flow: 'a: {x: 1, y: [1, 2, {z: w}]}\nb: [a, "b", \'c\']\n',
  keys: '1: a\ntrue: b\n"quoted key": d\n0x1F: e\n',
  unicode: 'a: "naïve café"\nb: 日本語\n',
  quotesInPlainText: 'a: it\'s "fine"\nb: ["x", \'y\'\'s\']\nc: "esc \\" quote" # a \'comment\n',
  indentedSeq: 'a:\n- 1\n- 2\nb:\n  - x\n',
  crlf: 'a: 1\r\nb:\r\n  - x # c\r\n  - |\r\n    text\r\n',
};

/** Each quick reader, and the tricky texts it leaves to the next reader. */
const READERS: [string, (text: string) => FastRead | undefined, string[]][] = [
  ['fast', readFast, []],
  // keys of numbers and booleans (yaml makes text of them) and quoted digits (moved first)
  ['line', readLines, ['keys']],
];

describe.each(READERS)('the %s reader reads what yaml reads', (_name, readFast, declined) => {
  const files = [
    ...yamlFiles(join(ROOT, 'examples')),
    ...yamlFiles(join(ROOT, 'templates')),
    ...yamlFiles(join(ROOT, 'test', 'fixtures')),
  ];

  it("has the project's own manifests to compare", () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    it(`agrees on ${file.slice(ROOT.length)}`, () => {
      const text = sourceOf(readFileSync(file, 'utf8'));
      const slow = readWithYaml(text);
      const fast = readFast(text);
      // The fast path may decline (it then falls back), but must never read differently.
      if (fast !== undefined) {
        expect(slow.findings).toEqual([]);
        expect(fast.data).toEqual(slow.data);
      }
    });
  }

  it('reads the examples and templates itself, which are plain YAML', () => {
    for (const file of files.filter((f) => !f.includes(`${join('test', 'fixtures')}`)))
      expect(readFast(sourceOf(readFileSync(file, 'utf8'))), file).toBeDefined();
  });

  for (const [name, text] of Object.entries(TRICKY)) {
    it(`agrees on tricky YAML: ${name}`, () => {
      const slow = readWithYaml(text);
      const fast = readFast(text);
      expect(slow.findings).toEqual([]);
      if (declined.includes(name)) expect(fast).toBeUndefined();
      else expect(fast?.data).toEqual(slow.data);
    });
  }

  it('declines anchors, aliases, tags, complex keys and forbidden keys, leaving them to yaml', () => {
    expect(readFast('a: &x 1\nb: *x\n')).toBeUndefined();
    expect(readFast('a: !!binary aGk=\n')).toBeUndefined();
    expect(readFast('a: !!str 1\n')).toBeUndefined();
    expect(readFast('__proto__: {a: 1}\n')).toBeUndefined();
    expect(readFast('a: 1\n---\nb: 2\n')).toBeUndefined();
    expect(readFast('---\na: 1\n')).toBeUndefined();
    expect(readFast('%YAML 1.2\n---\na: 1\n')).toBeUndefined();
    expect(readFast('a: 1\na: 2\n')).toBeUndefined();
    expect(readFast('[apiVersion]: mlops/v1\n')).toBeUndefined();
    expect(readFast('? a\n: 1\n')).toBeUndefined();
    // null keys ("" in yaml), and values js-yaml reads under looser rules
    expect(readFast('null: c\n')).toBeUndefined();
    expect(readFast('~: c\n')).toBeUndefined();
    expect(readFast('a: 1\n...\n')).toBeUndefined();
    expect(readFast('a: "one\n  two"\n')).toBeUndefined();
    expect(readFast("a: 'it''s\n  two'\n")).toBeUndefined();
    expect(readFast('a: "one \\" two\n  three"\n')).toBeUndefined();
    expect(readFast('tags: [a,\nb]\n')).toBeUndefined();
    expect(readFast('a: one\n  two\n')).toBeUndefined();
    expect(readFast('a: "x"#c\n')).toBeUndefined();
    expect(readFast('a: 1\rb: 2\r')).toBeUndefined();
    expect(readFast('a: 1\r\nb: 2\rc: 3\r\n')).toBeUndefined();
    expect(readFast('a:\tb\n')).toBeUndefined();
    expect(readFast('a: |2\n   x\n')).toBeUndefined();
    expect(readFast(`${'k'.repeat(1030)}: 1\n`)).toBeUndefined();
    // a top level that is not a mapping: yaml words the finding
    expect(readFast('- a\n')).toBeUndefined();
    expect(readFast('')).toBeUndefined();
  });

  it('puts every key and value where yaml puts it', () => {
    const text =
      'a:   # c\nb: 1\nc:\n  # lead\n  d: [x, {e: f}]\n  g: |\n    t\nh:\n- "q"\n-   r\nk: # c\n\n  l: 2\n';
    const fast = readFast(text)!;
    const slow = readWithYaml(text);
    for (const path of [
      ['a'],
      ['b'],
      ['c'],
      ['c', 'd'],
      ['c', 'd', 1, 'e'],
      ['c', 'g'],
      ['h', 0],
      ['h', 1],
      ['k'],
      ['k', 'l'],
      ['c', 'missing'],
      [],
    ]) {
      for (const target of ['key', 'value'] as const)
        expect([path, target, fast.offsetOf(path, target)]).toEqual([
          path,
          target,
          slow.offsetOf(path, target),
        ]);
    }
  });
});

describe('the line reader', () => {
  it('reads CRLF line endings as yaml does', () => {
    const text =
      'a: 1\r\nb:\r\n  - x # c\r\n  - |\r\n    text\r\n    more\r\n\r\nc: >-\r\n  x\r\n  y\r\n';
    expect(readLines(text)?.data).toEqual(readWithYaml(text).data);
    expect(readLines(text)?.data).toEqual({ a: 1, b: ['x', 'text\nmore\n'], c: 'x y' });
  });

  it('declines what yaml reads in ways of its own, leaving it to the next reader', () => {
    for (const text of [
      // keys that are not text, or that JavaScript would move first
      '1: a\n',
      'true: b\n',
      '0x1F: c\n',
      '"1": d\n',
      "'12': e\n",
      'a b: f\n',
      'a : g\n',
      // plain scalars over lines, or holding what starts a mapping
      'a: one\n  two\n',
      'a: b: c\n',
      'a: b:\n',
      '- - x\n',
      'a:\n  - - x\n',
      // flow collections over lines, with comments, trailing commas or keys without values
      'a: [x,\n  y]\n',
      'a: [x #c\n  ]\n',
      'a: [x, ]\n',
      'a: {b}\n',
      'a: {b: }\n',
      'a: [- x]\n',
      'a: [x: 1]\n',
      // folded lines more indented, lines of spaces at the end, indentation indicators
      'a: >\n  x\n    y\n',
      'a: |\n  x\n   ',
      'a: |1\n  x\n',
      // escapes not read here, indentation of no open node
      'a: "\\U0001F600"\n',
      'a: "\\q"\n',
      'a:\n    b: 1\n  c: 2\n',
      '  a: 1\n',
    ]) {
      expect(readLines(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('tells apart keys of one length, first and last letter, across manifests', () => {
    // words already read are reused by first and last letter and length: a clash is read anew
    expect(readLines('abc: 1\nadc: 2\n')?.data).toEqual({ abc: 1, adc: 2 });
    expect(readLines('adc: 3\nabc: 4\n')?.data).toEqual({ adc: 3, abc: 4 });
    expect(readLines('conditioner: 1\n')?.data).toEqual({ conditioner: 1 });
    expect(readLines('constructor: 1\n')).toBeUndefined();
    expect(readLines('abc: 1\nabc: 2\n')).toBeUndefined();
    expect(readLines(`${'k'.repeat(1001)}: 1\n`)).toBeUndefined();
  });

  it('reads a quoted item again after looking for a key in it', () => {
    // a dash's line is first tried as a key; the escapes must be read again from the start
    const text = 'a:\n- "x\\\\ty"\n- "z\\""\n';
    expect(readLines(text)?.data).toEqual({ a: ['x\\ty', 'z"'] });
    expect(readLines(text)?.data).toEqual(readWithYaml(text).data);
  });

  it('reads the shapes of manifests: compact and flush sequences, block scalars, flows', () => {
    const text = [
      '# lead',
      'metadata:',
      '  name: m # the name',
      "  tags: [a, \"b c\", 'd''s', s3://x/y]",
      'risks:',
      '- id: r1',
      '  guardrails:',
      '  - g1',
      '  - g2',
      '  target: { value: 2.1, by: 2027-06-30 }',
      '-   id: r2',
      '    text: >-',
      '      one',
      '      two',
      '',
      '      three',
      '    log: |',
      '      # kept',
      '        indented',
      'empty:',
      'quoted: "tab\\there \\u00e9 \\x41"',
      '',
    ].join('\n');
    const line = readLines(text);
    expect(line?.data).toEqual(readWithYaml(text).data);
    expect(line?.data).toMatchObject({
      metadata: { name: 'm', tags: ['a', 'b c', "d's", 's3://x/y'] },
      risks: [
        { id: 'r1', guardrails: ['g1', 'g2'], target: { value: 2.1, by: '2027-06-30' } },
        { id: 'r2', text: 'one two\nthree', log: '# kept\n  indented\n' },
      ],
      empty: null,
      quoted: 'tab\there \u00e9 A',
    });
  });
});

describe("plain scalars resolve through yaml's own core-schema tags", () => {
  it('tries the tags yaml tries, in its order', () => {
    // pinned: a new yaml whose tests differ must be looked at, since mayBeTyped skips them
    expect(
      CORE_TAGS.filter((t) => t.default === true && t.test).map((t) => [t.tag, t.test!.source]),
    ).toEqual([
      ['tag:yaml.org,2002:null', '^(?:~|[Nn]ull|NULL)?$'],
      ['tag:yaml.org,2002:bool', '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$'],
      ['tag:yaml.org,2002:int', '^0o[0-7]+$'],
      ['tag:yaml.org,2002:int', '^[-+]?[0-9]+$'],
      ['tag:yaml.org,2002:int', '^0x[0-9a-fA-F]+$'],
      ['tag:yaml.org,2002:float', '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$'],
      ['tag:yaml.org,2002:float', '^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$'],
      ['tag:yaml.org,2002:float', '^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$'],
    ]);
  });

  it('skips only scalars that no tag matches', () => {
    const tests = CORE_TAGS.flatMap((t) => (t.default === true && t.test ? [t.test] : []));
    const words = ['~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
    const scalar = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.stringMatching(/^[-+.0-9a-fA-FxoeEnNlLuUrRsS~_]{0,8}$/),
      // the words yaml types, and near misses: longer, shorter, other case
      fc
        .tuple(fc.constantFrom(...words), fc.string({ maxLength: 2 }), fc.nat({ max: 5 }))
        .map(([w, extra, cut]) => (cut === 0 ? w + extra : w.slice(0, -cut) + extra)),
    );
    fc.assert(
      fc.property(scalar, (s) => {
        if (!mayBeTyped(s)) {
          expect(tests.some((t) => t.test(s))).toBe(false);
          expect(resolvePlainScalar(s)).toBe(s);
        }
      }),
      { seed: 20261127, numRuns: 20_000 },
    );
  });
});
