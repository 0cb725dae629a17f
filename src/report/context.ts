import type { ChalkInstance } from 'chalk';

/** What every reporter gets. Reporters return strings and never read env, TTY or files. */
export interface ReportContext {
  color: ChalkInstance;
  toolVersion: string;
  /** Show hints and extra detail. */
  verbose: boolean;
}

export type Reporter<R> = (result: R, ctx: ReportContext) => string;

/** Escapes a value for a GitHub workflow command (`::error file=...::message`). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
