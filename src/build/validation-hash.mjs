// The key of validate's result cache (src/io/validate-cache.ts): a hash of the built code that
// turns a manifest's bytes into findings, so that changing any rule, the schema or a parser,
// once built, leaves every cached result unused.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bundles of dist/cli/ that decide a manifest's findings. */
export const VALIDATION_BUNDLES = ['reader', 'yaml-reader', 'schema-validator'];

/** The hash of those bundles as they are in `cliDir`. */
export function validationHash(cliDir) {
  const hash = createHash('sha256');
  for (const name of VALIDATION_BUNDLES) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(join(cliDir, `${name}.cjs`)));
    hash.update('\0');
  }
  return hash.digest('base64url').slice(0, 32);
}
