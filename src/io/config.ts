import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import {
  CONFIG_FILENAME,
  NO_CONFIG,
  extendConfig,
  isRunSetting,
  matchIgnore,
  settingsInForce,
} from '../core/config.js';
import type {
  ConfigFile,
  ConfigInForce,
  ResolvedConfig,
  SettingKey,
  SettingSource,
} from '../core/config.js';
import { InputError } from '../errors.js';
import { findRepoRoot, statPath, toDisplayPath } from './fs.js';

/** The config files applied to a run's manifests. */
export interface AppliedConfig {
  /** The manifests to use: the ones given, less those an `ignore` pattern skips. */
  files: string[];
  /** The settings of a manifest (absolute path), from the config files above it. */
  configOf(abs: string): ResolvedConfig;
  /**
   * What the output says of the config: the files, the settings in force (less the keys a
   * flag overrode) and the manifests skipped; `decisive` as the command found it.
   */
  inForce(options?: {
    overridden?: readonly SettingKey[];
    decisive?: readonly SettingSource[];
  }): ConfigInForce;
}

export interface ApplyConfigOptions {
  /** The folder the command runs in: paths are shown relative to it. */
  cwd: string;
  /** The paths given on the command line: a file named there is never skipped. */
  paths?: readonly string[];
  /** Skip manifests that an `ignore` pattern matches (default: true). */
  ignore?: boolean;
  /** The repository root, when the command knows it from git (else: the `.git` above `cwd`). */
  root?: string;
  /**
   * The settings of the run as a whole (`runConfig`): its files and its run settings (output,
   * check) are those `inForce` lists; the run settings of the manifests' own files are not.
   */
  run?: ResolvedConfig;
  /** Config files discovery already saw (see `Discovered.configs`): those folders need no stat. */
  known?: {
    roots: readonly string[];
    dirs: ReadonlySet<string>;
    gitDirs?: ReadonlySet<string>;
  };
}

/** `child` is `parent` or below it (both absolute and normalized); no string is built. */
const inside = (parent: string, child: string): boolean =>
  child.startsWith(parent) &&
  (child.length === parent.length || parent.endsWith(sep) || child[parent.length] === sep);

/**
 * Finds the config files that apply to `files` (absolute paths) and reads them. For each
 * manifest, every `mlops.config.yaml` from its folder up to the ceiling applies, the nearer
 * overriding the farther: the ceiling is the repository root (the folder holding `.git`);
 * outside a repository, the folder the command runs in, or the manifest's own folder when it
 * lies outside that one, so that a stray file in a home or temporary folder never applies.
 * Each folder is looked at once, however many manifests it holds. Throws `ConfigError` when a
 * config file does not validate.
 */
