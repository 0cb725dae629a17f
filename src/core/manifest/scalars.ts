import { CORE_TAGS } from './core-tags.js';

/** Thrown when yaml would report a plain scalar as an error: the quick readers then give up. */
export class ScalarResolveError extends Error {}

const IMPLICIT = CORE_TAGS.filter((t) => t.default === true && t.test !== undefined);
const OPTIONS = { intAsBigInt: false };
const fail = (message: string): never => {
  throw new ScalarResolveError(message);
};

/**
 * False when none of yaml's core tests can match, so that most plain scalars are text without
 * a test being tried: numbers start with a digit, a sign or a dot; `~`, null, true and false
 * are at most five letters. test/core/fast-parse.test.ts pins yaml's tests to these shapes.
 */
export function mayBeTyped(source: string): boolean {
  if (source.length === 0) return true;
  const c = source.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return true; // 0-9 + - .
  if (c === 0x7e) return source.length === 1; // ~
  // n N t T f F
  return (
    source.length <= 5 &&
    (c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46)
  );
}

/**
 * The value of a plain (unquoted, untagged) scalar as yaml's core schema reads it: the first tag
 * whose test matches resolves it, as yaml's composer does (`findScalarTagByTest`); no tag, text.
 */
export function resolvePlainScalar(source: string): unknown {
  if (!mayBeTyped(source)) return source;
  for (const tag of IMPLICIT) {
    if (!tag.test!.test(source)) continue;
    const resolved = tag.resolve(source, fail, OPTIONS);
    // yaml's tags return either the value or a Scalar node holding it
    return resolved !== null && typeof resolved === 'object'
      ? (resolved as { value: unknown }).value
      : resolved;
  }
  return source;
}
