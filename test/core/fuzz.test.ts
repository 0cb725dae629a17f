// The quick readers (the line reader, and js-yaml on a safe subset) against yaml's
// parseDocument, which is authoritative: whenever a quick reader accepts a text, both must read
// the same data, and every path must be at the same position. Then the whole reader
// (readManifest) must give the same findings, at the same places, as yaml alone. Seeded:
// FUZZ_SEED and FUZZ_RUNS override.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../../src/core/findings.js';
import { readFast } from '../../src/core/manifest/fast-reader.js';
import type { FastRead } from '../../src/core/manifest/quick-text.js';
import { readLines } from '../../src/core/manifest/line-reader.js';
import { readManifest, sourceOf } from '../../src/core/manifest/reader.js';
import { readWithYaml } from '../../src/core/manifest/yaml-reader.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { validator } from '../helpers/validator.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const SEEDS = [
  '../../templates/classification.yaml',
  '../../examples/churn/mlops.yaml',
  '../fixtures/validate/minimal/mlops.yaml',
].map((p) => readFileSync(new URL(p, import.meta.url), 'utf8'));

/** Scalars whose type the two parsers' schemas once disagreed on, and friends. */
const SCALARS = [
  '+.5',
  '-.5',
  '.5',
  '5.',
  '-0x1F',
  '0x1F',
  '0x1f',
  '+0o17',
  '0o17',
  '-0o17',
  '017',
  '0b101',
  '-.inf',
  '+.inf',
  '.Inf',
  '.INF',
  '.NaN',
  '.nan',
  '.NAN',
  '1e3',
  '-1E-3',
  '+12',
  '1_000',
  '-0',
  '-0.0',
  '0.10',
  '12345678901234567890',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'yes',
  'No',
  'on',
  'off',
  'y',
  'null',
  'Null',
  'NULL',
  '~',
  '2026-01-31',
  '12:30',
  'a:b',
  'a#b',
  "it's",
  'x-y',
  'plain text',
  '-',
  '-a',
  '?a',
  ':a',
  '@a',
  '`a',
  '%a',
  '"q"',
  "'q'",
  '"a\\tb"',
  '"\\u00e9"',
  '"\\x41"',
  '"bad\\q"',
  "'it''s'",
  '""',
  "''",
  '[]',
  '{}',
  '[a, b]',
  '[+.5, -0x1F, .NaN]',
  '{a: 1, b: [x]}',
  '[a: 1]',
  '{a}',
  '[a,]',
  '[a, ]',
  '{a: 1,}',
  '&a x',
  '*a',
  '!!str 1',
  '!custom x',
  '|',
  '>-',
  '|+',
  '>2',
  'a # comment',
  '"a"#b',
  '[a]#b',
  'é',
  '日本',
  '\u{1F600}',
];
/** The scalars the fast reader accepts, so that generated documents often stay in its subset. */
const PLAIN_SCALARS = SCALARS.filter((s) => !/^[&*!|>@`%?:\[{]|^-$|#|\\q|u\{|[\u{1F600}]/u.test(s));
const KEYS = [
  'a',
  'b',
  'id',
  'name',
  'x-ticket',
  'title',
  '"quoted key"',
  "'single'",
  '1',
  '0x1F',
  '.nan',
  'true',
  'null',
  '~',
  '__proto__',
  'constructor',
  '[k]',
  '{k: v}',
  '? k',
  'a b',
  'a:b',
  '-k',
  'k'.repeat(1030),
];

/** A YAML document built from pieces, rendered in one of several styles. */
type Tree =
  | { kind: 'scalar'; text: string }
  | { kind: 'block'; header: string; lines: string[] }
  | { kind: 'map'; entries: [string, Tree][]; flow: boolean }
  | { kind: 'seq'; items: Tree[]; flow: boolean };

const scalarArb = fc
  .oneof(
    { arbitrary: fc.constantFrom(...PLAIN_SCALARS), weight: 6 },
    { arbitrary: fc.constantFrom(...SCALARS), weight: 1 },
  )
  .map((text): Tree => ({ kind: 'scalar', text }));
const keyArb = fc.oneof(
  { arbitrary: fc.constantFrom(...KEYS.slice(0, 13)), weight: 12 },
  { arbitrary: fc.constantFrom(...KEYS), weight: 1 },
);
/** Keys that read as the text they are written as: the keys of manifests. */
const wordKeyArb = fc.oneof(
  { arbitrary: fc.constantFrom(...KEYS.slice(0, 8)), weight: 12 },
  { arbitrary: fc.constantFrom(...KEYS), weight: 1 },
);
const blockArb = fc
  .record({
    header: fc.constantFrom('|', '>', '|-', '>-', '|+', '>+', '| # c', '>-', '|2'),
    lines: fc.array(
      fc.constantFrom('text', 'more text', '', '  indented', '# not a comment', 'a: b', '   '),
      { minLength: 0, maxLength: 4 },
    ),
  })
  .map(({ header, lines }): Tree => ({ kind: 'block', header, lines }));

const treeOf = (keyArb: fc.Arbitrary<string>): fc.Arbitrary<Tree> =>
  fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalarArb,
      blockArb,
      fc
        .record({
          entries: fc.array(fc.tuple(keyArb, tie('tree')), {
            minLength: 1,
            maxLength: 4,
          }),
          flow: fc.boolean(),
        })
        .map(({ entries, flow }): Tree => ({ kind: 'map', entries, flow })),
      fc
        .record({
          items: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
          flow: fc.boolean(),
        })
        .map(({ items, flow }): Tree => ({ kind: 'seq', items, flow })),
    ),
  })).tree;

interface Style {
  indent: number;
  /** A mapping in a sequence starts on the dash's line (`- id: a`). */
  compact: boolean;
  /** A comment after each scalar value. */
  trailing: boolean;
  /** Block sequences under a key at the key's own indentation (`a:\n- x`). */
  flushSequences: boolean;
  comments: boolean;
}

function flowText(t: Tree): string {
  switch (t.kind) {
    case 'scalar':
      return t.text;
    case 'block':
      return '"block"';
    case 'map':
      return `{${t.entries.map(([k, v]) => `${k}: ${flowText(v)}`).join(', ')}}`;
    case 'seq':
      return `[${t.items.map(flowText).join(', ')}]`;
  }
}

/** Lines of a node that sits after `key:` or `- ` at indentation `depth`. */
function render(
  t: Tree,
  depth: number,
  style: Style,
  inSeq: boolean,
): { inline: string; lines: string[] } {
  const pad = ' '.repeat(depth);
  switch (t.kind) {
    case 'scalar':
      return {
        inline: style.trailing && !t.text.includes('#') ? `${t.text} # note` : t.text,
        lines: [],
      };
    case 'block':
      return {
        inline: t.header,
        lines: t.lines.map((l) => (l === '' ? '' : `${pad}${' '.repeat(style.indent)}${l}`)),
      };
    case 'map':
    case 'seq': {
      if (t.kind === 'map' ? t.flow : t.flow) return { inline: flowText(t), lines: [] };
      const childDepth =
        t.kind === 'seq' && style.flushSequences && !inSeq ? depth : depth + style.indent;
      return { inline: '', lines: block(t, childDepth, style) };
    }
  }
}

