import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseManifest, parseManifestFast } from '../../src/core/load.js';

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
  nulls: 'a: ~\nb: null\nc:\nd: Null\ne: ""\n',
  strings:
    "a: 'it''s'\nb: \"tab\\there\"\nc: plain # comment\nd: a#b\ne: '#not a comment'\nf: \"\\u00e9\"\n",
  multiline:
    'a: |\n  line one\n  line two\nb: >\n  folded\n  text\n\n  para\nc: |-\n  kept\nd: >+\n  keep\n\n',
  flow: 'a: {x: 1, y: [1, 2, {z: w}]}\nb: [a, "b", \'c\']\n',
  keys: '1: a\ntrue: b\n"quoted key": d\n? complex\n: e\n',
  unicode: 'a: "naïve café"\nb: 日本語\n',
  quotesInPlainText: 'a: it\'s "fine"\nb: ["x", \'y\'\'s\']\nc: "esc \\" quote" # a \'comment\n',
  documentStart: '---\na: 1\n',
  indentedSeq: 'a:\n- 1\n- 2\nb:\n  - x\n',
};

describe('the fast parser reads what the positional parser reads', () => {
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
      const text = readFileSync(file, 'utf8');
      const slow = parseManifest(text, file);
      const fast = parseManifestFast(text);
      // The fast path may decline (it then falls back), but must never read differently.
      if (fast !== undefined && slow.diagnostics.length === 0) expect(fast).toEqual(slow.data);
    });
  }

  for (const [name, text] of Object.entries(TRICKY)) {
    it(`agrees on tricky YAML: ${name}`, () => {
      const slow = parseManifest(text, 'x.yaml');
      const fast = parseManifestFast(text);
      expect(slow.diagnostics).toEqual([]);
      expect(fast).toEqual(slow.data);
    });
  }

  it('declines anchors, aliases, tags and forbidden keys, leaving them to the positional parser', () => {
    expect(parseManifestFast('a: &x 1\nb: *x\n')).toBeUndefined();
    expect(parseManifestFast('a: !!binary aGk=\n')).toBeUndefined();
    expect(parseManifestFast('__proto__: {a: 1}\n')).toBeUndefined();
    expect(parseManifestFast('a: 1\n---\nb: 2\n')).toBeUndefined();
    expect(parseManifestFast('a: 1\na: 2\n')).toBeUndefined();
    // where the two parsers' schemas differ: binary numbers and null keys
    expect(parseManifestFast('a: 0b101\n')).toBeUndefined();
    expect(parseManifestFast('null: c\n')).toBeUndefined();
    // document markers and quoted values over several lines, whose rules js-yaml relaxes
    expect(parseManifestFast('a: 1\n...\n')).toBeUndefined();
    expect(parseManifestFast('a: "one\n  two"\n')).toBeUndefined();
    expect(parseManifestFast("a: 'it''s\n  two'\n")).toBeUndefined();
    expect(parseManifestFast('a: "one \\" two\n  three"\n')).toBeUndefined();
  });
});
