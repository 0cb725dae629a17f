/**
 * `mlops migrate`: rewrites a manifest written for an earlier shape to the current one, as a
 * text edit that changes only the lines it must (comments, order, quoting and layout stay):
 *
 * - `metadata.euAiAct.classification: limited` becomes `minimal`, with `art50: true` right
 *   after it (what `limited` meant; see eu-ai-act.ts);
 * - an approval without `id` gets the id `mlops approve` would have written
 *   (`<subject>-<stakeholder>-<date>`, then `-2`...), unless a signature of its own covers the
 *   approval without it, or it binds no evidence (nobody can know what was looked at);
 * - a waiver without `id` gets the id validate suggests, and a waiver without `target` the
 *   target when only one is possible (consistency.ts decides both).
 *
 * The edit is kept only when the text reads back as the same data with exactly those changes,
 * and without the earlier-shape findings it fixed.
 */
import { isMap, isScalar, isSeq, stringify } from 'yaml';
import type { Document, Pair, YAMLMap } from 'yaml';
import { approvalId, sameData } from './approve.js';
import type { Finding, PathSegment } from './findings.js';
import { NEVER_WAIVED, waiverShape, waiverShapeArgs } from './manifest/consistency.js';
import { approvalMigratable } from './manifest/earlier-shape.js';
import { sourceOf } from './manifest/reader.js';
import type { ReadResult } from './manifest/reader.js';
import { parseYamlDocument } from './manifest/yaml-reader.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One change migrate makes, at the line (1-based) of the original text it is about. */
export type MigrationChange =
  | { kind: 'classification'; line: number; art50Added: boolean }
  | { kind: 'approvalId'; line: number; index: number; id: string }
  | {
      kind: 'waiver';
      line: number;
      index: number;
      rule: string;
      id?: string;
      target?: string;
      /** Approvals of the waiver (by id) that its new target makes stale. */
      stale?: string[];
    };

/**
 * What migrate leaves to a person, at a line of the text. `blocking` notes leave the whole file
 * unchanged (the data contradicts itself, or a form cannot be edited safely); the others leave
 * only that item as it is.
 */
export type MigrationNote =
  | { kind: 'art50Contradiction'; line: number; art50: string; blocking: true }
  | { kind: 'notEditable'; line: number; path: PathSegment[]; blocking: true }
  | {
      kind: 'approvalResign';
      line: number;
      index: number;
      why: 'signature' | 'evidence' | 'fields';
      phase?: string;
      by?: string;
      blocking: false;
    }
  | {
      kind: 'waiverTarget';
      line: number;
      index: number;
      rule: string;
      known: string[];
      blocking: false;
    };

export type MigrateOutcome =
  /** The text does not read as a manifest (YAML): its findings. */
  | { kind: 'unreadable'; findings: Finding[] }
  /** The edit did not read back as intended; nothing is to be written. */
  | { kind: 'readBack'; changes: MigrationChange[] }
  /** `text` is the migrated text (the input itself when nothing changed or a note blocks). */
  | { kind: 'migrated'; text: string; changes: MigrationChange[]; notes: MigrationNote[] };

/** What migrating needs of the reader: the one every command uses, for this manifest. */
export type MigrateReader = (text: string) => Pick<ReadResult, 'data' | 'findings' | 'locate'>;

/** Findings that say the text is not YAML mlops can read (not what the schema says of it). */
const UNREADABLE = /^(YAML_|NOT_A_MAPPING$|EMPTY_FILE$|FILE_TOO_LARGE$|NOT_UTF8$)/;

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