function block(t: Tree, depth: number, style: Style): string[] {
  const pad = ' '.repeat(depth);
  const out: string[] = [];
  if (t.kind === 'map') {
    for (const [k, v] of t.entries) {
      if (style.comments && k.length % 3 === 0) out.push(`${pad}# about ${k}`);
      const r = render(v, depth, style, false);
      out.push(`${pad}${k}:${r.inline ? ` ${r.inline}` : ''}`, ...r.lines);
    }
  } else if (t.kind === 'seq') {
    for (const item of t.items) {
      const r = render(item, depth, style, true);
      if (r.inline || r.lines.length === 0) out.push(`${pad}- ${r.inline}`, ...r.lines);
      else if (style.compact && item.kind === 'map') {
        // `- id: a` then the other keys under `id`
        const inner = block(item, depth + 2, style);
        const first = inner.findIndex((l) => !l.trimStart().startsWith('#'));
        out.push(
          ...inner.slice(0, first),
          `${pad}- ${inner[first]!.trimStart()}`,
          ...inner.slice(first + 1),
        );
      } else out.push(`${pad}-`, ...r.lines);
    }
  } else {
    out.push(`${pad}${render(t, depth, style, false).inline}`);
  }
  return out;
}

const styleArb = fc.record({
  indent: fc.constantFrom(2, 4),
  compact: fc.boolean(),
  trailing: fc.boolean(),
  flushSequences: fc.boolean(),
  comments: fc.boolean(),
});
const eolArb = fc.constantFrom('\n', '\n', '\n', '\n', '\r\n', '\r', 'mixed');

function withEol(text: string, eol: string): string {
  if (eol === 'mixed')
    return text
      .split('\n')
      .map((l, i) => l + (i % 3 === 1 ? '\r\n' : i % 5 === 4 ? '\r' : '\n'))
      .join('');
  return text.replace(/\n/g, eol);
}

const docOf = (keyArb: fc.Arbitrary<string>): fc.Arbitrary<string> => {
  const treeArb = treeOf(keyArb);
  return fc
    .record({
      root: fc
        .array(fc.tuple(keyArb, treeArb), { minLength: 1, maxLength: 5 })
        .map((entries): Tree => ({ kind: 'map', entries, flow: false })),
      style: styleArb,
      eol: eolArb,
    })
    .map(({ root, style, eol }) => withEol(`${block(root, 0, style).join('\n')}\n`, eol));
};
const docArb = docOf(keyArb);
/** Documents whose keys the line reader reads, so that it is put to the test. */
const wordDocArb = docOf(wordKeyArb);

