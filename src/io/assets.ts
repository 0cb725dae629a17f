import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SchemaValidator } from '../core/schema-errors.js';

/** The package root, found from this file (dist/io/assets.js), never from the working directory. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL('../../schemas/mlops.v1.schema.json', import.meta.url));
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export function readSchemaText(): string {
  return readFileSync(SCHEMA_PATH, 'utf8');
}

/** The schema validator precompiled at build time (see src/build/compile-schema.ts). */
export async function loadValidator(): Promise<SchemaValidator> {
  const mod = (await import('../schema-validator.js' as string)) as { default: SchemaValidator };
  return mod.default;
}

let cachedVersion: string | undefined;
export function toolVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}
