import { settingOf } from '../core/config.js';
import type { ResolvedConfig, SettingKey, SettingSource, SettingValue } from '../core/config.js';
import type { Severity } from '../core/findings.js';

export type FailOn = Severity | 'none';
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The exit-code policy of every command, in one place: 1 when anything is at or above
 * `failOn`, else 0. (2, "could not run", comes from errors thrown before a result exists.)
 * `failOn` may depend on the finding, when config files set it per manifest.
 */
export function exitCodeFor<F extends { severity: Severity }>(
  findings: readonly F[],
  failOn: FailOn | ((finding: F) => FailOn),
): 0 | 1 {
  const threshold = typeof failOn === 'function' ? failOn : () => failOn;
  return findings.some((f) => {
    const t = threshold(f);
    return t !== 'none' && RANK[f.severity] >= RANK[t];
  })
    ? 1
    : 0;
}

/** The findings of one manifest, and the threshold its config (or a flag) holds it to. */
export interface FindingGroup<F extends { severity: Severity }> {
  findings: readonly F[];
  failOn: FailOn;
  /** The config file setting behind `failOn`, when one set it (not a flag, not the default). */
  setting?: SettingSource | undefined;
}

/**
 * `exitCodeFor` when config files set thresholds per manifest: 1 when any manifest has a
 * finding at or above its own threshold. `decisive` lists the settings that changed the answer
 * for their manifest from what `fallback` would give, so the output can name their files.
 */
export function exitCodeForGroups<F extends { severity: Severity }>(
  groups: readonly FindingGroup<F>[],
  fallback: FailOn,
): { code: 0 | 1; decisive: SettingSource[] } {
  let code: 0 | 1 = 0;
  const decisive = new Map<string, SettingSource>();
  for (const g of groups) {
    if (g.findings.length === 0) continue; // passes at any threshold
    const own = exitCodeFor(g.findings, g.failOn);
    if (own === 1) code = 1;
    if (g.setting && own !== exitCodeFor(g.findings, fallback))
      decisive.set(`${g.setting.key}\0${String(g.setting.value)}\0${g.setting.source}`, g.setting);
  }
  return { code, decisive: [...decisive.values()] };
}

/**
 * The threshold a setting gives one manifest (the flag when given, else its config, else
 * `fallback`), with the config setting behind it when a config file set it.
 */
export function failOnFromSetting<K extends SettingKey>(
  resolved: ResolvedConfig,
  key: K,
  flag: SettingValue<K> | undefined,
  fallback: SettingValue<K>,
  toFailOn: (value: SettingValue<K>) => FailOn,
): { failOn: FailOn; setting?: SettingSource } {
  const { value, source } = settingOf(resolved, key, flag, fallback);
  return { failOn: toFailOn(value), ...(source ? { setting: { key, value, source } } : {}) };
}
