import { compareFindings, countFindings, finding, fingerprintOf, pathByIds } from '../findings.js';
import type { Finding, PathSegment, Severity } from '../findings.js';
import { checkConsistency } from './consistency.js';
import { earlierShapeProblems } from './earlier-shape.js';
import { readFast } from './fast-reader.js';
import { readLines } from './line-reader.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from './limits.js';
import { schemaFindings } from './schema-findings.js';
import type { Problem, SchemaValidator } from './schema-findings.js';
import { readWithYaml } from './yaml-reader.js';

export type Target = 'key' | 'value';
export interface Position {
  line: number;
  column: number;
}

/** A text read: its data, every finding located in it, and positions by path. */
export interface ReadResult {
  /** Plain data; `undefined` when the YAML could not be read. */
  data: unknown;
  /** Located (`file`, `line`, `column`), fingerprinted and sorted. */
  findings: Finding[];
  /** Where the key or value at `path` is; for a path that does not exist, its deepest key. */
  locate(path: readonly PathSegment[], target?: Target): Position;
}

export interface ReadOptions {
  /** `yaml` skips the quick readers (line and fast): for tests that compare them with yaml. */
  parser?: 'auto' | 'yaml';
}

const START: Position = { line: 1, column: 1 };

/**
 * Reads any YAML file of mlops (manifests and the config file): syntax, duplicate keys, tags,
 * aliases, forbidden keys, size, an empty file, a top level that is not a mapping. The same text
 * gives the same data and findings whichever parser reads it (see line-reader.ts and
 * fast-reader.ts).
 */
export function readYaml(text: string, file: string, options: ReadOptions = {}): ReadResult {
  // the length in UTF-16 units is at most the length in bytes: count bytes only when close
  if (text.length * 3 > MAX_MANIFEST_BYTES) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_MANIFEST_BYTES) {
      return { data: undefined, findings: [tooLargeFinding(file, bytes)], locate: () => START };
    }
  }
  const source = sourceOf(text);
  // the line reader reads most manifests; js-yaml's fast reader most of the rest
  const fast = options.parser === 'yaml' ? undefined : (readLines(source) ?? readFast(source));
  if (fast !== undefined) {
    const lines = lineIndex(source);
    return {
      data: fast.data,
      findings: [],
      locate: (path, target = 'value') => lines(fast.offsetOf(path, target)),
    };
  }
  const slow = readWithYaml(source);
  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return START;
    const { line, col } = slow.lineCounter.linePos(offset);
    return { line, column: col };
  };
  const sorted = slow.findings.map((f): Finding => ({ ...f, file })).sort(compareFindings);
  const listed = sorted.length > MAX_FINDINGS ? sorted.slice(0, MAX_FINDINGS) : sorted;
  const findings = listed.map((f): Finding => ({
    ...f,
    fingerprint: fingerprintFor(f, undefined),
  }));
  if (sorted.length > MAX_FINDINGS)
    findings.push(omittedFinding(sorted.slice(MAX_FINDINGS), file, undefined));
  return {
    data: slow.data,
    findings,
    locate: (path, target = 'value') => at(slow.offsetOf(path, target)),
  };
}

/**
 * The most findings one file lists, in their order (by line and column). A file with more gets
 * one more finding, FINDINGS_OMITTED, that counts the rest; fixing those listed brings the rest
 * up on the next run. 85,000 unknown keys would otherwise be 85,000 lines, and as many entries
 * in every output, cache and review comment.
 */
export const MAX_FINDINGS = 100;

/** The finding that stands for the findings past MAX_FINDINGS: how many, their worst severity. */
function omittedFinding(
  rest: readonly Pick<Finding, 'severity' | 'line' | 'column'>[],
  file: string,
  data: unknown,
): Finding {
  const { errors, warnings } = countFindings(rest);
  const severity: Severity = errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'info';
  const first = rest[0]!;
  const omitted = finding(
    'FINDINGS_OMITTED',
    [],
    { more: rest.length, errors, warnings },
    { severity, file, line: first.line ?? 1, column: first.column ?? 1 },
  );
  omitted.fingerprint = fingerprintFor(omitted, data);
  return omitted;
}

/**
 * The text both parsers read: without a byte-order mark, and with a carriage return that no
 * line feed follows read as the line break YAML 1.2 says it is (yaml would read it as part of
 * a value). One character for one, so that offsets stay those of the text after the mark.
 */
export function sourceOf(text: string): string {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}

/**
 * Reads a manifest: the YAML findings of `readYaml`, or, when the YAML reads, the findings of
 * the schema and of consistency. What every command calls, so that "valid" means one thing.
 */
