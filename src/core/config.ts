import type { ErrorObject } from 'ajv';
import { finding, fingerprintOf } from './findings.js';
import type { Finding, PathSegment } from './findings.js';
import type { Phase } from './manifest.js';
import { suggest } from './suggest.js';

/** The config file's name: never a manifest's (`mlops.yaml`), so discovery cannot mistake one. */
export const CONFIG_FILENAME = 'mlops.config.yaml';

/**
 * The settings of one config file, as schemas/mlops.config.v1.schema.json allows them. A new
 * setting is one entry in the schema and one field here: merging, sources and the JSON
 * `config` field follow from the shape.
 */
export interface ConfigSettings {
  /** The default of `--fail-on`, per command that has the flag. */
  failOn?: { diff?: 'error' | 'warn' | 'info' | 'none' };
  /** validate: warnings fail too. */
  strict?: boolean;
  /** Globs, relative to the file's folder, of manifests that discovery skips. */
  ignore?: string[];
  /** Defaults of the output flags of validate, check and diff (a run's, see RUN_SETTINGS). */
  output?: {
    /** `--format` specs, `name` or `name=path` (a path relative to the file's folder). */
    format?: string[];
    /** `--max-warnings`. */
    maxWarnings?: number;
    /** `--quiet`. */
    quiet?: boolean;
  };
  /** YYYY-MM-DD: the date manifests here are judged at (check's `--today` wins). */
  today?: string;
  /** Who may record an approval that counts. */
  approvals?: {
    /** author (default): the commit's author is the approver; signed: a verified signature; recorded: anyone. */
    identity?: 'recorded' | 'author' | 'signed';
    /** Relative to the file's folder. */
    allowedSignersFile?: string;
  };
  /** Limits on waivers. */
  waivers?: {
    /** A waiver expires at most this many days after the commit that added it (default 90). */
    maxDays?: number;
  };
  /** check: the phase a branch is held to when `--branch` is given without `--phase`. */
  check?: {
    /** Branch globs to phases; the first that matches, in file order, wins. */
    branches?: Readonly<Record<string, Phase>>;
  };
}

/** The names a `--format` spec may have, over every command (each command has some of them). */
export const OUTPUT_FORMATS = [
  'text',
  'json',
  'markdown',
  'github',
  'sarif',
  'junit',
  'codequality',
] as const;

/**
 * Settings of a run as a whole, not of each manifest: they come from the config files above
 * the folder the command runs in (see `runConfig` in src/io/config.ts).
 */
export const RUN_SETTINGS: readonly string[] = ['output.', 'check.'];
export const isRunSetting = (key: string): boolean => RUN_SETTINGS.some((p) => key.startsWith(p));

/** Settings taken whole from the nearest file that sets them, never merged key by key. */
const WHOLE: ReadonlySet<string> = new Set<WholeKey>(['check.branches']);
type WholeKey = 'check.branches';

/** One config file, read and valid. */
export interface ConfigFile {
  /** The file as output shows it (relative to the working folder). */
  file: string;
  /** Its folder, as the caller spells paths: `ignore` patterns are relative to it. */
  dir: string;
  settings: ConfigSettings;
}

type Scalar = string | number | boolean | readonly unknown[];

/** The dotted keys of the settings' leaves: `strict`, `failOn.diff`, ... */
export type SettingKey = Leaves<Required<ConfigSettings>>;
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]-?: `${P}${K}` extends WholeKey
    ? `${P}${K}`
    : NonNullable<T[K]> extends Scalar
      ? `${P}${K}`
      : Leaves<Required<NonNullable<T[K]>>, `${P}${K}.`>;
}[keyof T & string];
type ValueAt<T, K extends string> = K extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? ValueAt<NonNullable<T[H]>, R>
    : never
  : K extends keyof T
    ? NonNullable<T[K]>
    : never;
export type SettingValue<K extends SettingKey> = ValueAt<ConfigSettings, K>;

/** A setting in force for a manifest, and the config file that set it. */
export interface SettingSource {
  key: SettingKey;
  value: unknown;
  source: string;
}

/**
 * The settings that apply to the manifests of one folder: the config files from the ceiling
 * (the repository root) down to the folder, nearer ones overriding farther ones key by key.
 */
export interface ResolvedConfig {
  /** Farthest first. `ignore` is not merged: each file's patterns apply under its own folder. */
  chain: readonly ConfigFile[];
  settings: ConfigSettings;
  /** The file that set each leaf of `settings`. */
  sources: Partial<Record<SettingKey, string>>;
}

export const NO_CONFIG: ResolvedConfig = { chain: [], settings: {}, sources: {} };

