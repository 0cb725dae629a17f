import { compareDiagnostics } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { parseManifest } from './load.js';
import type { ParsedManifest } from './load.js';
import type { SchemaValidator } from './schema-errors.js';
import { findProblems, isCleanFast } from './validate-fast.js';

export { findProblems } from './validate-fast.js';

/** What `mlops validate` found, over every file it read. */
export interface ValidateResult {
  /** Files validated, as given to the reporters (relative to the working directory). */
  files: string[];
  diagnostics: Diagnostic[];
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
  if (isCleanFast(text, validator)) return [];
  return validateSlow(text, file, validator);
}

/** Parses with positions and reports every finding: the authoritative reading. */
export function validateSlow(text: string, file: string, validator: SchemaValidator): Diagnostic[] {
  return validateParsed(parseManifest(text, file), validator);
}
