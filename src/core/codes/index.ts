import type { Severity } from '../findings.js';
import { CHECK_CODES } from './check.js';
import { CONFIG_CODES } from './config.js';
import { DIFF_CODES } from './diff.js';
import { MANIFEST_CODES } from './manifest.js';

/** What the code knows of a finding code besides its words (those are in src/report/messages). */
export interface CodeMeta {
  /** The default severity; a producer may lower or raise it for one finding. */
  severity: Severity;
}

/**
 * Every finding code of mlops, in one catalog: reading a manifest (`MANIFEST_CODES`), judging
 * readiness (`CHECK_CODES`), comparing revisions (`DIFF_CODES`) and reading the config file.
 */
export const CODES = {
  ...MANIFEST_CODES,
  ...CHECK_CODES,
  ...DIFF_CODES,
  ...CONFIG_CODES,
} as const satisfies Record<string, CodeMeta>;

export type Code = keyof typeof CODES;
export type ManifestCode = keyof typeof MANIFEST_CODES;
export type CheckCode = keyof typeof CHECK_CODES;
export type DiffCode = keyof typeof DIFF_CODES;
export type ConfigCode = keyof typeof CONFIG_CODES;