/** Migrates the manifest `text` (see the module comment); pure. */
export function migrateManifest(text: string, read: MigrateReader): MigrateOutcome {
  const reading = read(text);
  const unreadable = reading.findings.filter((f) => UNREADABLE.test(f.code));
  if (reading.data === undefined || unreadable.length > 0 || !isObj(reading.data))
    return { kind: 'unreadable', findings: unreadable.length > 0 ? unreadable : reading.findings };
  const data = reading.data;
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = text.slice(bom.length);
  const source = sourceOf(body);
  const doc = parseYamlDocument(body);
  if (doc.errors.length > 0 || !sameData(doc.toJS(), data))
    return { kind: 'unreadable', findings: reading.findings };
  const eol = lineBreakOf(body);
  const lineOf = (offset: number): number => {
    let n = 1;
    for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) n++;
    return n;
  };
  const edits: Edit[] = [];
  const changes: MigrationChange[] = [];
  const notes: MigrationNote[] = [];
  const expected = structuredClone(data);
  const notEditable = (path: PathSegment[]): void => {
    notes.push({ kind: 'notEditable', line: reading.locate(path).line, path, blocking: true });
  };

  // metadata.euAiAct.classification: limited
  const eu = isObj(data.metadata) && isObj(data.metadata.euAiAct) ? data.metadata.euAiAct : {};
  if (eu.classification === 'limited') {
    const path = ['metadata', 'euAiAct', 'classification'];
    const map = doc.getIn(['metadata', 'euAiAct'], true);
    const pair = isMap(map) ? pairOf(map, 'classification') : undefined;
    const value = pair && isScalar(pair.value) ? pair.value : undefined;
    const range = value?.range;
    const written = range ? source.slice(range[0], range[1]) : '';
    const quote = /^(["']?)limited\1$/.exec(written)?.[1];
    if (Object.hasOwn(eu, 'art50') && eu.art50 !== true) {
      notes.push({
        kind: 'art50Contradiction',
        line: reading.locate(path).line,
        art50: eu.art50 === false ? 'false' : 'not true',
        blocking: true,
      });
    } else if (!isMap(map) || !pair || !range || quote === undefined) {
      notEditable(path);
    } else {
      const addArt50 = !Object.hasOwn(eu, 'art50');
      edits.push({ at: range[0], remove: range[1] - range[0], insert: `${quote}minimal${quote}` });
      let placed = !addArt50;
      if (addArt50 && map.flow) {
        edits.push({ at: range[1], remove: 0, insert: ', art50: true' });
        placed = true;
      } else if (addArt50) {
        const indent = indentOf(source, (pair.key as { range?: number[] }).range?.[0]);
        if (indent !== undefined) {
          edits.push(lineAfter(source, range[1], [`${indent}art50: true`], eol));
          placed = true;
        }
      }
      if (!placed) notEditable(path);
      else {
        const meta = (expected.metadata as Obj).euAiAct as Obj;
        // the data as it reads back: art50 right after classification
        const rebuilt: Obj = {};
        for (const [k, v] of Object.entries(meta)) {
          rebuilt[k] = k === 'classification' ? 'minimal' : v;
          if (k === 'classification' && addArt50) rebuilt.art50 = true;
        }
        (expected.metadata as Obj).euAiAct = rebuilt;
        changes.push({ kind: 'classification', line: lineOf(range[0]), art50Added: addArt50 });
      }
    }
  }

  // approvals without an id
  const approvals = Array.isArray(data.approvals) ? data.approvals : [];
  const taken = new Set(
    approvals.flatMap((a) => (isObj(a) && typeof a.id === 'string' ? [a.id] : [])),
  );
  approvals.forEach((a, index) => {
    if (!isObj(a) || typeof a.id === 'string') return;
    const path: PathSegment[] = ['approvals', index];
    const line = reading.locate(path).line;
    if (!approvalMigratable(a)) {
      // a phase approval that lacks only its digests is no case of a missing id
      notes.push({
        kind: 'approvalResign',
        line,
        index,
        why:
          a.signature !== undefined
            ? 'signature'
            : typeof a.phase === 'string' && a.evidence === undefined
              ? 'evidence'
              : 'fields',
        ...(typeof a.phase === 'string' ? { phase: a.phase } : {}),
        ...(typeof a.by === 'string' ? { by: a.by } : {}),
        blocking: false,
      });
      return;
    }
    const subject = [a.phase, a.reassessment, a.waiver].find((s) => typeof s === 'string');
    const id = approvalId(`${String(subject)}-${String(a.by)}-${String(a.date)}`, taken);
    const edit = addKeys(doc, source, path, [['id', id]], eol);
    if (edit === undefined) return notEditable(path);
    taken.add(id);
    edits.push(edit);
    (expected.approvals as Obj[])[index] = { ...(expected.approvals as Obj[])[index], id };
    changes.push({ kind: 'approvalId', line, index, id });
  });

  // waivers without an id, or without a target where only one is possible
  const waivers = Array.isArray(data.waivers) ? data.waivers : [];
  // the manifest as migrated so far, so that two waivers never get the same id
  const work = structuredClone(data);
  waivers.forEach((w, index) => {
    if (!isObj(w) || typeof w.rule !== 'string' || NEVER_WAIVED.has(w.rule)) return;
    const { noId, noTarget } = waiverShape(w);
    if (!noId && !noTarget) return;
    const path: PathSegment[] = ['waivers', index];
    const line = reading.locate(path).line;
    const { args } = waiverShapeArgs(w, index, work);
    const known = Array.isArray(args.known) ? args.known.map(String) : [];
    const add: [string, string][] = [];
    if (noId) {
      if (Object.hasOwn(w, 'id')) return notEditable([...path, 'id']);
      add.push(['id', String(args.suggestion)]);
    }
    if (noTarget && known.length === 1) {
      if (Object.hasOwn(w, 'target')) return notEditable([...path, 'target']);
      add.push(['target', known[0]!]);
    } else if (noTarget) {
      notes.push({ kind: 'waiverTarget', line, index, rule: w.rule, known, blocking: false });
    }
    if (add.length === 0) return;
    const edit = addKeys(doc, source, path, add, eol);
    if (edit === undefined) return notEditable(path);
    edits.push(edit);
    const added = Object.fromEntries(add);
    (work.waivers as Obj[])[index] = { ...w, ...added };
    (expected.waivers as Obj[])[index] = { ...(expected.waivers as Obj[])[index], ...added };
    // approvals of this waiver signed its item: with a target added, they no longer match
    const stale =
      typeof w.id === 'string' && added.target !== undefined
        ? approvals.flatMap((a) =>
            isObj(a) && a.waiver === w.id && typeof a.id === 'string' ? [a.id] : [],
          )
        : [];
    changes.push({
      kind: 'waiver',
      line,
      index,
      rule: w.rule,
      ...(added.id !== undefined ? { id: added.id } : {}),
      ...(added.target !== undefined ? { target: added.target } : {}),
      ...(stale.length > 0 ? { stale } : {}),
    });
  });

  if (notes.some((n) => n.blocking) || changes.length === 0)
    return { kind: 'migrated', text, changes: [], notes };
  let edited = body;
  for (const e of [...edits].sort((x, y) => y.at - x.at))
    edited = edited.slice(0, e.at) + e.insert + edited.slice(e.at + e.remove);
  const migrated = bom + edited;
  if (!readsBack(migrated, read, reading.findings, expected, changes))
    return { kind: 'readBack', changes };
  return { kind: 'migrated', text: migrated, changes, notes };
}

/**
 * Whether the migrated text reads as `expected`, with no error the original did not have and
 * without the earlier-shape findings of what was migrated.
 */
function readsBack(
  text: string,
  read: MigrateReader,
  before: readonly Finding[],
  expected: Obj,
  changes: readonly MigrationChange[],
): boolean {
  const back = read(text);
  if (!sameData(back.data, expected)) return false;
  const errors = (fs: readonly Finding[]): number =>
    fs.filter((f) => f.severity === 'error').length;
  if (errors(back.findings) > errors(before)) return false;
  const at = (f: Finding, list: string, index: number): boolean =>
    f.path[0] === list && f.path[1] === index;
  return !back.findings.some((f) =>
    changes.some((c) =>
      c.kind === 'classification'
        ? f.code === 'EU_AI_ACT_EARLIER_SHAPE'
        : c.kind === 'approvalId'
          ? f.code === 'APPROVAL_EARLIER_SHAPE' && at(f, 'approvals', c.index)
          : f.code === 'WAIVER_EARLIER_SHAPE' &&
            at(f, 'waivers', c.index) &&
            f.args.noId === true &&
            c.id !== undefined,
    ),
  );
}

/** The line break the text uses most: `\r\n`, `\n` or `\r`. */
function lineBreakOf(text: string): string {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  const cr = text.split('\r').length - 1 - crlf;
  if (crlf > 0 && crlf >= lf && crlf >= cr) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** The spaces before `offset` on its line, when only spaces are there. */
function indentOf(source: string, offset: number | undefined): string | undefined {
  if (offset === undefined) return undefined;
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  const indent = source.slice(start, offset);
  return /^ *$/.test(indent) ? indent : undefined;
}

/** New lines inserted after the line that holds `offset` (at the end of a last line too). */
function lineAfter(source: string, offset: number, lines: string[], eol: string): Edit {
  const end = source.indexOf('\n', offset);
  return end < 0
    ? { at: source.length, remove: 0, insert: lines.map((l) => `${eol}${l}`).join('') }
    : { at: end + 1, remove: 0, insert: lines.map((l) => `${l}${eol}`).join('') };
}

/**
 * Adds keys to the mapping at `path` (an item of a list): in a flow mapping before its first
 * key; in a block mapping on lines of their own before its second key, at that key's
 * indentation, so that the line of the first key (`- phase: deploy`) stays as it is.
 */
function addKeys(
  doc: Document,
  source: string,
  path: PathSegment[],
  keys: [string, string][],
  eol: string,
): Edit | undefined {
  const node = doc.getIn(path, true);
  if (!isMap(node) || node.items.length === 0) return undefined;
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isSeq(parent)) return undefined;
  const keyAt = (p: Pair | undefined): number | undefined =>
    (p?.key as { range?: number[] } | undefined)?.range?.[0];
  if (node.flow) {
    const first = keyAt(node.items[0]);
    if (first === undefined) return undefined;
    return {
      at: first,
      remove: 0,
      insert: keys.map(([k, v]) => `${k}: ${scalarText(v, true)}, `).join(''),
    };
  }
  const second = keyAt(node.items[1]);
  const indent = indentOf(source, second);
  if (second === undefined || indent === undefined) return undefined;
  const start = second - indent.length;
  return {
    at: start,
    remove: 0,
    insert: keys.map(([k, v]) => `${indent}${k}: ${scalarText(v, false)}${eol}`).join(''),
  };
}

/** A value as a one-line scalar that reads back as that text: plain where it can be. */
function scalarText(value: string, flow: boolean): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/.test(value);
  if (plain && stringify(value, { lineWidth: 0 }).trimEnd() === value) return value;
  if (!flow && !plain) {
    const written = stringify(value, { lineWidth: 0 }).trimEnd();
    if (!written.includes('\n')) return written;
  }
  return JSON.stringify(value);
}
