// The built CLI's entry (dist/cli/launch.cjs, run by bin/mlops.js). The CLI is a few CommonJS
// bundles side by side in dist/cli/. Compiling them is much of a short run (measured: a
// one-manifest validate uses ~60 ms less CPU with the cache), so their compiled code is
// cached, always in the user's cache folder and never inside the installed package, which may
// be shared or read-only:
// - where Node.js has a compile cache of its own (`module.enableCompileCache`, Node.js 22 and
//   later), the bundles are required as usual with it on, in `<cache>/compile-cache/`;
// - on Node.js 20, which has none, they are run through vm.Script with V8's code cache, one file
//   per bundle in `<cache>/code-cache/<node version>-<arch>-<hash of the bundles>/`.
// `<cache>` is mlops' folder in the user's cache, that of validate's result cache
// (`$XDG_CACHE_HOME/mlops`, else `~/.cache/mlops` on Linux). A cache is made by the first run
// that lacks it, or whose cache V8 rejects; it is only ever an optimisation, and failures are
// silent.
//
// A code cache is code: V8 checks only the length of the source it was made from, so a cache
// written by someone else could run anything. A cache folder is therefore used only when it is
// the user's own and writable by nobody else, and not inside a git work tree (a clone could have
// committed one there); otherwise the CLI compiles its code, which is only slower.
import {
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Script } from 'node:vm';
import { realFolder, userCacheDir } from '../io/cache-dir.js';
import type { CliIO } from './context.js';

interface Loaded {
  name: string;
  exports: unknown;
  /** Compiled here with V8's code cache (Node.js 20); absent when required by Node.js. */
  script?: Script;
  /** True when there was no usable cache: one is written when the process exits. */
  stale: boolean;
}

const loaded = new Map<string, Loaded>();

/**
 * Set by the build (src/build/bundle.mjs) to a hash of every bundle in dist/cli/, the launcher
 * included: a cache made from other bundles of the same length is never offered to V8.
 */
declare const __MLOPS_BUNDLE_HASH__: string | undefined;
const BUNDLE_HASH = typeof __MLOPS_BUNDLE_HASH__ === 'string' ? __MLOPS_BUNDLE_HASH__ : 'source';

/** The folder of code caches for these bundles on this Node.js, under `<cache>/code-cache/`. */
const CODE_CACHE_LEAF = `${process.version}-${process.arch}-${BUNDLE_HASH}`;
const LEAF_NAME = /^v\d+\.\d+\.\d+-\w+-[0-9a-f]{16}$/;
/** Code-cache folders kept side by side (installs of other versions, other Node.js versions). */
const KEEP_LEAVES = 8;

// bundled as CommonJS (dist/cli/launch.cjs), where __dirname is the folder of the bundles
const bundleDir = (): string => __dirname;

/** mlops' folder in the user's cache, that of validate's result cache (src/io/cache-dir.ts). */
export { userCacheDir };

/** A real folder (not a link) of this user's, that neither the group nor others can write. */
function ownFolder(path: string): boolean {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) return false;
  const uid = process.getuid?.();
  return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
}

/**
 * True when `dir` is in a git work tree: a `.git` at or above it, or the work tree that
 * `GIT_DIR` (with `GIT_WORK_TREE`, else the current folder) names.
 */
function inWorkTree(dir: string, env: Record<string, string | undefined>): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) break;
  }
  if (!env.GIT_DIR) return false;
  const tree = resolve(env.GIT_WORK_TREE || process.cwd());
  const rel = relative(realFolder(tree) ?? tree, dir);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * `<cache>/<parts...>` when every folder from `<cache>` down is the user's own (see ownFolder)
 * and outside any git work tree; else undefined. With `create`, missing folders are made (mode
 * 700), never in a work tree nor under a folder that is not the user's alone; `created` is told
 * of each.
 */
function cacheFolder(
  parts: string[],
  options: { create?: boolean; created?: (dir: string) => void } = {},
): string | undefined {
  const env = process.env;
  const base = userCacheDir(env);
  if (base === undefined) return undefined;
  try {
    const real = realFolder(base);
    if (real === undefined || inWorkTree(real, env)) return undefined;
    if (!existsSync(real)) {
      if (!options.create) return undefined;
      mkdirSync(real, { recursive: true, mode: 0o700 });
      options.created?.(real);
    }
    let at = real;
    if (!ownFolder(at)) return undefined;
    for (const part of parts) {
      at = join(at, part);
      if (!existsSync(at)) {
        if (!options.create) return undefined;
        mkdirSync(at, { mode: 0o700 });
        options.created?.(at);
      }
      if (!ownFolder(at)) return undefined;
    }
    return at;
  } catch {
    return undefined;
  }
}

let readFolder: string | null | undefined;
/** The folder this run reads code caches from, if there is one to trust (looked up once). */
function codeCacheToRead(): string | undefined {
  if (readFolder === undefined) readFolder = cacheFolder(['code-cache', CODE_CACHE_LEAF]) ?? null;
  return readFolder ?? undefined;
}

