import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { SchemaValidator } from '../core/manifest/schema-findings.js';

/** verbose: findings need the parent schema to suggest the keys allowed next to an unknown one. */
export function createAjv(options: { standalone: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    ...(options.standalone ? { code: { source: true, esm: true } } : {}),
  });
  addFormats.default(ajv, ['date', 'email']);
  return ajv;
}

export function compileValidator(schema: object): SchemaValidator {
  return createAjv({ standalone: false }).compile(schema) as SchemaValidator;
}
