import { InternalError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export async function runDiff(_revisions: string[], _paths: string[], _opts: Record<string, unknown>, _ctx: CommandContext): Promise<number> {
  throw new InternalError('mlops diff is not built yet');
}
