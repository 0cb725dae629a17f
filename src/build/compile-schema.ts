/**
 * Build step: compiles schemas/mlops.v1.schema.json into standalone validator code
 * (dist/schema-validator.raw.js, bundled into dist/schema-validator.js by bundle.mjs), so
 * `mlops` never compiles the schema at start-up (~100 ms saved).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv } from '../io/schema-compile.js';

// argv: [out, schema]; the config file's schema is compiled the same way
const schemaUrl = process.argv[3]
  ? pathToFileURL(process.argv[3])
  : new URL('../../schemas/mlops.v1.schema.json', import.meta.url);
const ajv = createAjv({ standalone: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')) as object);
const out =
  process.argv[2] ?? fileURLToPath(new URL('../schema-validator.raw.js', import.meta.url));
writeFileSync(out, appendInPlace(standaloneCode.default(ajv, validate)));

/**
 * ajv adds the errors of a referenced schema with `vErrors.concat(...)`, which copies every
 * error so far for each reference that fails: 10,000 list items in error take minutes. The same
 * errors, in the same order, appended in place.
 */
function appendInPlace(code: string): string {
  return `${code.replaceAll('vErrors.concat(', 'appendErrors(vErrors, ')}
function appendErrors(into, more) {
  for (const e of more) into.push(e);
  return into;
}
`;
}
