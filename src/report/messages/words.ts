import type { Code } from '../../core/codes/index.js';
import type { Finding } from '../../core/findings.js';
import { MESSAGES } from './index.js';
import type { MessageSpec, Telling } from './index.js';
import { READ_MESSAGES } from './read-words.js';

/**
 * The words of a code. Those of reading a manifest come from READ_MESSAGES, so that `validate`
 * never loads the words of check, diff and the law (built, each is a bundle loaded on first use).
 */
export function messageSpec(code: Code): MessageSpec {
  return Object.hasOwn(READ_MESSAGES, code)
    ? (READ_MESSAGES as Record<string, MessageSpec>)[code]!
    : MESSAGES[code];
}

/** The message and hint of a finding, in words; commands in the hint start as `how.invokedAs`. */
export function describeFinding(
  f: Pick<Finding, 'code' | 'args'>,
  how: Telling = {},
): {
  message: string;
  hint?: string;
} {
  const spec = messageSpec(f.code);
  const hint = spec.hint?.(f.args, { invokedAs: how.invokedAs || 'mlops' });
  return { message: spec.message(f.args), ...(hint ? { hint } : {}) };
}
