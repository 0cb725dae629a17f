import type { CommandContext } from '../context.js';

/** The options of `mlops migrate` (src/cli/run.ts). */
export interface MigrateOptions {
  check?: boolean;
}

/** `mlops migrate [paths...]`: not written yet. */
export async function runMigrate(
  _paths: string[],
  _opts: MigrateOptions,
  _ctx: CommandContext,
): Promise<number> {
  return 2;
}