/** Keys that are not merged into the settings of a folder but apply file by file. */
const PER_FILE: ReadonlySet<string> = new Set<keyof ConfigSettings>(['ignore']);
const META: ReadonlySet<string> = new Set(['apiVersion', 'kind']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Adds `file`'s settings over `base` (the resolution of the folders above it). */
export function extendConfig(base: ResolvedConfig, file: ConfigFile): ResolvedConfig {
  const sources: Record<string, string> = { ...base.sources };
  const merge = (
    into: Record<string, unknown>,
    from: Record<string, unknown>,
    prefix: string,
  ): Record<string, unknown> => {
    const out = { ...into };
    for (const [key, value] of Object.entries(from)) {
      if (prefix === '' && (PER_FILE.has(key) || META.has(key) || key.startsWith('x-'))) continue;
      if (value === undefined) continue;
      const dotted = `${prefix}${key}`;
      if (isPlainObject(value) && !WHOLE.has(dotted)) {
        out[key] = merge(isPlainObject(out[key]) ? out[key] : {}, value, `${dotted}.`);
      } else {
        out[key] = value;
        sources[dotted] = file.file;
      }
    }
    return out;
  };
  return {
    chain: [...base.chain, file],
    settings: merge(
      base.settings as Record<string, unknown>,
      file.settings as Record<string, unknown>,
      '',
    ) as ConfigSettings,
    sources,
  };
}

/** The value of a setting and where it came from: the flag when given, else the config, else the default. */
export function settingOf<K extends SettingKey>(
  resolved: ResolvedConfig,
  key: K,
  flag: SettingValue<K> | undefined,
  fallback: SettingValue<K>,
): { value: SettingValue<K>; source?: string } {
  if (flag !== undefined) return { value: flag };
  const source = resolved.sources[key];
  if (source === undefined) return { value: fallback };
  return { value: valueAt(resolved.settings, key) as SettingValue<K>, source };
}

function valueAt(settings: ConfigSettings, key: SettingKey): unknown {
  let node: unknown = settings;
  for (const part of key.split('.')) node = isPlainObject(node) ? node[part] : undefined;
  return node;
}

/** Every leaf of `resolved`'s settings with its file, except the keys a flag overrode. */
export function settingsInForce(
  resolved: ResolvedConfig,
  overridden: readonly SettingKey[] = [],
): SettingSource[] {
  return (Object.keys(resolved.sources) as SettingKey[])
    .filter((key) => !overridden.includes(key))
    .sort()
    .map((key) => ({
      key,
      value: valueAt(resolved.settings, key),
      source: resolved.sources[key]!,
    }));
}

/**
 * A glob of the config file's `ignore` as a regular expression over `/`-separated paths
 * relative to the file's folder: `*` within a name, `?` one character, `**` any number of
 * folders. Anchored at the folder, as gitignore patterns with a slash are; no negation.
 */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/').filter((s) => s !== '');
  let re = '';
  let slash = false;
  segments.forEach((seg, i) => {
    if (seg === '**') {
      if (i === segments.length - 1) re += slash ? '(?:/.*)?' : '.*';
      else re += `${slash ? '/' : ''}(?:[^/]+/)*`;
      slash = false;
      return;
    }
    const body = [...seg]
      .map((c) =>
        c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/, '\\$&'),
      )
      .join('');
    re += (slash ? '/' : '') + body;
    slash = true;
  });
  return new RegExp(`^${re}$`);
}

const compiled = new Map<string, RegExp>();

/**
 * Whether `rel` (a manifest's path relative to a config file's folder, `/`-separated) is
 * matched by one of the patterns, itself or through a folder above it: the pattern that did.
 */
export function matchIgnore(patterns: readonly string[], rel: string): string | undefined {
  if (rel === '' || rel === '..' || rel.startsWith('../')) return undefined;
  const parts = rel.split('/');
  for (const pattern of patterns) {
    let re = compiled.get(pattern);
    if (!re) compiled.set(pattern, (re = globToRegExp(pattern)));
    let prefix = '';
    for (const part of parts) {
      prefix = prefix === '' ? part : `${prefix}/${part}`;
      if (re.test(prefix)) return pattern;
    }
  }
  return undefined;
}

/** `failOn.diff`, `ignore[0]`: a path as findings name it. */
export function formatConfigPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out === '' ? seg : `${out}.${seg}`),
    '',
  );
}

interface SchemaNode {
  properties?: Record<string, { const?: unknown; enum?: unknown[] }>;
}

const WHOLE_NUMBER = 'a whole number of 0 or more';

