import { checkConsistency } from './consistency.js';
import { compareDiagnostics } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { parseManifest, parseManifestFast } from './load.js';
import type { ParsedManifest } from './load.js';
import { translateSchemaErrors } from './schema-errors.js';
import type { RawFinding, SchemaValidator } from './schema-errors.js';

/** What `mlops validate` found, over every file it read. */
export interface ValidateResult {
  /** Files validated, as given to the reporters (relative to the working directory). */
  files: string[];
  diagnostics: Diagnostic[];
}

/** Schema and consistency findings for parsed data, without positions. */
export function findProblems(data: unknown, validator: SchemaValidator): RawFinding[] {
  const schemaFindings = validator(data) ? [] : translateSchemaErrors(validator.errors ?? [], data);
  return [...schemaFindings, ...checkConsistency(data)];
}

/** Findings for a manifest already parsed with positions. */
export function validateParsed(parsed: ParsedManifest, validator: SchemaValidator): Diagnostic[] {
  if (parsed.diagnostics.length > 0 || parsed.data === undefined) return [...parsed.diagnostics];
  return findProblems(parsed.data, validator)
    .map(({ target, hint, ...f }): Diagnostic => ({
      ...f,
      file: parsed.file,
      ...parsed.locate(f.path, target),
      ...(hint ? { hint } : {}),
    }))
    .sort(compareDiagnostics);
}

/**
 * Validates one manifest's text. Clean files take the fast parser only; a file with any
 * finding is parsed again with positions, and that second reading is the one reported.
 */
export function validateText(text: string, file: string, validator: SchemaValidator): Diagnostic[] {
  const fast = parseManifestFast(text);
  if (fast !== undefined && findProblems(fast, validator).length === 0) return [];
  return validateParsed(parseManifest(text, file), validator);
}
