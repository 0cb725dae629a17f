// Paths as the output shows them: toDisplayPaths, which computes path.relative once for a whole
// run, must give exactly what path.relative gives path by path, wherever the working folder is.
import { relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDisplayPath, toDisplayPaths } from '../../src/io/fs.js';

/** What the output has always shown: path.relative, with forward slashes, `.` for itself. */
const reference = (from: string, abs: string): string => {
  const rel = relative(from, abs);
  return (rel === '' ? '.' : rel).split(sep).join('/');
};

const segment = fc.constantFrom('a', 'b', 'models', '.github', '.', '..', 'x y', 'ü', 'a.b');
const absArb = fc
  .array(segment, { minLength: 0, maxLength: 6 })
  .map((parts) => `/${parts.join('/')}`)
  // discovery gives normalized paths, but a doubled or trailing separator must not mislead
  .chain((p) => fc.constantFrom(p, `${p}/`, p.replace('/', '//')));

describe('toDisplayPaths', () => {
  it('gives what path.relative gives, path by path', () => {
    fc.assert(
      fc.property(absArb, fc.array(absArb, { minLength: 1, maxLength: 20 }), (from, paths) => {
        const shown = toDisplayPaths(from, paths);
        expect(shown).toEqual(paths.map((p) => reference(from, p)));
        expect(shown).toEqual(paths.map((p) => toDisplayPath(from, p)));
      }),
      { numRuns: 3000 },
    );
  });

  it('shows manifests outside the working folder as ../ paths', () => {
    const files = ['/tmp/corpus/models/a/mlops.yaml', '/tmp/corpus/models/b/mlops.yaml'];
    expect(toDisplayPaths('/work/repo', files)).toEqual([
      '../../tmp/corpus/models/a/mlops.yaml',
      '../../tmp/corpus/models/b/mlops.yaml',
    ]);
    expect(toDisplayPaths('/tmp/corpus', files)).toEqual([
      'models/a/mlops.yaml',
      'models/b/mlops.yaml',
    ]);
    expect(toDisplayPaths('/tmp/corpus/models/a', files)).toEqual([
      'mlops.yaml',
      '../b/mlops.yaml',
    ]);
  });
});
