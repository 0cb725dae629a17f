import type { ChalkInstance } from 'chalk';

/** The process around a command, injected so tests can run the CLI in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  /** Errors are colored when stderr is a terminal. */
  stderrIsTTY?: boolean;
  stdinIsTTY: boolean;
  /** Width of the terminal on stdout, for help text (default 80). */
  stdoutColumns?: number | undefined;
  /** The script the process runs (`process.argv[1]`): how mlops was started, for its hints. */
  scriptPath?: string | undefined;
}

export interface CommandContext {
  io: CliIO;
  /** For human formats only; machine formats are never colored. */
  color: ChalkInstance;
  verbose: boolean;
  toolVersion: string;
  /** How the user runs mlops, as hints spell it: `mlops` or `npx mlops` (see invocation.ts). */
  invokedAs: string;
  /**
   * The width to wrap text output at: the terminal's (or `COLUMNS`) when stdout is a terminal;
   * undefined (no wrapping) for pipes and files.
   */
  width: number | undefined;
}
