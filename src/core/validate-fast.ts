import { checkConsistency } from './consistency.js';
import { parseManifestFast } from './load-fast.js';
import { translateSchemaErrors } from './schema-errors.js';
import type { RawFinding, SchemaValidator } from './schema-errors.js';

/** Schema and consistency findings for parsed data, without positions. */
export function findProblems(data: unknown, validator: SchemaValidator): RawFinding[] {
  const schemaFindings = validator(data) ? [] : translateSchemaErrors(validator.errors ?? [], data);
  return [...schemaFindings, ...checkConsistency(data)];
}

/**
 * True when the text is a manifest with no finding at all, decided with the fast parser alone.
 * False means "look closer": parse with positions (validateParsed), which is authoritative.
 */
export function isCleanFast(text: string, validator: SchemaValidator): boolean {
  const data = parseManifestFast(text);
  return data !== undefined && findProblems(data, validator).length === 0;
}