export function readManifest(
  text: string,
  file: string,
  validator: SchemaValidator,
  options: ReadOptions = {},
): ReadResult {
  const read = readYaml(text, file, options);
  if (read.findings.length > 0 || read.data === undefined) return read;
  const problems = findProblems(read.data, validator);
  if (problems.length === 0) return read;
  // every finding is located and sorted; only those listed are completed and fingerprinted
  const located = problems.map((p) => ({ p, ...read.locate(p.path, p.target) }));
  // compareFindings, for findings of one file
  located.sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      (a.p.code < b.p.code ? -1 : a.p.code > b.p.code ? 1 : 0),
  );
  const listed = located.length > MAX_FINDINGS ? located.slice(0, MAX_FINDINGS) : located;
  read.findings = listed.map(({ p, line, column }) => {
    const { complete } = p;
    let done: Finding;
    if (complete)
      done = {
        code: p.code,
        severity: p.severity,
        path: p.path,
        ...complete(),
        file,
        line,
        column,
      };
    else {
      // `{ ...p, file, line, column }` less `target` and `complete`, key for key in the same
      // order, without an object rest (a runtime call per finding)
      const copy: Record<string, unknown> = {};
      for (const key in p)
        if (key !== 'target' && key !== 'complete') copy[key] = p[key as keyof typeof p];
      copy.file = file;
      copy.line = line;
      copy.column = column;
      done = copy as unknown as Finding;
    }
    // a hint that runs a command on the manifest names it
    if (done.code === 'APPROVAL_EARLIER_SHAPE') done.args = { ...done.args, manifest: file };
    done.fingerprint = fingerprintFor(done, read.data);
    // named after the fingerprint, which stays the same from any folder
    if (MIGRATE_NAMES.has(done.code)) {
      done.args = { ...done.args, manifest: file };
      if (done.code === 'EU_AI_ACT_EARLIER_SHAPE' && done.args.migrate === true)
        done.fix = { kind: 'command', argv: ['mlops', 'migrate', file] };
    }
    if (done.code === 'APPROVAL_EARLIER_SHAPE' && done.args.migrate === true)
      done.fix = { kind: 'command', argv: ['mlops', 'migrate', file] };
    return done;
  });
  if (located.length > MAX_FINDINGS) {
    const rest = located.slice(MAX_FINDINGS);
    const omitted = rest.map(({ p, line, column }) => ({ severity: p.severity, line, column }));
    read.findings.push(omittedFinding(omitted, file, read.data));
  }
  return read;
}

/** Findings whose hint names `mlops migrate <manifest>`: they carry the manifest as given. */
const MIGRATE_NAMES: ReadonlySet<string> = new Set([
  'EU_AI_ACT_EARLIER_SHAPE',
  'WAIVER_EARLIER_SHAPE',
]);

/** Schema and consistency findings of parsed data, not yet located. */
export function findProblems(data: unknown, validator: SchemaValidator): Problem[] {
  const schema = validator(data) ? [] : schemaFindings(validator.errors ?? [], data);
  return [...schema, ...checkConsistency(data), ...earlierShapeProblems(data)];
}

/**
 * Args that say where or among what a finding stands rather than what it is about: a reorder,
 * a move or an unrelated edit changes them, so fingerprints leave them out.
 */
const CONTEXT_ARGS = new Set([
  'at',
  'earlier',
  'first',
  'second',
  'others',
  'more',
  'allowed',
  'known',
  'suggestion',
  'supported',
  'bytes',
  'errors',
  'warnings',
]);

/** The fingerprint of a manifest finding: the model, the code, the path by ids, what it is about. */
export function fingerprintFor(f: Finding, data: unknown): string {
  const name = nameOf(data);
  const about: Record<string, unknown> = {};
  for (const key of Object.keys(f.args).sort())
    if (!CONTEXT_ARGS.has(key)) about[key] = f.args[key];
  return fingerprintOf([name ?? '', f.code, pathByIds(data, f.path), about]);
}

/** A manifest's `metadata.name` and where it is written: what the repository-level pass needs. */
export interface ManifestName {
  name: string;
  line: number;
  column: number;
}

/** The name of the manifest read, when `metadata.name` is text. */
export function manifestName(read: ReadResult): ManifestName | undefined {
  const name = nameOf(read.data);
  if (name === undefined) return undefined;
  // a copy: the parsers' strings are slices of the text, and a run keeps every name it reads,
  // which would keep every text (10,000 manifests: ~60 MiB)
  return { name: JSON.parse(JSON.stringify(name)) as string, ...read.locate(['metadata', 'name']) };
}

/** `metadata.name` when it is text. */
export function nameOf(data: unknown): string | undefined {
  const metadata =
    data !== null && typeof data === 'object' ? (data as { metadata?: unknown }).metadata : null;
  const name =
    metadata !== null && typeof metadata === 'object'
      ? (metadata as { name?: unknown }).name
      : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Line and column of an offset, as yaml's LineCounter gives them. Line starts are found only
 * as far as the offsets asked for: most manifests are asked for their name, near the top.
 */
function lineIndex(text: string): (offset: number | undefined) => Position {
  const starts = [0];
  let scanned = 0;
  return (offset) => {
    if (offset === undefined) return START;
    while (scanned <= offset) {
      const nl = text.indexOf('\n', scanned);
      if (nl < 0) {
        scanned = Infinity;
        break;
      }
      starts.push(nl + 1);
      scanned = nl + 1;
    }
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, column: 1 };
    if (low === 0) return { line: 0, column: offset };
    return { line: low, column: offset - starts[low - 1]! + 1 };
  };
}
