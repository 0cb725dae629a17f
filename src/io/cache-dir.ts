import { realpathSync } from 'node:fs';
import { basename, dirname, join, posix, win32 } from 'node:path';

/**
 * mlops' folder in the user's cache: of validate's result cache and of the launcher's code
 * caches, always outside any repository. An absolute `$XDG_CACHE_HOME` (on any platform) gives
 * `$XDG_CACHE_HOME/mlops`; else `~/Library/Caches/mlops` on macOS, `%LOCALAPPDATA%\mlops\Cache`
 * on Windows and `~/.cache/mlops` elsewhere. Undefined (no cache) when the variable it needs is
 * not an absolute path: a run without a home never writes where nobody asked it to.
 */
export function userCacheDir(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const path = platform === 'win32' ? win32 : posix;
  const absolute = (v: string | undefined): v is string => !!v && path.isAbsolute(v);
  if (absolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'mlops');
  if (platform === 'win32') {
    return absolute(env.LOCALAPPDATA) ? path.join(env.LOCALAPPDATA, 'mlops', 'Cache') : undefined;
  }
  if (!absolute(env.HOME)) return undefined;
  return platform === 'darwin'
    ? path.join(env.HOME, 'Library', 'Caches', 'mlops')
    : path.join(env.HOME, '.cache', 'mlops');
}

/** `dir` with its symbolic links resolved (its nearest existing folder's, when it is missing). */
export function realFolder(dir: string): string | undefined {
  let rest = '';
  for (let at = dir; ;) {
    try {
      return join(realpathSync.native(at), rest);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    const up = dirname(at);
    if (up === at) return undefined;
    rest = join(basename(at), rest);
    at = up;
  }
}
