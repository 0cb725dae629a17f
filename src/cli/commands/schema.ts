import { readSchemaText } from '../../io/assets.js';
import type { CommandContext } from '../context.js';

export function runSchema(ctx: CommandContext): number {
  ctx.io.stdout(readSchemaText());
  return 0;
}
