import { InternalError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export async function runApprove(_manifest: string, _opts: Record<string, unknown>, _ctx: CommandContext): Promise<number> {
  throw new InternalError('mlops approve is not built yet');
}