/** Removes the oldest code-cache folders beyond KEEP_LEAVES (this one is kept). */
function pruneLeaves(codeCache: string): void {
  try {
    const others = readdirSync(codeCache)
      .filter((n) => LEAF_NAME.test(n) && n !== CODE_CACHE_LEAF)
      .map((n) => ({ n, t: lstatSync(join(codeCache, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { n } of others.slice(KEEP_LEAVES - 1))
      rmSync(join(codeCache, n), { recursive: true, force: true });
  } catch {
    // only tidying
  }
}

let nodeCompileCache: boolean | undefined;
/**
 * True when Node.js has a compile cache of its own (22 and later), which is then turned on, in
 * `<cache>/compile-cache/` when that folder can be trusted; the bundles are then required as
 * usual, and Node.js caches them.
 */
function usesNodeCompileCache(): boolean {
  if (nodeCompileCache !== undefined) return nodeCompileCache;
  const nodeModule = require('node:module') as { enableCompileCache?: (dir?: string) => unknown };
  nodeCompileCache = typeof nodeModule.enableCompileCache === 'function';
  if (nodeCompileCache) {
    const folder = cacheFolder(['compile-cache'], { create: true });
    try {
      if (folder !== undefined) nodeModule.enableCompileCache!(folder);
    } catch {
      // only slower
    }
  }
  return nodeCompileCache;
}

/**
 * The bundles' `require`: a sibling bundle (`./name.cjs`) through the code cache, anything else
 * (only Node.js built-ins: dependencies are bundled) as this file would require it. Not
 * node:module's createRequire, which would load the ES module loader (~3 ms).
 */
let bundleRequire: NodeJS.Require | undefined;
const requireForBundles = (): NodeJS.Require =>
  (bundleRequire ??= Object.assign(
    (id: string): unknown =>
      id.startsWith('./') && id.endsWith('.cjs') ? load(basename(id)) : require(id),
    {
      resolve: require.resolve,
      cache: require.cache,
      main: require.main,
      extensions: require.extensions,
    },
  ) as NodeJS.Require);

/** node:module's wrap(): the function around a CommonJS file. */
const wrap = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** Loads dist/cli/<name> once, as Node would load a CommonJS file, with its compiled code cached. */
export function load(name: string): unknown {
  const seen = loaded.get(name);
  if (seen) return seen.exports;
  const dir = bundleDir();
  const file = join(dir, name);
  if (usesNodeCompileCache()) {
    const entry: Loaded = { name, exports: undefined, stale: false };
    loaded.set(name, entry);
    entry.exports = require(file) as unknown;
    return entry.exports;
  }
  const folder = codeCacheToRead();
  let cachedData: Buffer | undefined;
  try {
    cachedData = folder === undefined ? undefined : readFileSync(join(folder, `${name}.cache`));
  } catch {
    cachedData = undefined;
  }
  // the bundles are ASCII (esbuild escapes the rest), so latin1 decodes them exactly and faster
  const script = new Script(wrap(readFileSync(file, 'latin1')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
  const entry: Loaded = {
    name,
    exports: undefined,
    script,
    stale: !cachedData || script.cachedDataRejected === true,
  };
  loaded.set(name, entry);
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, requireForBundles(), module, file, dir);
  module.loaded = true;
  entry.exports = module.exports;
  return module.exports;
}

/**
 * Writes the code cache of every bundle this run compiled without one, after the functions it
 * ran were compiled, so that they are in it: into the user's cache folder, atomically. Failures
 * (no home, a read-only or untrusted cache folder) are ignored, since the cache only saves time.
 */
export function saveCodeCache(): void {
  const stale = [...loaded.values()].filter((entry) => entry.stale && entry.script);
  if (stale.length === 0) return;
  let made = false;
  const folder = cacheFolder(['code-cache', CODE_CACHE_LEAF], {
    create: true,
    created: (dir) => (made ||= basename(dir) === CODE_CACHE_LEAF),
  });
  if (folder === undefined) return;
  if (made) pruneLeaves(dirname(folder));
  for (const entry of stale) {
    const target = join(folder, `${entry.name}.cache`);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, entry.script!.createCachedData(), { mode: 0o600, flag: 'wx' });
      renameSync(tmp, target);
      entry.stale = false;
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}

/**
 * True when `fd` is a terminal. A pipe or a file is told by fstat alone: node:tty loads the
 * network stack (~9 ms), which is worth it only when a terminal is possible.
 */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Writes to fd 1 or 2 synchronously, without creating process.stdout (a pipe's stream loads
 * the network stack, ~9 ms). A non-blocking descriptor (EAGAIN) falls back to the stream; a
 * reader that has gone (EPIPE, as in `mlops check | head -1`) ends the output quietly.
 */
function fdWriter(fd: 1 | 2): (text: string) => void {
  let mode: 'sync' | 'stream' | 'closed' = 'sync';
  return (text) => {
    if (mode === 'closed') return;
    const stream = (): NodeJS.WriteStream => (fd === 1 ? process.stdout : process.stderr);
    if (mode === 'stream') return void stream().write(text);
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length;) {
      try {
        offset += writeSync(fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          mode = 'stream';
          return void stream().write(bytes.subarray(offset));
        }
        if (code === 'EPIPE') {
          mode = 'closed';
          return;
        }
        throw error;
      }
    }
  };
}

type Run = (argv: string[], io: CliIO) => Promise<number>;

/** Runs the CLI on this process's arguments; the exit code is set, never forced. */
export function main(): void {
  process.once('exit', () => saveCodeCache());
  const { run } = load('run.cjs') as { run: Run };
  const tty = new Map<number, boolean>();
  const terminal = (fd: number): boolean =>
    tty.get(fd) ?? (tty.set(fd, isTerminal(fd)), tty.get(fd)!);
  // the terminal checks are made only if a command asks (NO_COLOR and --format json never do)
  const io: CliIO = {
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    cwd: process.cwd(),
    env: process.env,
    scriptPath: process.argv[1],
    get stdoutIsTTY() {
      return terminal(1);
    },
    get stderrIsTTY() {
      return terminal(2);
    },
    get stdinIsTTY() {
      return terminal(0);
    },
    get stdoutColumns() {
      return terminal(1) ? process.stdout.columns : undefined;
    },
  };
  void run(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
