import { InternalError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export async function runInit(_dir: string, _opts: Record<string, unknown>, _ctx: CommandContext): Promise<number> {
  throw new InternalError('mlops init is not built yet');
}
