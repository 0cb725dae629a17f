// Build: bundles the CLI into a few files under dist/cli/ (module loading is most of a small
// run's cost: ~100 files cost ~60 ms more than one), and precompiles the schema validator.
import { renameSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Built aside and moved into place, so that a build never leaves a half-written dist/ behind.
const final = `${root}dist`;
const dist = `${root}dist.${process.pid}.tmp`;
// CommonJS dependencies inside an ESM bundle still call require() for node built-ins.
const banner = { js: "import { createRequire as __mlopsCreateRequire } from 'node:module';\nconst require = __mlopsCreateRequire(import.meta.url);" };
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', banner, logLevel: 'warning', legalComments: 'none', minifyWhitespace: true, minifySyntax: true };

rmSync(dist, { recursive: true, force: true });
process.on('exit', () => rmSync(dist, { recursive: true, force: true }));

// 1. The schema validator, compiled by ajv into standalone code, then bundled with its runtime.
await build({ ...common, entryPoints: [`${root}src/build/compile-schema.ts`], outfile: `${dist}/build/compile-schema.js`, packages: 'external', banner: {} });
const compiled = spawnSync(process.execPath, [`${dist}/build/compile-schema.js`, `${dist}/schema-validator.raw.js`], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
await build({ ...common, entryPoints: [`${dist}/schema-validator.raw.js`], outfile: `${dist}/schema-validator.js` });
rmSync(`${dist}/schema-validator.raw.js`);

// 2. The CLI. Lazy imports become chunks beside main.js, so paths from import.meta.url (schemas/,
// templates/, ../schema-validator.js) resolve as they do from any dist/<folder>/ file.
await build({
  ...common,
  entryPoints: { main: `${root}src/cli/main.ts`, 'validate-worker': `${root}src/cli/validate-worker.ts` },
  outdir: `${dist}/cli`,
  splitting: true,
  chunkNames: '[name]-[hash]',
});

rmSync(final, { recursive: true, force: true });
renameSync(dist, final);
