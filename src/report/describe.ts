import type { ArgValue, Args, Finding } from '../core/findings.js';
import { escapeLine, mdSpans, protect } from './escape.js';
import { describeFinding } from './messages/words.js';
import type { Telling } from './messages/index.js';

type Described = { message: string; hint?: string };

/** A finding's message and hint for a terminal: one line each, control characters escaped. */
export function describeText(f: Pick<Finding, 'code' | 'args'>, how: Telling = {}): Described {
  const { message, hint } = describeFinding(f, how);
  return { message: escapeLine(message), ...(hint ? { hint: escapeLine(hint) } : {}) };
}

const protectValue = (v: ArgValue): ArgValue =>
  typeof v === 'string'
    ? protect(v)
    : Array.isArray(v)
      ? v.map((x: string | number) => (typeof x === 'string' ? protect(x) : x))
      : v;

/**
 * A finding's message and hint with the backticks of its inputs protected, so that the
 * message's own backticks alone mark code: to be put together with other words, then given
 * to `mdSpans`.
 */
export function describeProtected(f: Pick<Finding, 'code' | 'args'>, how: Telling = {}): Described {
  const args: Record<string, ArgValue> = {};
  for (const [key, value] of Object.entries(f.args)) args[key] = protectValue(value);
  return describeFinding({ code: f.code, args: args as Args }, how);
}

/** A finding's message and hint as inert Markdown, for a list item or a table cell. */
export function describeMarkdown(f: Pick<Finding, 'code' | 'args'>, how: Telling = {}): Described {
  const { message, hint } = describeProtected(f, how);
  return { message: mdSpans(message), ...(hint ? { hint: mdSpans(hint) } : {}) };
}
