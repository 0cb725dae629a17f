/**
 * Build step: compiles schemas/mlops.v1.schema.json into standalone validator code
 * (dist/schema-validator.js), so `mlops` never compiles the schema at start-up (~100 ms saved).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';

export const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
} as const;

const schemaUrl = new URL('../../schemas/mlops.v1.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as object;
const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true } });
addFormats.default(ajv, ['date', 'email']);
// ajv's ESM output still calls require() for its runtime helpers and formats.
const code =
  "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n" +
  standaloneCode.default(ajv, ajv.compile(schema));
writeFileSync(fileURLToPath(new URL('../schema-validator.js', import.meta.url)), code);
