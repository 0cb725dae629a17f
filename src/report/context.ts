import type { ChalkInstance } from 'chalk';
import type { ConfigInForce, SettingSource } from '../core/config.js';
import { escapeControl } from './escape.js';

/** What every reporter gets. Reporters return strings and never read env, TTY or files. */
export interface ReportContext {
  color: ChalkInstance;
  toolVersion: string;
  /** Show hints and extra detail. */
  verbose: boolean;
  /** The config files of the run and what they changed; absent when none applied. */
  config?: ConfigInForce;
  /**
   * The absolute path of the folder the command runs in. Paths in results are relative to it
   * (diff's: to `DiffResult.root`); text and markdown show them so. Default: paths are shown
   * as results carry them.
   */
  cwd?: string;
  /**
   * The absolute path of the repository root (the folder holding `.git`), or the current folder
   * when there is no repository. Machine formats (json, github, sarif, junit, codequality) give
   * every path relative to it, whatever the current folder. Default: `cwd`.
   */
  root?: string;
  /** How commands in hints start: `mlops` (default) or `npx mlops`, as the user runs it. */
  invokedAs?: string;
  /** Wrap text output at this many columns; undefined (default): no wrapping. */
  width?: number;
}

/**
 * The config file behind settings, for a summary line: `strict from examples/mlops.config.yaml`,
 * `failOn.diff: warn from mlops.config.yaml`.
 */
export function describeSettings(settings: readonly SettingSource[]): string {
  const byValue = new Map<string, string[]>();
  for (const s of settings) {
    const what = s.value === true ? s.key : `${s.key}: ${String(s.value)}`;
    byValue.set(what, [...(byValue.get(what) ?? []), s.source]);
  }
  return [...byValue]
    .map(([what, sources]) => `${what} from ${[...new Set(sources)].join(', ')}`)
    .join('; ');
}

/** `2 ignored by mlops.config.yaml`: what `ignore` settings left out of a run. */
export function describeIgnored(ignored: ConfigInForce['ignored']): string | undefined {
  if (ignored.length === 0) return undefined;
  const sources = [...new Set(ignored.map((i) => i.source))];
  return `${ignored.length} ignored by ${sources.join(', ')}`;
}

/** The `config` field of JSON outputs: present only when a config file applied. */
export function configJson(
  config: ConfigInForce | undefined,
): { config: Omit<ConfigInForce, 'decisive'> } | Record<string, never> {
  if (!config || config.files.length === 0) return {};
  const { files, settings, ignored } = config;
  return { config: { files, settings, ignored } };
}

export type Reporter<R> = (result: R, ctx: ReportContext) => string;

/**
 * Escapes a value for a GitHub workflow command (`::error file=...::message`); other control
 * characters are shown as `\x1b`, since the log shows what the command leaves in it.
 */
export function escapeGithubData(text: string): string {
  return escapeControl(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
