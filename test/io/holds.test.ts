// holds answers "is this path at or under that folder" for every file a run reads, with fast
// answers for normalized absolute paths: each must be exactly what isInside (path.relative)
// says, for paths normalized or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holds, isInside } from '../../src/io/read.js';

const segment = fc.constantFrom('a', 'b', 'ab', 'a.b', '.', '..', '..a', '.git', 'x y', 'ü');
const pathArb = fc
  .array(segment, { minLength: 0, maxLength: 5 })
  .map((parts) => `/${parts.join('/')}`)
  .chain((p) => fc.constantFrom(p, `${p}/`, p.replace('/', '//'), p.slice(1) || '.'));

describe('holds', () => {
  it('says what isInside says, for normalized paths and others', () => {
    fc.assert(
      fc.property(
        pathArb,
        pathArb,
        fc.constantFrom('apart', 'below', 'prefix'),
        fc.constantFrom('', '/', 'b', '/b', 'b/c', '/.', '/..', '/../b', '.b', '//b'),
        (parent, other, how, suffix) => {
          // most pairs share a prefix, so that both answers are tried often
          const child =
            how === 'apart' ? other : how === 'below' ? `${parent}/${other}` : parent + suffix;
          expect(holds(parent, child), `${parent} ${child}`).toBe(isInside(parent, child));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('tells a sibling that shares a prefix from a child, and the root holds everything', () => {
    expect(holds('/repo/a', '/repo/ab/mlops.yaml')).toBe(false);
    expect(holds('/repo/a', '/repo/a/mlops.yaml')).toBe(true);
    expect(holds('/repo/a', '/repo/a')).toBe(true);
    expect(holds('/', '/tmp/x')).toBe(true);
    expect(holds('/work/main', '/tmp/w/c10k/models/m1/mlops.yaml')).toBe(false);
  });
});
