import { createRequire } from 'node:module';

// The official SARIF 2.1.0 schema ships with @microsoft/jest-sarif, as draft-04, which ajv 6
// (its own dependency) still reads.
const requireFromSarif = createRequire(
  createRequire(import.meta.url).resolve('@microsoft/jest-sarif/package.json'),
);
const Ajv6 = requireFromSarif('ajv') as new (opts: object) => {
  addMetaSchema(schema: object): void;
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};
const ajv = new Ajv6({ schemaId: 'id', allErrors: true, unknownFormats: 'ignore' });
ajv.addMetaSchema(requireFromSarif('ajv/lib/refs/json-schema-draft-04.json') as object);
const validate = ajv.compile(requireFromSarif('./lib/schemas/sarif-2.1.0-rtm.5.json') as object);

/** Errors of a SARIF log against the SARIF 2.1.0 schema; empty when it is valid. */
export function sarifErrors(log: unknown): unknown[] {
  return validate(log) ? [] : (validate.errors ?? []);
}
