import { realpathSync, statSync } from 'node:fs';
import { delimiter, join, resolve, sep } from 'node:path';
import type { CliIO } from './context.js';

/**
 * How the user runs mlops, as hints spell a command:
 *
 * - `npx mlops` when npx (or `npm exec`) started it, whatever it ran;
 * - `mlops` when the script that runs is the `mlops` found on the PATH (a global install, or
 *   `npm link`), leaving out the `node_modules/.bin` folders that npm puts on the PATH of the
 *   scripts it runs: typed in a shell, a project's own install is not found there;
 * - `npx mlops` otherwise: an install inside a project (its `node_modules/.bin`, an npm script),
 *   or the package's own `bin/mlops.js` run with node, where `npx mlops` finds the package too;
 * - `mlops` when nothing says how (the CLI run in-process, without a script).
 */
export function invocation(io: Pick<CliIO, 'env' | 'scriptPath'>): string {
  const env = io.env;
  if (env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx') return 'npx mlops';
  if (io.scriptPath === undefined || io.scriptPath === '') return 'mlops';
  const script = realOrNothing(resolve(io.scriptPath));
  if (script !== undefined && onPath(script, env)) return 'mlops';
  return 'npx mlops';
}

const realOrNothing = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Whether typing `mlops` in a shell with this PATH runs `script` (a real path). */
function onPath(script: string, env: CliIO['env']): boolean {
  const windows = process.platform === 'win32';
  const path = (windows ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const names = windows ? ['mlops.cmd', 'mlops.ps1', 'mlops.exe', 'mlops'] : ['mlops'];
  for (const dir of path.split(delimiter)) {
    if (dir === '' || /[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (!isFile(candidate)) continue;
      // the first `mlops` on the PATH is the one a shell runs
      if (realOrNothing(candidate) === script) return true;
      // npm's shims on Windows are scripts beside the global node_modules, not links
      const global = realOrNothing(join(dir, 'node_modules', 'mlops'));
      return windows && global !== undefined && script.startsWith(global + sep);
    }
  }
  return false;
}
