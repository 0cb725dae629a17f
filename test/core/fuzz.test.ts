import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/core/load.js';
import { validateParsed, validateText } from '../../src/core/validate.js';
import { validator } from '../helpers/validator.js';

const SEEDS = [
  '../../templates/classification.yaml',
  '../fixtures/validate/minimal/mlops.yaml',
].map((p) => readFileSync(new URL(p, import.meta.url), 'utf8'));
const TOKENS = [
  ':',
  '- ',
  '  ',
  '\n',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '!!',
  '{',
  '}',
  '[',
  ']',
  ',',
  '---\n',
  '\t',
  '|',
  '>',
  '?',
  '%',
  '@',
  '`',
  '__proto__: ',
  'null',
  '1e9',
  '-',
  'x-a: 1',
  '\u00e9',
  '\0',
];

/** A mutation: replace, insert or delete a slice of the text at a position. */
const mutation = fc.record({
  at: fc.nat(),
  deleteLength: fc.nat({ max: 40 }),
  insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 12 })),
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

describe('mutated YAML only ever produces findings', () => {
  it(
    'never throws, always gives positions, and the fast path never hides a finding',
    { timeout: 120_000 },
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...SEEDS),
          fc.array(mutation, { minLength: 1, maxLength: 6 }),
          (seed, steps) => {
            const text = mutate(seed, steps);
            const viaFastPath = validateText(text, 'm.yaml', validator);
            const positional = validateParsed(parseManifest(text, 'm.yaml'), validator);
            expect(viaFastPath).toEqual(positional);
            for (const d of viaFastPath) {
              expect(d.line).toBeGreaterThanOrEqual(1);
              expect(d.column).toBeGreaterThanOrEqual(1);
              expect(d.message.length).toBeGreaterThan(0);
            }
          },
        ),
        {
          seed: Number(process.env.FUZZ_SEED ?? 20261127),
          numRuns: Number(process.env.FUZZ_RUNS ?? 500),
        },
      );
    },
  );
});
