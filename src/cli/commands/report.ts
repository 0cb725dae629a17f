import type { CommandContext } from '../context.js';

/** The options of `mlops report` (src/cli/run.ts). */
export interface ReportOptions {
  format?: 'html' | 'json';
  output?: string;
  today?: string;
  history?: string;
  force?: boolean;
}

/** `mlops report`: writes the static site (or its data); see README "mlops report". */
export async function runReport(
  _paths: string[],
  _options: ReportOptions,
  _ctx: CommandContext,
): Promise<number> {
  throw new Error('mlops report: not built yet');
}
