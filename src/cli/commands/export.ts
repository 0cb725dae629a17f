import type { CommandContext } from '../context.js';

/** The options of `mlops export` (src/cli/run.ts). */
export interface ExportOptions {
  output?: string;
  force?: boolean;
}

/** `mlops export <document> <manifest>`: not written yet. */
export async function runExport(
  _document: string,
  _manifest: string,
  _opts: ExportOptions,
  _ctx: CommandContext,
): Promise<number> {
  return 2;
}
