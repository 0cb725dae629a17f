import { sha256Hex } from './sha256.js';
import { CODES } from './codes/index.js';
import type { Code } from './codes/index.js';

export type { Code } from './codes/index.js';
export type Severity = 'error' | 'warning' | 'info';
export type PathSegment = string | number;

/** The data a finding's words are made from (see src/report/messages). */
export type ArgValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Args = { readonly [key: string]: ArgValue };

/**
 * What would resolve a finding, as data. Reporters turn it into words or a command line;
 * tests follow it (apply the edit, run the command) and expect the finding to go away.
 */
export type Fix =
  /** Run a command; `argv[0]` is the program (`mlops` is spelled as the user ran it). */
  | { kind: 'command'; argv: readonly string[] }
  /** Set, add or remove the key at `path` of the manifest (`value` when it is known). */
  | { kind: 'edit'; op: 'set' | 'add' | 'remove'; path: readonly PathSegment[]; value?: unknown };

/**
 * One finding about one place: the only finding type of mlops. Words come only from
 * `src/report/messages`, keyed by `code` and filled from `args`.
 */
export interface Finding {
  code: Code;
  severity: Severity;
  /** Where in the manifest (keys and list indexes); `[]` for the file as a whole. */
  path: PathSegment[];
  args: Args;
  /** The file, as the reporter should show it; set by whoever knows it. */
  file?: string;
  /** 1-based, as yaml's LineCounter gives them; set once located. */
  line?: number;
  column?: number;
  /** Point at the key rather than the value when locating `path`. */
  target?: 'key' | 'value';
  fix?: Fix;
  /** Stable across runs, reorders and moves: see `fingerprintOf`. */
  fingerprint?: string;
}

/** A finding with the catalog's default severity unless one is given. */
export function finding(
  code: Code,
  path: PathSegment[],
  args: Args = {},
  extra: Partial<Omit<Finding, 'code' | 'path' | 'args'>> = {},
): Finding {
  return { code, severity: CODES[code].severity, path, args, ...extra };
}

/**
 * The first 16 hex digits of the sha256 of the JSON of `parts`. Callers pass what identifies
 * the finding independently of where it stands: the model's name, the code, the path by ids
 * (never list positions), and the values it is about; never the file's path or a line.
 */
export function fingerprintOf(parts: readonly unknown[]): string {
  return sha256Hex(JSON.stringify(parts)).slice(0, 16);
}

export interface FindingCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(findings: readonly { severity: Severity }[]): FindingCounts {
  const counts: FindingCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/** By file, line, column, then code: the order every reporter lists findings in. */
export function compareFindings(a: Finding, b: Finding): number {
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  return (
    (fa < fb ? -1 : fa > fb ? 1 : 0) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/**
 * `path` with list positions replaced by the ids of the items they point at (`id:<id>`),
 * where the item has one: the form fingerprints use, so a reorder keeps them.
 */
export function pathByIds(data: unknown, path: readonly PathSegment[]): string[] {
  const out: string[] = [];
  let node: unknown = data;
  for (const seg of path) {
    const item = Array.isArray(node) && typeof seg === 'number' ? node[seg] : undefined;
    const id =
      item !== null && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string'
        ? (item as { id: string }).id
        : undefined;
    out.push(id !== undefined ? `id:${id}` : String(seg));
    node =
      node !== null && typeof node === 'object'
        ? (node as Record<string | number, unknown>)[seg]
        : undefined;
  }
  return out;
}
