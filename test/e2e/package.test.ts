// The package as users get it: packed with `npm pack` (from a copy of the project, so that the
// pack's temporary change to package.json never touches this checkout), installed from the
// tarball into a new project, and used there: the CLI, the programmatic API and its types, and
// the schemas.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/gitdir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** The environment of npm and of the installed CLI: none of this run's npm settings. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^npm_/i.test(k)) out[k] = v;
  return { ...out, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

function sh(
  cmd: string,
  args: string[],
  cwd: string,
  extra: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: env(extra),
    input: '',
    timeout: 240_000,
    maxBuffer: 1 << 26,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file and folder under `dir`, with a hash of each file's bytes and its mode. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const st = lstatSync(path);
    out[relative(dir, path)] = entry.isFile()
      ? `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${st.mode.toString(8)}`
      : `${entry.isDirectory() ? 'dir' : 'other'} ${st.mode.toString(8)}`;
  }
  return out;
}

let scratch: string;
let source: string; // the copy of the project that is packed
let tarball: string;
let packOutput: string;
let packageJsonBefore: Buffer;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mlops-package-'));
  source = join(scratch, 'source');
  mkdirSync(source);
  for (const part of [
    'package.json',
    'tsconfig.json',
    'tsconfig.api.json',
    'README.md',
    'LICENSE',
    'bin',
    'src',
    'schemas',
    'templates',
    'examples',
  ])
    cpSync(join(ROOT, part), join(source, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'));
  packageJsonBefore = readFileSync(join(source, 'package.json'));
  const out = join(scratch, 'out');
  mkdirSync(out);
  const r = sh('npm', ['pack', '--pack-destination', out, '--cache', join(scratch, 'npm')], source);
  packOutput = r.stdout + r.stderr;
  expect(r.code, packOutput).toBe(0);
  const tgz = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(out, tgz[0]!);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const packed = (path: string): string =>
  execFileSync('tar', ['xOzf', tarball, `package/${path}`], { encoding: 'utf8' });

describe('npm pack', () => {
  it('leaves package.json as it was', () => {
    expect(readFileSync(join(source, 'package.json')).equals(packageJsonBefore)).toBe(true);
    expect(existsSync(join(source, 'package.json.packing'))).toBe(false);
  });

  it('packs a package.json without scripts or dependencies to install', () => {
    const manifest = JSON.parse(packed('package.json')) as Record<string, unknown>;
    for (const key of ['scripts', 'dependencies', 'devDependencies', 'allowScripts'])
      expect(manifest, key).not.toHaveProperty(key);
    expect(manifest).toMatchObject({
      name: 'mlops',
      license: 'MIT',
      bin: { mlops: './bin/mlops.js' },
      exports: {
        '.': { types: './dist/api.d.ts', default: './dist/api.js' },
        './schemas/*': './schemas/*',
        './package.json': './package.json',
      },
    });
  });

  it('packs the license, the built CLI and API, and no code cache or source', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/LICENSE',
        'package/README.md',
        'package/bin/mlops.js',
        'package/dist/cli/launch.cjs',
        'package/dist/cli/run.cjs',
        'package/dist/api.js',
        'package/dist/api.d.ts',
        'package/schemas/mlops.v1.schema.json',
      ]),
    );
    expect(
      files.filter((f) => /\.cache$|\.tmp$|^package\/(src|test|node_modules)\//.test(f)),
    ).toEqual([]);
    expect(packed('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the mlops authors\n/);
  });
});

describe('the packed manifest (prepack and postpack)', () => {
  /** A project with package.json and the script, as the script finds them. */
  function project(manifest: object): { dir: string; step: (a: string) => number } {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-manifest-'));
    mkdirSync(join(dir, 'src/build'), { recursive: true });
    cpSync(join(ROOT, 'src/build/pack-manifest.mjs'), join(dir, 'src/build/pack-manifest.mjs'));
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 4)}\n`);
    const step = (action: string) =>
      sh(process.execPath, [join(dir, 'src/build/pack-manifest.mjs'), action], dir).code;
    return { dir, step };
  }
  const manifest = {
    name: 'mlops',
    version: '1.0.0',
    bin: { mlops: './bin/mlops.js' },
    scripts: { prepare: 'npm run build', test: 'vitest' },
    devDependencies: { esbuild: '1' },
    allowScripts: { esbuild: true },
  };

  it('a pack that died before postpack is undone by the next one', () => {
    const { dir, step } = project(manifest);
    const original = readFileSync(join(dir, 'package.json'));
    expect(step('strip')).toBe(0);
    const stripped = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(JSON.parse(stripped)).toEqual({
      name: 'mlops',
      version: '1.0.0',
      bin: { mlops: './bin/mlops.js' },
    });
    // postpack never ran: the next pack strips the original again, and puts it back after
    expect(step('strip')).toBe(0);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(stripped);
    expect(step('restore')).toBe(0);
    expect(readFileSync(join(dir, 'package.json')).equals(original)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'src']);
    rmSync(dir, { recursive: true });
  });

  it('refuses to pack a package with dependencies, and leaves package.json alone', () => {
    const { dir, step } = project({ ...manifest, dependencies: { yaml: '2' } });
    const original = readFileSync(join(dir, 'package.json'));
    expect(step('strip')).not.toBe(0);
    expect(readFileSync(join(dir, 'package.json')).equals(original)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'src']);
    rmSync(dir, { recursive: true });
  });
});

describe('installed from the tarball', () => {
  let project: string;
  let install: string;
  let xdg: string;

  beforeAll(() => {
    project = join(scratch, 'project');
    xdg = join(scratch, 'xdg');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    const r = sh(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(scratch, 'npm'), tarball],
      project,
    );
    install = r.stdout + r.stderr;
    expect(r.code, install).toBe(0);
  }, 300_000);

  const mlops = (args: string[]) =>
    sh('npx', ['--offline', 'mlops', ...args], project, { XDG_CACHE_HOME: xdg });

  it('installs one package, with no warning about install scripts', () => {
    expect(install).not.toMatch(/install.?scripts|allowScripts|prepare/i);
    expect(install).not.toMatch(/npm warn/i);
    const installed = readdirSync(join(project, 'node_modules')).filter((f) => !f.startsWith('.'));
    expect(installed).toEqual(['mlops']);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(lock.packages)).toEqual(['', 'node_modules/mlops']);
  });

  it('runs init, validate and check, and never writes inside the installed package', () => {
    const pkg = join(project, 'node_modules', 'mlops');
    const before = snapshot(pkg);
    git(project, ['init', '-q', '-b', 'main']);
    const init = mlops(['init', 'models/churn', '--yes', '--name', 'churn', '--owner', 'Ana']);
    expect(init.code, init.stderr).toBe(0);
    git(project, ['add', 'models']);
    git(project, ['commit', '-q', '-m', 'churn']);
    for (let i = 0; i < 2; i++) {
      const validate = mlops(['validate']);
      expect(validate, validate.stderr).toMatchObject({ code: 0, stderr: '' });
      // valid: the scaffold's placeholders are warnings until the team fills them in
      expect(validate.stdout).toMatch(/^⚠ \d+ warnings in 1 of 1 manifest$/m);
      const check = mlops(['check', '--format', 'json']);
      expect(check.stderr).toBe('');
      expect([0, 1]).toContain(check.code);
      expect(check.stdout).toContain('"churn"');
    }
    expect(snapshot(pkg)).toEqual(before);
    // the compiled code went to the user's cache folder instead
    expect(readdirSync(join(xdg, 'mlops', 'code-cache'))).toHaveLength(1);
  }, 180_000);

  it('resolves the schemas and package.json through exports', () => {
    const r = sh(
      process.execPath,
      [
        '-e',
        "console.log(require.resolve('mlops/schemas/mlops.v1.schema.json')); console.log(require.resolve('mlops/schemas/mlops.config.v1.schema.json')); console.log(require('mlops/package.json').name)",
      ],
      project,
    );
    expect(r.stderr).toBe('');
    const pkg = join(project, 'node_modules', 'mlops');
    expect(r.stdout).toBe(
      `${join(pkg, 'schemas/mlops.v1.schema.json')}\n${join(pkg, 'schemas/mlops.config.v1.schema.json')}\nmlops\n`,
    );
  });

  it('import("mlops") gives the API: validate, check and diff', () => {
    const r = sh(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const api = await import('mlops'); console.log(['validate', 'check', 'diff'].map((n) => n + ':' + typeof api[n]).join(' '));",
      ],
      project,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('validate:function check:function diff:function\n');
  });

  it('its types resolve for a TypeScript consumer', () => {
    const types = readFileSync(join(project, 'node_modules/mlops/dist/api.d.ts'), 'utf8');
    for (const name of ['validate', 'check', 'diff'])
      expect(types).toMatch(new RegExp(`\\b${name}\\b`));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { check, diff, validate } from 'mlops';",
        'const api: ReadonlyArray<(...args: never[]) => Promise<unknown>> = [validate, check, diff];',
        'export default api;',
        // and they are checked: a name the API does not export is an error (unused, this
        // directive would be one itself)
        '// @ts-expect-error: not exported',
        "export { validateEverything } from 'mlops';",
        '',
      ].join('\n'),
    );
    const r = sh(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);
});
