// Build: bundles the CLI into a few CommonJS files in dist/cli/, precompiles the schema
// validator, and primes V8's code cache of the bundles (see src/cli/launch.ts).
//
// Why this shape (measured on a 2-core VM, `node -e 0` ~135 ms): a short run is dominated by
// loading code. ESM chunks cost the module loader ~15 ms and cannot use a code cache on Node 20;
// CommonJS bundles loaded through vm.Script with cachedData skip compilation (~55 ms saved on a
// one-manifest validate). One bundle per command keeps each run's read small (~5 ms per MB).
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const src = `${root}src/`;
// Built aside and moved into place, so that a build never leaves a half-written dist/ behind.
const final = `${root}dist`;
const dist = `${root}dist.${process.pid}.tmp`;
const cli = `${dist}/cli`;
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
};

rmSync(dist, { recursive: true, force: true });
process.on('exit', () => rmSync(dist, { recursive: true, force: true }));

// 1. The schema validator, compiled by ajv into standalone code, then bundled with its runtime.
await build({
  ...common,
  format: 'esm',
  entryPoints: [`${src}build/compile-schema.ts`],
  outfile: `${dist}/build/compile-schema.js`,
  packages: 'external',
});
const compiled = spawnSync(
  process.execPath,
  [`${dist}/build/compile-schema.js`, `${dist}/schema-validator.raw.js`],
  { stdio: 'inherit' },
);
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
rmSync(`${dist}/build`, { recursive: true });

// 2. The CLI: one bundle per command, plus the modules they share. An import of a shared module
// (or of another bundle) becomes `require('./<bundle>.cjs')`, which the launcher serves from the
// same loaded copy, so `instanceof MlopsError` holds across bundles.
const bundles = {
  launch: 'cli/launch.ts',
  run: 'cli/run.ts',
  errors: 'errors.ts',
  init: 'cli/commands/init.ts',
  validate: 'cli/commands/validate.ts',
  check: 'cli/commands/check.ts',
  approve: 'cli/commands/approve.ts',
  diff: 'cli/commands/diff.ts',
  schema: 'cli/commands/schema.ts',
  'validate-worker': 'cli/validate-worker.ts',
  'worker-boot': 'cli/worker-boot.ts',
  // the parsers, loaded only for manifests the result cache does not answer
  'validate-fast': 'core/validate-fast.ts',
  'validate-slow': 'core/validate.ts',
};
const bundleOf = new Map(Object.entries(bundles).map(([name, file]) => [`${src}${file}`, name]));
const separate = {
  name: 'separate-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (/schema-validator\.js$/.test(args.path))
        return { path: 'schema-validator', namespace: 'validator' };
      // running from source, the schema is compiled; built, it never is: leave ajv out
      if (/schema-compile\.js$/.test(args.path))
        return { path: 'schema-compile', namespace: 'no-compile' };
      const name = bundleOf.get(target);
      return name ? { path: name, namespace: 'bundle' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'bundle' }, (args) => ({
      contents: `module.exports = require('./${args.path}.cjs');`,
      loader: 'js',
    }));
    // its only export is the default one, which CommonJS interop would wrap once more
    b.onLoad({ filter: /.*/, namespace: 'validator' }, () => ({
      contents: "export default require('./schema-validator.cjs').default;",
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'no-compile' }, () => ({
      contents:
        "export function compileValidator() { throw new Error('the schema validator is missing from dist/cli: run npm run build'); }",
      loader: 'js',
    }));
    b.onResolve({ filter: /\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    // `await import('node:x')` stays lazy but becomes require(): the launcher runs bundles as
    // scripts, which have no dynamic import()
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require('${args.path}');`,
      loader: 'js',
    }));
    // commander requires child_process (with net and dgram, ~4 ms) at load, for executable
    // subcommands, which mlops has none of: load it only if ever used
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager))
        throw new Error(
          `${args.path}: commander changed; update the child_process patch in bundle.mjs`,
        );
      return {
        contents: text.replace(
          eager,
          "const childProcess = { get spawn() { return require('node:child_process').spawn; } };",
        ),
        loader: 'js',
      };
    });
  },
};
await build({
  ...common,
  format: 'cjs',
  entryPoints: [
    ...Object.entries(bundles).map(([out, file]) => ({ in: `${src}${file}`, out })),
    { in: `${dist}/schema-validator.raw.js`, out: 'schema-validator' },
  ],
  outdir: cli,
  outExtension: { '.js': '.cjs' },
  plugins: [separate],
  define: {
    // the bundles sit in dist/cli/, so paths made from import.meta.url (schemas/, templates/)
    // resolve as they did from src/<folder>/
    'import.meta.url': '__mlopsUrl',
    // the validator was compiled from this schema just now, so its hash keys the result cache
    __MLOPS_SCHEMA_HASH__: JSON.stringify(
      createHash('sha256')
        .update(readFileSync(`${root}schemas/mlops.v1.schema.json`, 'utf8'))
        .digest('base64url'),
    ),
  },
  banner: { js: "var __mlopsUrl = require('node:url').pathToFileURL(__filename).href;" },
});
rmSync(`${dist}/schema-validator.raw.js`);

rmSync(final, { recursive: true, force: true });
renameSync(dist, final);

// 3. Prime the code caches: run the commands once in this process through the launcher, then
// save every bundle's cache with the functions those runs compiled. Done in place, since a
// cache keeps the file names that stack traces show.
const launch = createRequire(import.meta.url)(`${final}/cli/launch.cjs`);
const { run } = launch.load('run.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'mlops-build-'));
const io = (cwd) => ({
  stdout: () => {},
  stderr: () => {},
  cwd,
  env: { NO_COLOR: '1', XDG_CACHE_HOME: scratch },
  stdoutIsTTY: false,
  stderrIsTTY: false,
  stdinIsTTY: false,
});
try {
  const examples = readdirSync(`${root}examples`).map((d) => `${root}examples/${d}/mlops.yaml`);
  // [argv, where, the exit code it must give]: the build fails if the bundles do not work
  for (const [argv, cwd, code] of [
    [['--help'], scratch, 0],
    [['validate', '--help'], scratch, 0],
    [['validate', '--no-cache', ...examples], scratch, 0],
    [['validate', ...examples], scratch, 0], // fills the result cache
    [['validate', ...examples], scratch, 0], // answered from it
    [['validate', '--no-cache', '--format', 'json', join(scratch, 'missing.yaml')], scratch, 2],
    [['init', '--yes', '--name', 'primer', join(scratch, 'model')], scratch, 0],
    [['validate', '--no-cache', join(scratch, 'model')], scratch, 0],
    [['check', '--format', 'json', ...examples], root, undefined], // its answer depends on the date
    [['diff', ...examples.slice(0, 2)], root, undefined],
    [['schema'], scratch, 0],
  ]) {
    const got = await run(argv, io(cwd));
    if (code !== undefined && got !== code)
      throw new Error(`build check: mlops ${argv.join(' ')} exited ${got}, not ${code}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
launch.saveCodeCache({ all: true });
