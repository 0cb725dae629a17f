import { relative, resolve, sep } from 'node:path';
import type { ConfigInForce } from '../core/config.js';
import type { Finding } from '../core/findings.js';
import type { ReportContext } from './context.js';

/** A path as one folder sees it, turned into the same file as another folder sees it. */
export type Relocate = (file: string) => string;

/** A name that stands for no file, such as `<stdin>`: shown as it is, wherever it is seen from. */
const isName = (file: string): boolean => file.startsWith('<') && file.endsWith('>');

const keep: Relocate = (file) => file;

/** Whether `at` leaves every path as it is (the folders are one, or one is unknown): nothing to copy. */
export const keepsPaths = (at: Relocate): boolean => at === keep;

/**
 * Paths relative to the absolute folder `from` as paths relative to the absolute folder `to`,
 * with `/` between folders (`.` for `to` itself). When either folder is unknown, paths are left
 * as they are. Absolute paths and names such as `<stdin>` are taken as they are.
 */
export function relocator(from: string | undefined, to: string | undefined): Relocate {
  if (from === undefined || to === undefined || from === to) return keep;
  const seen = new Map<string, string>();
  return (file) => {
    if (file === '' || isName(file)) return file;
    let out = seen.get(file);
    if (out === undefined) {
      const rel = relative(to, resolve(from, file));
      out = rel === '' ? '.' : sep === '/' ? rel : rel.split(sep).join('/');
      seen.set(file, out);
    }
    return out;
  };
}

/**
 * For machine formats: a path relative to `from` (default: the current folder, as `validate`
 * and `check` results carry them) as a path relative to the repository root.
 */
export function toRoot(ctx: ReportContext, from: string | undefined = ctx.cwd): Relocate {
  return relocator(from, ctx.root ?? ctx.cwd);
}

/** For text and markdown: a path relative to `from` as a path relative to the current folder. */
export function toCwd(ctx: ReportContext, from: string | undefined = ctx.cwd): Relocate {
  return relocator(from, ctx.cwd);
}

/**
 * A finding with its file seen from elsewhere; `DUPLICATE_NAME` also names the other files,
 * which move with it.
 */
export function relocateFinding<F extends Finding>(f: F, at: Relocate): F {
  if (at === keep) return f;
  const others = f.code === 'DUPLICATE_NAME' ? f.args.others : undefined;
  return {
    ...f,
    ...(f.file !== undefined ? { file: at(f.file) } : {}),
    ...(Array.isArray(others)
      ? { args: { ...f.args, others: others.map((o) => (typeof o === 'string' ? at(o) : o)) } }
      : {}),
  };
}

/** The args of readiness findings that name files: the evidence, a link on its way, the manifest. */
const RULE_PATH_ARGS = ['path', 'link', 'culprit', 'manifest'];

/**
 * A readiness finding seen from elsewhere: its file, the files its words name, and those its
 * fix runs a command on (`git add -- <path>`, `mlops approve <manifest>`).
 */
export function relocateRuleFinding(f: Finding, at: Relocate): Finding {
  if (at === keep) return f;
  // an evidence finding's target is where a link leads; elsewhere it is a value metric's target
  const keys = f.code.startsWith('EVIDENCE_') ? [...RULE_PATH_ARGS, 'target'] : RULE_PATH_ARGS;
  const args: Record<string, Finding['args'][string]> = { ...f.args };
  const moved = new Map<string, string>();
  for (const key of keys) {
    const value = f.args[key];
    if (typeof value !== 'string') continue;
    args[key] = at(value);
    moved.set(value, at(value));
  }
  const fix =
    f.fix?.kind === 'command'
      ? { ...f.fix, argv: f.fix.argv.map((a) => moved.get(a) ?? a) }
      : f.fix;
  return { ...relocateFinding(f, at), args, ...(fix ? { fix } : {}) };
}

/** The config files, settings and ignored manifests of a run, with their paths seen from elsewhere. */
export function relocateConfig(
  config: ConfigInForce | undefined,
  at: Relocate,
): ConfigInForce | undefined {
  if (!config || at === keep) return config;
  const setting = <S extends { source: string }>(s: S): S => ({ ...s, source: at(s.source) });
  return {
    files: config.files.map(at),
    settings: config.settings.map(setting),
    ignored: config.ignored.map((i) => ({ ...i, file: at(i.file), source: at(i.source) })),
    decisive: config.decisive.map(setting),
  };
}
