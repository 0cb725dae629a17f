import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 for the data a manifest can hold): object keys sorted by UTF-16
 * code units at every level, no insignificant whitespace, ECMAScript number and string forms.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** `sha256:<hex>` of the canonical JSON of a section; comments and layout never change it. */
export function digestOf(section: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(section ?? null))
    .digest('hex')}`;
}
