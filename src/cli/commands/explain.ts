import { didYouMean } from '../../core/suggest.js';
import { UsageError } from '../../errors.js';
import {
  explainEntry,
  explainJson,
  explainListJson,
  explainListText,
  explainNames,
  explainText,
} from '../../report/explain.js';
import type { CommandContext } from '../context.js';

/** The names `mlops explain` takes, for shell completion. */
export { explainNames };

export interface ExplainOptions {
  list?: boolean;
  format?: 'text' | 'json';
}

/** `mlops explain <rule or code>`, or `--list`: prints what a rule checks or a code means. */
export function runExplain(
  name: string | undefined,
  options: ExplainOptions,
  ctx: CommandContext,
): number {
  const json = options.format === 'json';
  const run = ctx.invokedAs;
  const listHint = `run \`${run} explain --list\` for every rule and code`;
  if (options.list) {
    if (name !== undefined)
      throw new UsageError(`give a rule or code, or --list, not both ("${name}" and --list)`, {
        hint: `leave out --list to explain one, or run \`${run} explain --list\` alone`,
      });
    ctx.io.stdout(json ? explainListJson() : explainListText(ctx.color, run));
    return 0;
  }
  if (name === undefined)
    throw new UsageError(
      'name a readiness rule (such as G3) or a finding code (such as SCHEMA_ENUM)',
      {
        hint: listHint,
      },
    );
  const entry = explainEntry(name);
  if (!entry)
    throw new UsageError(
      `no rule or finding code is named "${name}"${didYouMean(name.trim().replace(/-/g, '_'), explainNames())}`,
      { hint: listHint },
    );
  ctx.io.stdout(json ? explainJson(entry) : explainText(entry, ctx.width ?? 80, ctx.color, run));
  return 0;
}
