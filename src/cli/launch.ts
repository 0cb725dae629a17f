// The built CLI's entry (dist/cli/launch.cjs, run by bin/mlops.js). The CLI is a few CommonJS
// bundles side by side in dist/cli/, loaded here with V8's code cache: Node 20 has no compile
// cache of its own, and compiling the bundles is most of a short run (measured: a one-manifest
// validate takes ~55 ms less with the cache). A cache is made at build time and again whenever
// it is missing or V8 rejects it (another Node.js version); it lives beside its bundle as
// `<bundle>.cache`, is only ever an optimisation, and is safe to delete.
import {
  accessSync,
  constants,
  fstatSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { Script } from 'node:vm';
import type { CliIO } from './context.js';

interface Loaded {
  exports: unknown;
  script: Script;
  cachePath: string;
  /** True when there was no usable cache: one is written when the process exits. */
  stale: boolean;
}

const loaded = new Map<string, Loaded>();
// bundled as CommonJS (dist/cli/launch.cjs), where __dirname is the folder of the bundles
const DIR = __dirname;

/**
 * The bundles' `require`: a sibling bundle (`./name.cjs`) through the code cache, anything else
 * (only Node.js built-ins: dependencies are bundled) as this file would require it. Not
 * node:module's createRequire, which would load the ES module loader (~3 ms).
 */
const bundleRequire = Object.assign(
  (id: string): unknown =>
    id.startsWith('./') && id.endsWith('.cjs') ? load(basename(id)) : require(id),
  {
    resolve: require.resolve,
    cache: require.cache,
    main: require.main,
    extensions: require.extensions,
  },
) as NodeJS.Require;

/** node:module's wrap(): the function around a CommonJS file. */
const wrap = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** Loads dist/cli/<name> once, as Node would load a CommonJS file, using its code cache. */
export function load(name: string): unknown {
  const seen = loaded.get(name);
  if (seen) return seen.exports;
  const file = join(DIR, name);
  const cachePath = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
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
    exports: undefined,
    script,
    cachePath,
    stale: !cachedData || script.cachedDataRejected === true,
  };
  loaded.set(name, entry);
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, bundleRequire, module, file, DIR);
  module.loaded = true;
  entry.exports = module.exports;
  return module.exports;
}

/**
 * Writes the code cache of every bundle loaded so far that had none (or `all`), after the
 * functions it ran were compiled, so that they are in it. Atomic; failures (a read-only
 * install) are ignored, since the cache only saves time.
 */
export function saveCodeCache(options: { all?: boolean } = {}): void {
  const stale = [...loaded.values()].filter((entry) => entry.stale || options.all);
  if (stale.length === 0) return;
  try {
    accessSync(DIR, constants.W_OK); // a read-only install: do not make caches only to drop them
  } catch {
    return;
  }
  for (const entry of stale) {
    const tmp = `${entry.cachePath}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, entry.script.createCachedData());
      renameSync(tmp, entry.cachePath);
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