const TOKENS = [
  ':',
  ': ',
  '- ',
  '  ',
  '\n',
  '\r',
  '\r\n',
  '"',
  "'",
  '#',
  ' #',
  '&a ',
  '*a',
  '!!',
  '!!str ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '\t',
  '|',
  '>',
  '? ',
  '[k]: ',
  '{k: v}: ',
  '%',
  '@',
  '`',
  '__proto__: ',
  'null: ',
  '~: ',
  '+.5',
  '-0x1F',
  '+0o17',
  '-.inf',
  '.NaN',
  '0b1',
  '1e9',
  '-',
  'x-a: 1',
  '[a,\nb]',
  '"a\n b"',
  '\u00e9',
  '\ufeff',
  '\0',
  '\u2028',
  '\u00a0',
  '\u0085',
  ' # c\n',
  '\n# c\n',
  '\n\n',
  ':\n  ',
  '- a: 1\n  b: 2\n',
];
const mutation = fc.record({
  at: fc.nat(),
  deleteLength: fc.nat({ max: 20 }),
  insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })),
});
function mutate(
  text: string,
  steps: { at: number; deleteLength: number; insert: string }[],
): string {
  let out = text;
  for (const { at, deleteLength, insert } of steps) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + deleteLength);
  }
  return out;
}

/** Every path in the data, and one missing key under each mapping. */
function paths(data: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [prefix];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
    out.push([...prefix, 'no-such-key', 'deeper']);
  }
  return out;
}

const stats = { texts: 0, fast: 0, lines: 0 };

/** A quick reader's read of `source` against yaml's: the same data, every path at one place. */
function sameAsYaml(source: string, quick: FastRead): void {
  const slow = readWithYaml(source);
  expect(slow.findings).toEqual([]);
  expect(quick.data).toEqual(slow.data);
  for (const path of paths(slow.data)) {
    for (const target of ['key', 'value'] as const) {
      expect({ path, target, at: quick.offsetOf(path, target) }).toEqual({
        path,
        target,
        at: slow.offsetOf(path, target),
      });
    }
  }
}

/** The property: if a quick reader accepts a text, it reads exactly what yaml reads. */
function agree(text: string): void {
  stats.texts++;
  const source = sourceOf(text);
  const fast = readFast(source);
  if (fast !== undefined) {
    stats.fast++;
    sameAsYaml(source, fast);
  }
  const lines = readLines(source);
  if (process.env.LR_DEBUG && lines === undefined && fast !== undefined)
    console.log('DOC', JSON.stringify(source));
  if (lines !== undefined) {
    stats.lines++;
    sameAsYaml(source, lines);
  }
  const auto = readManifest(text, 'm.yaml', validator);
  const yamlOnly = readManifest(text, 'm.yaml', validator, { parser: 'yaml' });
  expect(auto.data).toEqual(yamlOnly.data);
  expect(auto.findings).toEqual(yamlOnly.findings);
  for (const f of auto.findings) {
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(describeFinding(f).message.length).toBeGreaterThan(0);
  }
}

describe('the fast and line readers read what yaml reads, or decline', () => {
  it(
    'on generated documents: scalars of every type, flow and block styles, line endings',
    { timeout: 300_000 },
    () => {
      const before = { ...stats };
      fc.assert(fc.property(docArb, agree), { seed: SEED, numRuns: RUNS * 2 });
      // the property must not hold only because the quick readers decline everything
      expect((stats.fast - before.fast) / (stats.texts - before.texts)).toBeGreaterThan(0.2);
    },
  );

  it('on generated documents whose keys are words', { timeout: 300_000 }, () => {
    const before = { ...stats };
    fc.assert(fc.property(wordDocArb, agree), { seed: SEED + 4, numRuns: RUNS * 2 });
    expect((stats.lines - before.lines) / (stats.texts - before.texts)).toBeGreaterThan(0.2);
  });

  it('on generated documents, mutated', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(docArb, fc.array(mutation, { minLength: 1, maxLength: 3 }), (doc, steps) =>
        agree(mutate(doc, steps)),
      ),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('on real manifests, mutated', { timeout: 300_000 }, () => {
    const before = { ...stats };
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, steps) => agree(mutate(seed, steps)),
      ),
      { seed: SEED + 2, numRuns: RUNS },
    );
    expect((stats.fast - before.fast) / (stats.texts - before.texts)).toBeGreaterThan(0.2);
    expect((stats.lines - before.lines) / (stats.texts - before.texts)).toBeGreaterThan(0.1);
  });

  it('on real manifests with one scalar replaced by a tricky one', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.nat(),
        fc.constantFrom(...SCALARS),
        fc.constantFrom('\n', '\r\n', '\r'),
        (seed, at, scalar, eol) => {
          // replace the value of the n-th `key: value` line
          const lines = seed.split('\n');
          const candidates = lines.flatMap((l, i) => (/^\s*[\w-]+: \S/.test(l) ? [i] : []));
          const i = candidates[at % candidates.length]!;
          lines[i] = lines[i]!.replace(/: .*/, `: ${scalar}`);
          agree(lines.join(eol));
        },
      ),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });
});