const typeName = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'list'
      : typeof v === 'object'
        ? 'mapping'
        : typeof v === 'number'
          ? 'number'
          : typeof v;

const scalarArg = (v: unknown): string | number | boolean | null | undefined =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? v
    : undefined;

/**
 * The findings of a config file that its schema rejected, from ajv's errors (created with
 * `verbose: true`, so each error carries its parent schema), one per place, in path order.
 */
export function configSchemaFindings(errors: readonly ErrorObject[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path: PathSegment[] = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const key = formatConfigPath(path);
    const parent = e.parentSchema as SchemaNode | undefined;
    let f: Finding;
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        const example = parent?.properties?.[missing]?.const;
        f = finding('CONFIG_REQUIRED', path, {
          key,
          missing,
          ...(typeof example === 'string' ? { example } : {}),
        });
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys(parent?.properties ?? {});
        const guess = suggest(extra, allowed);
        f = finding(
          'CONFIG_UNKNOWN_KEY',
          [...path, extra],
          { key, unknown: extra, allowed, ...(guess ? { suggestion: guess } : {}) },
          { target: 'key' },
        );
        break;
      }
      case 'enum':
      case 'const': {
        const allowed = (
          e.keyword === 'enum'
            ? (e.params as { allowedValues: unknown[] }).allowedValues
            : [(e.params as { allowedValue: unknown }).allowedValue]
        ).map(String);
        const value = scalarArg(e.data);
        const guess = typeof value === 'string' ? suggest(value, allowed) : undefined;
        f = finding('CONFIG_ENUM', path, {
          key,
          value: value === undefined ? typeName(e.data) : value,
          allowed,
          ...(guess ? { suggestion: guess } : {}),
        });
        break;
      }
      case 'type': {
        const expected = String((e.params as { type: string | string[] }).type);
        f =
          expected === 'integer' && typeof e.data === 'number'
            ? finding('CONFIG_TYPE', path, { key, expected: WHOLE_NUMBER, actual: e.data })
            : finding('CONFIG_TYPE', path, {
                key,
                expected:
                  expected === 'array' ? 'list' : expected === 'object' ? 'mapping' : expected,
                actual: typeName(e.data),
              });
        break;
      }
      case 'minimum':
        f = finding('CONFIG_TYPE', path, { key, expected: WHOLE_NUMBER, actual: Number(e.data) });
        break;
      case 'pattern':
        if (path[0] === 'ignore') {
          f = finding('CONFIG_IGNORE_PATTERN', path, { key, value: String(e.data) });
        } else if (path[0] === 'output' && path[1] === 'format') {
          // `name` or `name=path`: the name is one of the formats, the path is not empty
          const value = String(e.data);
          const eq = value.indexOf('=');
          const name = eq < 0 ? value : value.slice(0, eq);
          const guess = suggest(name, OUTPUT_FORMATS);
          f = finding('CONFIG_ENUM', path, {
            key,
            value,
            allowed: [...OUTPUT_FORMATS, '<name>=<file>'],
            ...(guess && guess !== name
              ? { suggestion: eq < 0 ? guess : `${guess}${value.slice(eq)}` }
              : {}),
          });
        } else {
          f = finding('CONFIG_INVALID', path, { key, keyword: e.keyword });
        }
        break;
      default:
        f = finding('CONFIG_INVALID', path, { key, keyword: e.keyword });
    }
    const id = `${f.code}\0${formatConfigPath(f.path)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    f.fingerprint = fingerprintOf(['config', f.code, f.path.map(String), f.args.value ?? null]);
    out.push(f);
  }
  return out;
}

/**
 * The phase that `check.branches` gives the branch `name`: the first glob, in file order, that
 * matches it (`*` within a path segment, `**` across), with the glob; undefined when none does.
 */
export function phaseForBranch(
  branches: Readonly<Record<string, Phase>> | undefined,
  name: string,
): { phase: Phase; pattern: string } | undefined {
  for (const [pattern, phase] of Object.entries(branches ?? {})) {
    let re = compiled.get(pattern);
    if (!re) compiled.set(pattern, (re = globToRegExp(pattern)));
    if (re.test(name)) return { phase, pattern };
  }
  return undefined;
}

/** What a run's output says about the config files: reporters print it as given. */
export interface ConfigInForce {
  /** The config files that applied to at least one manifest, as output shows them. */
  files: string[];
  /** The settings config files put in force (a flag given on the command line overrides). */
  settings: SettingSource[];
  /** Manifests that discovery skipped, with the pattern and the file that holds it. */
  ignored: { file: string; pattern: string; source: string }[];
  /** The settings from config files that changed this run's outcome, for its summary. */
  decisive: SettingSource[];
}
