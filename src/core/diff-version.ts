/** Semantic versions of `metadata.version`, and the bump a set of changes needs. */

export type Bump = 'major' | 'minor' | 'patch';

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemVer(value: unknown): SemVer | undefined {
  if (typeof value !== 'string') return undefined;
  const m = SEMVER.exec(value.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] ? m[4].split('.') : [],
  };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver precedence: negative when `a` comes before `b`. Build metadata is ignored. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifiers(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

const RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

/**
 * The size of the step from `from` to `to` (which is later), counted the way semver
 * ranges read it: below 1.0.0 a minor step is breaking and a patch step may add, so each
 * step counts one size larger. A step that only moves the prerelease (1.0.0-rc.1 to 1.0.0)
 * releases a version already planned and counts as any size.
 */
export function bumpSize(from: SemVer, to: SemVer): Bump {
  if (to.major !== from.major) return 'major';
  if (to.minor !== from.minor) return from.major === 0 ? 'major' : 'minor';
  if (to.patch !== from.patch) return from.major === 0 ? 'minor' : 'patch';
  return 'major';
}

export function bumpCovers(actual: Bump, needed: Bump): boolean {
  return RANK[actual] >= RANK[needed];
}

/** The smallest version after `from` that makes a `needed` bump (below 1.0.0, one size smaller). */
export function nextVersion(from: SemVer, needed: Bump): string {
  const step: Bump = from.major === 0 ? (needed === 'major' ? 'minor' : 'patch') : needed;
  if (step === 'major') return `${from.major + 1}.0.0`;
  if (step === 'minor') return `${from.major}.${from.minor + 1}.0`;
  return `${from.major}.${from.minor}.${from.patch + 1}`;
}
