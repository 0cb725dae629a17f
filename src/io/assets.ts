import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SchemaValidator } from '../core/manifest/schema-findings.js';

/** Package files, found from this module's location, never from the working directory. */
export const SCHEMA_PATH = fileURLToPath(
  new URL('../../schemas/mlops.v1.schema.json', import.meta.url),
);
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export function readSchemaText(): string {
  return readFileSync(SCHEMA_PATH, 'utf8');
}

/** The schema of the config file, mlops.config.yaml (`mlops schema --config`). */
export const CONFIG_SCHEMA_PATH = fileURLToPath(
  new URL('../../schemas/mlops.config.v1.schema.json', import.meta.url),
);

export function readConfigSchemaText(): string {
  return readFileSync(CONFIG_SCHEMA_PATH, 'utf8');
}

let validatorPromise: Promise<SchemaValidator> | undefined;

/**
 * The schema validator precompiled at build time (src/build/compile-schema.ts). Running from
 * source, where there is none, it is compiled from the schema instead.
 */
export function loadValidator(): Promise<SchemaValidator> {
  validatorPromise ??= import('../schema-validator.js' as string).then(
    (mod: { default: SchemaValidator }) => mod.default,
    async () => {
      const { compileValidator } = await import('./schema-compile.js');
      return compileValidator(JSON.parse(readSchemaText()) as object);
    },
  );
  return validatorPromise;
}

let cachedVersion: string | undefined;
export function toolVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
  return cachedVersion;
}
