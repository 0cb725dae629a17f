import { run } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with captured output and no color; without a terminal unless
 * `options.tty` (then stdin and stdout both count as terminals, as for interactive prompts).
 */
export async function runCli(
  argv: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
  options: { tty?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    env: { NO_COLOR: '1', ...env },
    stdoutIsTTY: options.tty === true,
    stdinIsTTY: options.tty === true,
  });
  return { code, stdout, stderr };
}
