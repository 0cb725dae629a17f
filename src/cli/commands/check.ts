import { InternalError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export async function runCheck(_paths: string[], _opts: Record<string, unknown>, _ctx: CommandContext): Promise<number> {
  throw new InternalError('mlops check is not built yet');
}
