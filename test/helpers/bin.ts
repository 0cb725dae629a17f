import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));

/** Spawns the built CLI (`npm test` builds first) with NO_COLOR and no standard input. */
export function runBin(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...base, NO_COLOR: '1', ...env },
    input: '',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