export async function applyConfig(
  files: readonly string[],
  options: ApplyConfigOptions,
): Promise<AppliedConfig> {
  const cwd = resolve(options.cwd);
  const cwdRoot = options.root ?? findRepoRoot(cwd);
  // manifests outside the working folder's repository: their own, found once per folder
  const roots = new Map<string, string | null>();
  // walked roots with neither a config file nor a `.git` strictly under them: every folder
  // below one is answered as the root itself, or for its config files, as the root or nothing
  const known = options.known;
  const bare =
    known?.gitDirs === undefined
      ? []
      : known.roots.filter(
          (r) => ![...known.dirs, ...known.gitDirs!].some((d) => d !== r && inside(r, d)),
        );
  const bareRootOf = (dir: string): string | undefined => {
    // indexed: asked for every manifest, in a run too short for a for-of to be optimized
    for (let i = 0; i < bare.length; i++)
      if (dir !== bare[i] && inside(bare[i]!, dir)) return bare[i];
    return undefined;
  };
  const rootOf = (dir: string): string | null => {
    const below = bareRootOf(dir);
    if (below !== undefined) return rootOf(below);
    let root = roots.get(dir);
    if (root !== undefined) return root;
    const parent = dirname(dir);
    const isRoot =
      known?.gitDirs && known.roots.some((r) => inside(r, dir))
        ? known.gitDirs.has(dir)
        : existsSync(join(dir, '.git'));
    root = isRoot ? dir : parent === dir ? null : rootOf(parent);
    roots.set(dir, root);
    return root;
  };
  const ceilingOf = (dir: string): string => {
    if (cwdRoot !== undefined && inside(cwdRoot, dir)) return cwdRoot;
    return rootOf(dir) ?? (inside(cwd, dir) ? cwd : dir);
  };

  // one stat per folder: which folders from each manifest's up to its ceiling hold a config
  const present = new Map<string, boolean>();
  const dirsByCeiling = new Map<string, Map<string, readonly string[]>>();
  const NONE: readonly string[] = [];
  const configDirs = (dir: string, ceiling: string): readonly string[] => {
    const below = bareRootOf(dir);
    // the folders from `dir` up to the root hold no config file: up to a ceiling below the
    // root, none applies; else those at and above the root do
    if (below !== undefined)
      return ceiling !== below && inside(below, ceiling) ? NONE : configDirs(below, ceiling);
    let memo = dirsByCeiling.get(ceiling);
    if (!memo) dirsByCeiling.set(ceiling, (memo = new Map()));
    let out = memo.get(dir);
    if (out) return out;
    const parent = dirname(dir);
    out = dir === ceiling || parent === dir ? NONE : configDirs(parent, ceiling);
    let has = present.get(dir);
    if (has === undefined) {
      has = known?.roots.some((r) => inside(r, dir))
        ? known.dirs.has(dir)
        : existsSync(join(dir, CONFIG_FILENAME));
      present.set(dir, has);
    }
    if (has) out = [...out, dir];
    memo.set(dir, out);
    return out;
  };
  // (indexed, and no object per manifest: this runs once per manifest of the run)
  const manifestDirs: string[] = new Array(files.length);
  const ceilings: string[] = new Array(files.length);
  const found = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    const dir = dirname(files[i]!);
    const ceiling = ceilingOf(dir);
    manifestDirs[i] = dir;
    ceilings[i] = ceiling;
    const dirs = configDirs(dir, ceiling);
    for (let k = 0; k < dirs.length; k++) found.add(dirs[k]!);
  }

  const byDir = new Map<string, ConfigFile>();
  if (found.size > 0) {
    const { readConfigFiles } = await import('./config-read.js');
    const read = await readConfigFiles(
      [...found].sort().map((dir) => {
        const abs = join(dir, CONFIG_FILENAME);
        return { abs, file: toDisplayPath(cwd, abs), dir };
      }),
    );
    for (const c of read) byDir.set(c.dir, c);
  }

  const resolvedByKey = new Map<string, ResolvedConfig>();
  const resolvedOf = (dir: string, ceiling: string): ResolvedConfig => {
    const key = `${ceiling}\0${dir}`;
    let out = resolvedByKey.get(key);
    if (out) return out;
    out = configDirs(dir, ceiling).reduce((acc, d) => extendConfig(acc, byDir.get(d)!), NO_CONFIG);
    resolvedByKey.set(key, out);
    return out;
  };

  const explicit = new Set(
    (options.paths ?? [])
      .map((p) => resolve(cwd, p))
      .filter((abs) => statPath(abs)?.isFile === true),
  );
  // no config file applies to any manifest: every one has no settings, and none is ignored
  const none = byDir.size === 0;
  const kept: string[] = none ? [...files] : [];
  const configs = new Map<string, ResolvedConfig>();
  const ignored: ConfigInForce['ignored'] = [];
  if (!none)
    files.forEach((abs, i) => {
      const resolved = resolvedOf(manifestDirs[i]!, ceilings[i]!);
      if (options.ignore !== false && !explicit.has(abs)) {
        for (const c of resolved.chain) {
          if (!c.settings.ignore?.length) continue;
          const rel = abs
            .slice(c.dir.length + 1)
            .split(sep)
            .join('/');
          const pattern = matchIgnore(c.settings.ignore, rel);
          if (pattern !== undefined) {
            ignored.push({ file: toDisplayPath(cwd, abs), pattern, source: c.file });
            return;
          }
        }
      }
      kept.push(abs);
      configs.set(abs, resolved);
    });

  if (files.length > 0 && kept.length === 0) {
    const sources = [...new Set(ignored.map((i) => i.source))];
    throw new InputError(
      `every mlops.yaml found is ignored by ${sources.join(', ')} (ignore: ${[...new Set(ignored.map((i) => i.pattern))].join(', ')})`,
      { hint: `name a manifest file to use it anyway, or change ignore in ${sources[0]}` },
    );
  }
  return {
    files: kept,
    configOf: (abs) => configs.get(abs) ?? NO_CONFIG,
    inForce: ({ overridden = [], decisive = [] } = {}) => {
      const usedFiles = new Set<string>();
      const settings = new Map<string, SettingSource>();
      for (const resolved of none ? [NO_CONFIG] : new Set(configs.values())) {
        resolved.chain.forEach((c) => usedFiles.add(c.file));
        for (const s of settingsInForce(resolved, overridden))
          if (!isRunSetting(s.key))
            settings.set(`${s.key}\0${s.source}\0${JSON.stringify(s.value)}`, s);
      }
      const run = options.run;
      if (run) {
        const own = settingsInForce(run, overridden).filter((s) => isRunSetting(s.key));
        // a file of the run counts when it set something that applied
        for (const s of own) {
          usedFiles.add(s.source);
          settings.set(`${s.key}\0${s.source}\0${JSON.stringify(s.value)}`, s);
        }
      }
      ignored.forEach((i) => usedFiles.add(i.source));
      return {
        files: [...usedFiles].sort(),
        settings: [...settings.values()],
        ignored,
        decisive: [...decisive],
      };
    },
  };
}

/**
 * The settings of a run as a whole (output, check.branches): those of the config files from
 * `ceiling` (the repository root; outside a repository, the folder the command runs in) down to
 * `cwd`, the nearer overriding the farther, as a manifest in `cwd` would have them. Throws
 * `ConfigError` when one of them does not validate.
 */
export async function runConfig(cwd: string, root?: string): Promise<ResolvedConfig> {
  const dir = resolve(cwd);
  const ceiling = root !== undefined && inside(resolve(root), dir) ? resolve(root) : dir;
  const dirs: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, CONFIG_FILENAME))) dirs.unshift(d);
    if (d === ceiling || dirname(d) === d) break;
  }
  if (dirs.length === 0) return NO_CONFIG;
  const { readConfigFiles } = await import('./config-read.js');
  const read = await readConfigFiles(
    dirs.map((d) => {
      const abs = join(d, CONFIG_FILENAME);
      return { abs, file: toDisplayPath(dir, abs), dir: d };
    }),
  );
  return read.reduce(extendConfig, NO_CONFIG);
}
