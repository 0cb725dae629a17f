// Build: bundles the CLI into a few CommonJS files in dist/cli/, precompiles the schema
// validator, bundles the programmatic API (dist/api.js, with its declarations), and checks that
// the built commands run. It writes no code cache: the launcher keeps those in the user's cache
// folder (see src/cli/launch.ts), since one made here would serve only this Node.js binary.
//
// Why this shape (measured on a 2-core VM, `node -e 0` ~135 ms): a short run is dominated by
// loading code. ESM chunks cost the module loader ~15 ms and cannot use a code cache on Node 20;
// CommonJS bundles loaded through vm.Script with cachedData skip compilation (~55 ms saved on a
// one-manifest validate). One bundle per command keeps each run's read small (~5 ms per MB).
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { VALIDATION_BUNDLES, validationHash } from './validation-hash.mjs';

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

// The declarations of the programmatic API (dist/api.d.ts), made by tsc in a process of their
// own while the bundles are built: reading the types takes tsc seconds.
const declarations = new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [`${src}build/declarations.mjs`, dist], {
    stdio: 'inherit',
  });
  child.once('error', reject);
  child.once('exit', (code, signal) =>
    code === 0 ? resolve() : reject(new Error(`declarations failed (${signal ?? code})`)),
  );
});
// settled at the end; a failure of the bundles is reported first
declarations.catch(() => {});

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
// and the config file's schema, so that a run with a mlops.config.yaml loads no ajv either
const compiledConfig = spawnSync(
  process.execPath,
  [
    `${dist}/build/compile-schema.js`,
    `${dist}/config-validator.raw.js`,
    `${root}schemas/mlops.config.v1.schema.json`,
  ],
  { stdio: 'inherit' },
);
if (compiledConfig.status !== 0) process.exit(compiledConfig.status ?? 1);
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
  // `mlops report`: the site's renderers, loaded only by it
  report: 'cli/commands/report.ts',
  // `mlops migrate` and `mlops export`, each loaded only by its command
  migrate: 'cli/commands/migrate.ts',
  export: 'cli/commands/export.ts',
  schema: 'cli/commands/schema.ts',
  explain: 'cli/commands/explain.ts',
  // `mlops completion`, loaded only by it
  completion: 'cli/completion.ts',
  'validate-worker': 'cli/validate-worker.ts',
  'worker-boot': 'cli/worker-boot.ts',
  // the reader of every command (js-yaml, the consistency rules), loaded only for manifests the
  // result cache does not answer
  reader: 'core/manifest/reader.ts',
  // yaml, which the reader asks only for text outside its fast subset (see LAZY)
  'yaml-reader': 'core/manifest/yaml-reader.ts',
  // reading mlops.config.yaml, loaded only when a config file exists
  'config-read': 'io/config-read.ts',
  // the words of every finding: shared by the reporters, and by run's error path for an invalid
  // config file, which would otherwise carry a copy
  messages: 'report/messages/index.ts',
  // the words of what reading a manifest finds, which validate needs without the rest
  'read-words': 'report/messages/read-words.ts',
};
const bundleOf = new Map(Object.entries(bundles).map(([name, file]) => [`${src}${file}`, name]));
// Bundles that a static import loads on first use of one of their exports, not at start-up:
// the reader imports yaml-reader, and most runs never need it (~30 ms to load); the words of
// findings are loaded by the first finding or error to be told: those of reading a manifest
// (read-words, ~3 ms), and the rest (messages, ~6 ms) only for a finding of theirs.
const LAZY = new Set(['yaml-reader', 'messages', 'read-words']);
// Built-in modules imported statically but needed only on some paths, loaded on first use:
// node:crypto (~6 ms) makes fingerprints, which a run of clean manifests never needs, and
// node:child_process (~4 ms, with net and stream) runs git, which a folder outside git does not.
// node:v8 (~3.5 ms) bounds the heap of runs over thousands of manifests only (io/heap.ts).
const LAZY_BUILTINS = new Set(['node:crypto', 'node:child_process', 'node:v8']);
// Stand in for the hash of the validation bundles, and for that of every bundle (the key of
// the launcher's code caches), until they are written (see below).
const VALIDATION_HASH = '@@MLOPS_VALIDATION_HASH@@';
const BUNDLE_HASH = '@@MLOPS_BUNDLE_HASH@@';
// yaml's core-schema scalar tags, which the fast reader resolves plain scalars with: taken from
// their own files, so that the reader's bundle holds them without the rest of yaml (~45 KB).
// The build fails unless they are, in order, the tagged scalars of yaml's core schema.
const requireHere = createRequire(import.meta.url);
const yamlSchemas = join(dirname(requireHere.resolve('yaml')), 'schema');
const SCALAR_TAGS = [
  ['common/null.js', 'nullTag'],
  ['core/bool.js', 'boolTag'],
  ['core/int.js', 'intOct'],
  ['core/int.js', 'int'],
  ['core/int.js', 'intHex'],
  ['core/float.js', 'floatNaN'],
  ['core/float.js', 'floatExp'],
  ['core/float.js', 'float'],
];
{
  const core = requireHere(join(yamlSchemas, 'core/schema.js')).schema.filter((t) => t.test);
  const ours = SCALAR_TAGS.map(([file, name]) => requireHere(join(yamlSchemas, file))[name]);
  if (core.length !== ours.length || core.some((tag, i) => tag !== ours[i]))
    throw new Error("yaml's core scalar tags changed: update SCALAR_TAGS in src/build/bundle.mjs");
}
// js-yaml's loader alone: the fast reader never dumps (~18 KB less to load)
const jsYaml = dirname(requireHere.resolve('js-yaml'));
const separate = {
  name: 'separate-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const validator = /(schema|config)-validator\.js$/.exec(args.path);
      if (validator) return { path: `${validator[1]}-validator`, namespace: 'validator' };
      // running from source, the schema is compiled; built, it never is: leave ajv out
      if (/schema-compile\.js$/.test(args.path))
        return { path: 'schema-compile', namespace: 'no-compile' };
      if (target === `${src}core/manifest/core-tags.ts`)
        return { path: 'core-tags', namespace: 'core-tags' };
      const name = bundleOf.get(target);
      return name ? { path: name, namespace: 'bundle' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'bundle' }, (args) => {
      if (!LAZY.has(args.path))
        return { contents: `module.exports = require('./${args.path}.cjs');`, loader: 'js' };
      // one getter per export: esbuild's interop copies them as getters, so the bundle is
      // required when an export is first used
      const source = readFileSync(`${src}${bundles[args.path]}`, 'utf8');
      const names = [
        ...source.matchAll(/^export (?:async )?(?:function\*?|const|let|class) (\w+)/gm),
      ].map((m) => m[1]);
      const getters = names.map((n) => `get ${n}() { return load().${n}; }`).join(', ');
      return {
        contents: `let m; const load = () => (m ??= require('./${args.path}.cjs')); module.exports = { ${getters} };`,
        loader: 'js',
      };
    });
    b.onLoad({ filter: /.*/, namespace: 'core-tags' }, () => ({
      contents: `module.exports = { CORE_TAGS: [${SCALAR_TAGS.map(
        ([file, name]) => `require(${JSON.stringify(join(yamlSchemas, file))}).${name}`,
      ).join(', ')}] };`,
      loader: 'js',
      resolveDir: yamlSchemas,
    }));
    b.onResolve({ filter: /^js-yaml$/ }, (args) =>
      args.importer === `${src}core/manifest/fast-reader.ts`
        ? { path: 'js-yaml', namespace: 'js-yaml-loader' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'js-yaml-loader' }, () => ({
      contents: `module.exports = { load: require(${JSON.stringify(join(jsYaml, 'lib/loader.js'))}).load, Type: require(${JSON.stringify(join(jsYaml, 'lib/type.js'))}), FAILSAFE_SCHEMA: require(${JSON.stringify(join(jsYaml, 'lib/schema/failsafe.js'))}) };`,
      loader: 'js',
      resolveDir: jsYaml,
    }));
    // its only export is the default one, which CommonJS interop would wrap once more
    b.onLoad({ filter: /.*/, namespace: 'validator' }, (args) => ({
      contents: `export default require('./${args.path}.cjs').default;`,
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
      args.kind === 'dynamic-import'
        ? { path: args.path, namespace: 'builtin' }
        : args.kind === 'import-statement' && LAZY_BUILTINS.has(args.path)
          ? { path: args.path, namespace: 'lazy-builtin' }
          : undefined,
    );
    // getters, which esbuild's interop copies as getters: the module loads on first use
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const getters = Object.keys(createRequire(import.meta.url)(args.path))
        .map((n) => `get ${n}() { return load().${n}; }`)
        .join(', ');
      return {
        contents: `let m; const load = () => (m ??= require('${args.path}')); module.exports = { ${getters} };`,
        loader: 'js',
      };
    });
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
    { in: `${dist}/config-validator.raw.js`, out: 'config-validator' },
  ],
  outdir: cli,
  outExtension: { '.js': '.cjs' },
  plugins: [separate],
  define: {
    // the bundles sit in dist/cli/, so paths made from import.meta.url (schemas/, templates/)
    // resolve as they did from src/<folder>/
    'import.meta.url': '__mlopsUrl',
    // replaced below by the hash of the validation bundles, once they are written
    __MLOPS_VALIDATION_HASH__: JSON.stringify(VALIDATION_HASH),
    __MLOPS_BUNDLE_HASH__: JSON.stringify(BUNDLE_HASH),
  },
  banner: { js: "var __mlopsUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// The result cache is keyed by the code that validates, as built: a change to any rule, to the
// schema or to a parser changes this hash and leaves every cached result unused.
for (const name of VALIDATION_BUNDLES) {
  if (readFileSync(`${cli}/${name}.cjs`, 'latin1').includes(VALIDATION_HASH))
    throw new Error(`${name}.cjs must not read the cache key: it is part of what the key hashes`);
}
const validationKey = validationHash(cli);
for (const file of readdirSync(cli)) {
  if (!file.endsWith('.cjs')) continue;
  const code = readFileSync(`${cli}/${file}`, 'latin1');
  if (code.includes(VALIDATION_HASH))
    writeFileSync(`${cli}/${file}`, code.replaceAll(VALIDATION_HASH, validationKey), 'latin1');
}

// The launcher keys its code caches by every bundle as built (itself included, as it is before
// the key is written in): V8 checks only a source's length, so a cache of other bundles of the
// same length must never be offered.
{
  const files = readdirSync(cli)
    .filter((f) => f.endsWith('.cjs'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const code = readFileSync(`${cli}/${file}`);
    if (file !== 'launch.cjs' && code.includes(BUNDLE_HASH))
      throw new Error(`${file} must not read the code-cache key: only the launcher may`);
    hash.update(`${file}\0`).update(code).update('\0');
  }
  const launcher = readFileSync(`${cli}/launch.cjs`, 'latin1');
  if (!launcher.includes(BUNDLE_HASH)) throw new Error('launch.cjs lost its code-cache key');
  writeFileSync(
    `${cli}/launch.cjs`,
    launcher.replaceAll(BUNDLE_HASH, hash.digest('hex').slice(0, 16)),
    'latin1',
  );
}

// 3. The programmatic API (`import('mlops')`): one ES module with everything it uses, apart from
// the CLI's bundles, and declarations for it made by tsc from src/api.ts.
const apiPlugin = {
  name: 'api',
  setup(b) {
    b.onResolve({ filter: /(schema|config)-validator\.js$/ }, (args) => {
      const which = /(schema|config)-validator\.js$/.exec(args.path)[1];
      return { path: `${dist}/${which}-validator.raw.js` };
    });
    b.onResolve({ filter: /schema-compile\.js$/ }, () => ({
      path: 'schema-compile',
      namespace: 'no-compile',
    }));
    b.onLoad({ filter: /.*/, namespace: 'no-compile' }, () => ({
      contents:
        "export function compileValidator() { throw new Error('the schema validator is missing from dist/api.js: run npm run build'); }",
      loader: 'js',
    }));
  },
};
await build({
  ...common,
  format: 'esm',
  entryPoints: [`${src}api.ts`],
  outfile: `${dist}/api.js`,
  plugins: [apiPlugin],
  define: {
    // paths made from import.meta.url (schemas/, templates/, package.json) resolve as they did
    // from src/<folder>/
    'import.meta.url': '__mlopsUrl',
    __MLOPS_VALIDATION_HASH__: JSON.stringify(validationKey),
  },
  banner: {
    js: [
      "import { createRequire as __mlopsRequire } from 'node:module';",
      // bundled CommonJS code requires Node.js built-ins
      'const require = __mlopsRequire(import.meta.url);',
      "const __mlopsUrl = new URL('./cli/api.js', import.meta.url).href;",
    ].join('\n'),
  },
});
rmSync(`${dist}/schema-validator.raw.js`);
rmSync(`${dist}/config-validator.raw.js`);
await declarations;

rmSync(final, { recursive: true, force: true });
renameSync(dist, final);

// 4. Check that the built commands work, running them once in this process through the
// launcher: the build fails if they do not.
const launch = createRequire(import.meta.url)(`${final}/cli/launch.cjs`);
const { run } = launch.load('run.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'mlops-build-'));
// applies to the manifest that init writes below, so that reading a config file is checked too
writeFileSync(
  join(scratch, 'mlops.config.yaml'),
  'apiVersion: mlops/v1\nkind: Config\nstrict: false\n',
);
const io = (cwd) => ({
  stdout: () => {},
  stderr: () => {},
  cwd,
  env: { NO_COLOR: '1', XDG_CACHE_HOME: scratch },
  stdoutIsTTY: false,
  stderrIsTTY: false,
  stdinIsTTY: false,
});
writeFileSync(join(scratch, 'anchored.yaml'), 'apiVersion: &v mlops/v1\nkind: *v\n');
try {
  const examples = readdirSync(`${root}examples`, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${root}examples/${d.name}/mlops.yaml`);
  // [argv, where, the exit code it must give]
  for (const [argv, cwd, code] of [
    [['--help'], scratch, 0],
    [['validate', '--help'], scratch, 0],
    [['validate', '--no-cache', ...examples], scratch, 0],
    [['validate', ...examples], scratch, 0], // fills the result cache
    [['validate', ...examples], scratch, 0], // answered from it
    [['validate', '--no-cache', '--format', 'json', join(scratch, 'missing.yaml')], scratch, 2],
    [['init', '--yes', '--name', 'primer', join(scratch, 'model')], scratch, 0],
    [['validate', '--no-cache', join(scratch, 'model')], scratch, 0],
    // outside the fast reader's subset (an anchor): yaml reads it
    [['validate', '--no-cache', join(scratch, 'anchored.yaml')], scratch, 1],
    [['check', '--format', 'json', ...examples], root, undefined], // its answer depends on the date
    [['diff', ...examples.slice(0, 2)], root, undefined],
    [['schema'], scratch, 0],
    [['explain', 'G1'], scratch, 0],
  ]) {
    const got = await run(argv, io(cwd));
    if (code !== undefined && got !== code)
      throw new Error(`build check: mlops ${argv.join(' ')} exited ${got}, not ${code}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
