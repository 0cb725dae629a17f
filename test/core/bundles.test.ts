/**
 * A short run loads only the code of its command: every module that src/cli/run.ts imports
 * on demand is a bundle of its own in src/build/bundle.mjs, so that esbuild does not inline it
 * into run.cjs, which every command (and `--help`) loads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

describe('the bundles of the CLI', () => {
  it('give every module run.ts loads on demand a bundle of its own', () => {
    const lazy = [...read('src/cli/run.ts').matchAll(/import\('\.\/([\w/-]+)\.js'\)/g)].map(
      (m) => `cli/${m[1]}.ts`,
    );
    expect(lazy).toContain('cli/commands/migrate.ts');
    const bundled = new Set(
      [...read('src/build/bundle.mjs').matchAll(/^\s+'?[\w-]+'?: '([\w/.-]+\.ts)',$/gm)].map(
        (m) => m[1],
      ),
    );
    expect(lazy.filter((file) => !bundled.has(file))).toEqual([]);
  });
});
