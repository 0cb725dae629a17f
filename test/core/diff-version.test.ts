import { describe, expect, it } from 'vitest';
import {
  bumpCovers,
  bumpSize,
  compareSemVer,
  nextVersion,
  parseSemVer,
} from '../../src/core/diff-version.js';
import type { SemVer } from '../../src/core/diff-version.js';

const v = (s: string): SemVer => {
  const parsed = parseSemVer(s);
  if (!parsed) throw new Error(`not semver: ${s}`);
  return parsed;
};

describe('semantic versions of manifests', () => {
  it('reads MAJOR.MINOR.PATCH with prerelease and build, and nothing else', () => {
    expect(parseSemVer('1.4.0-rc.1+build.7')).toEqual({
      major: 1,
      minor: 4,
      patch: 0,
      prerelease: ['rc', '1'],
    });
    for (const bad of ['1.4', 'v1.4.0', '01.4.0', '1.4.0-', 1.4, undefined])
      expect(parseSemVer(bad), String(bad)).toBeUndefined();
  });

  it('orders versions by semver precedence', () => {
    const sorted = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
    ];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort((a, b) => compareSemVer(v(a), v(b)))).toEqual(sorted);
    expect(compareSemVer(v('1.2.3+a'), v('1.2.3+b'))).toBe(0);
  });

  it('sizes a step, one size larger below 1.0.0, and names the next version', () => {
    expect(bumpSize(v('1.2.3'), v('2.0.0'))).toBe('major');
    expect(bumpSize(v('1.2.3'), v('1.3.0'))).toBe('minor');
    expect(bumpSize(v('1.2.3'), v('1.2.4'))).toBe('patch');
    expect(bumpSize(v('0.2.3'), v('0.3.0'))).toBe('major');
    expect(bumpSize(v('0.2.3'), v('0.2.4'))).toBe('minor');
    expect(bumpSize(v('1.0.0-rc.1'), v('1.0.0'))).toBe('major');
    expect(bumpCovers('minor', 'major')).toBe(false);
    expect(bumpCovers('major', 'patch')).toBe(true);
    expect([
      nextVersion(v('1.2.3'), 'major'),
      nextVersion(v('1.2.3'), 'minor'),
      nextVersion(v('1.2.3'), 'patch'),
    ]).toEqual(['2.0.0', '1.3.0', '1.2.4']);
    expect([nextVersion(v('0.2.3'), 'major'), nextVersion(v('0.2.3'), 'minor')]).toEqual([
      '0.3.0',
      '0.2.4',
    ]);
  });
});
