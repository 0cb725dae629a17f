import { readConfigSchemaText, readSchemaText } from '../../io/assets.js';
import type { CommandContext } from '../context.js';

export function runSchema(ctx: CommandContext, options: { config?: boolean } = {}): number {
  ctx.io.stdout(options.config ? readConfigSchemaText() : readSchemaText());
  return 0;
}
