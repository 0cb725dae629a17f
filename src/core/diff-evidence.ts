import { approvalStates, reassessmentApprovalStates, waiverApprovalStates } from './approvals.js';
import type { ApprovablePhase, ApprovalState, SignOffContext } from './approvals.js';
import { buildEvidencePaths, collectEvidence, guardrailPhases } from './check/evidence.js';
import type { EvidenceKind, EvidenceRef } from './check/evidence.js';
import { metricPointer } from './check/facts.js';
import { groupPointer } from './check/scoreboard.js';
import { observe, parseEvidenceText, resolvePointer, toleranceOf } from './check/values.js';
import type { ParsedEvidence } from './check/values.js';
import { canonicalJson, digestOf } from './digest.js';
import type { ChangeArgs, ChangeClass, RawChange } from './diff-walk.js';
import { boundEvidence, evidenceDigest, evidenceKey } from './evidence-digest.js';
import type { BoundFile } from './evidence-digest.js';
import type { PathSegment } from './findings.js';
import { listGuardrails } from './manifest.js';
import type { Approval, Direction, Manifest, ValueMetric } from './manifest.js';

/**
 * What `mlops diff` reads of the evidence files its manifests name, at each side, and how it
 * judges them: an observed value of a guardrail or a value metric that moves (breached,
 * degraded, improved), any other evidence file that changed, and the approvals a change makes
 * stale. Pure: io reads the files (src/io/diff-inputs.ts) and hands them over as data.
 */

/** An evidence file at one side of a diff, as io found it. */
export type EvidenceContent =
  /** `text`: the content of a JSON or YAML file; `sha256`: hex digest of the bytes. */
  | { kind: 'file'; text?: string; sha256?: string }
  | { kind: 'missing' }
  /** Not read: it leads outside the repository, is no regular file, is too large or cannot be read. */
  | { kind: 'unread'; reason: 'outside' | 'not_a_file' | 'too_large' | 'unreadable' };

/** An evidence file at one side by repository path; undefined when it was not read. */
export type EvidenceLookup = (repoPath: string) => EvidenceContent | undefined;

/** The repository paths of evidence files to read at each side. */
export interface EvidenceWanted {
  base: Set<string>;
  head: Set<string>;
}

/** What io gives a diff of evidence: which files may differ, and their contents on demand. */
export interface EvidenceAccess {
  /**
   * False when the file at `repoPath` is the same at both sides (git's object ids say so), so
   * nothing read from it can have moved; true when it may differ.
   */
  differs(repoPath: string): boolean;
  /** Reads the files wanted at each side, all at once (one git process for the blobs). */
  read(wanted: EvidenceWanted): Promise<{ base: EvidenceLookup; head: EvidenceLookup }>;
}

/** The evidence of one pair of manifests: both sides' files and what may differ. */
export interface PairEvidence {
  base: EvidenceLookup;
  head: EvidenceLookup;
  differs(repoPath: string): boolean;
  /**
   * No file was wanted (`wantedEvidence`): nothing read from evidence can have moved, and only
   * the sign-offs that the manifest's own change makes stale are looked for.
   */
  signOffsOnly?: boolean;
}

/** One side of a pair: the manifest as parsed, its repository path and its evidence files. */
export interface EvidenceSide {
  data: unknown;
  /** The manifest's repository path (the path as given, comparing two files). */
  path: string;
  files: EvidenceLookup;
  /** The date that approvals dated after are ignored; absent: none is. */
  today?: string;
  /** More of what judging who signed needs (commits, identity), when the caller knows it. */
  signOff?: Partial<SignOffContext>;
}

/** The classes of change that evidence makes, beside those of the manifest's own text. */
export const EVIDENCE_CLASSES = ['breached', 'degraded', 'improved', 'evidence', 'stale'] as const;
export type EvidenceClass = (typeof EVIDENCE_CLASSES)[number];

/**
 * A change evidence makes, before it gets a model, a severity, a place and a fingerprint.
 * `section` is the phase whose sign-off acknowledges it (null: none does, whatever its path).
 */
export interface RawEvidenceChange extends RawChange {
  class: ChangeClass;
  section: ApprovablePhase | null;
  /** A level other than its class's: a deleted evidence file is a warning. */
  severity?: 'warning';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;

const PHASES: readonly ApprovablePhase[] = ['envision', 'build', 'deploy'];
/** The date after every approval: no approval is ignored for its date. */
const NO_TODAY = '9999-12-31';

/** One side, with what is read from it computed once. */
class SideReader {
  private readonly parsed = new Map<string, ParsedEvidence | undefined>();
  private readonly digests = new Map<string, string | undefined>();
  private refList: EvidenceRef[] | undefined;
  private readonly boundFiles = new Map<ApprovablePhase, BoundFile[]>();
  private itemMap: Map<string, Item> | undefined;

  constructor(
    readonly side: EvidenceSide,
    /** The other side's files, for a file that is the same at both and was read there only. */
    private readonly fallback: EvidenceLookup = () => undefined,
  ) {}

  get manifest(): Manifest {
    return this.side.data as Manifest;
  }

  get refs(): EvidenceRef[] {
    this.refList ??= collectEvidence(this.manifest, this.side.path);
    return this.refList;
  }

  /** The files an approval of `phase` binds at this side. */
  bound(phase: ApprovablePhase): BoundFile[] {
    let files = this.boundFiles.get(phase);
    if (!files)
      this.boundFiles.set(
        phase,
        (files = boundEvidence(this.manifest, this.side.path, phase, this.refs)),
      );
    return files;
  }

  /** Every value the side reads from evidence (see `itemsOf`). */
  get items(): Map<string, Item> {
    this.itemMap ??= itemsOf(this);
    return this.itemMap;
  }

  content(repoPath: string): EvidenceContent | undefined {
    return this.side.files(repoPath) ?? this.fallback(repoPath);
  }

  data(repoPath: string): ParsedEvidence | undefined {
    if (!this.parsed.has(repoPath)) {
      const c = this.content(repoPath);
      this.parsed.set(
        repoPath,
        c?.kind === 'file' && c.text !== undefined
          ? parseEvidenceText(repoPath, c.text)
          : undefined,
      );
    }
    return this.parsed.get(repoPath);
  }

  /** The digest an approval binds (`evidenceDigest`); undefined when the file was not read. */
  digest(repoPath: string): string | undefined {
    if (!this.digests.has(repoPath)) {
      const c = this.content(repoPath);
      this.digests.set(
        repoPath,
        c?.kind === 'file'
          ? evidenceDigest(repoPath, {
              ...(c.text !== undefined ? { text: c.text } : {}),
              ...(c.sha256 !== undefined ? { bytesSha256: c.sha256 } : {}),
            })
          : undefined,
      );
    }
    return this.digests.get(repoPath);
  }
}

/**
 * What judging a sign-off at one side needs: its date, the manifest's path and the digests of
 * its evidence files as they are at that side. Every sign-off diff judges goes through here.
 */
export function signOffContext(side: EvidenceSide, reader?: SideReader): SignOffContext {
  const r = reader ?? new SideReader(side);
  return {
    today: side.today ?? NO_TODAY,
    identity: 'author',
    ...side.signOff,
    manifestPath: side.path,
    evidenceDigest: (repoPath) => r.digest(repoPath),
  };
}

/** What an approval signs: a phase, a reassessment or a waiver, by its id. */
export type SignOffSubject =
  { phase: ApprovablePhase } | { reassessment: string } | { waiver: string };

/** The state of each sign-off a subject needs at one side (see src/core/approvals.ts). */
export function signOffStatesAt(
  side: EvidenceSide,
  subject: SignOffSubject,
  reader?: SideReader,
): ApprovalState[] {
  const manifest = side.data as Manifest;
  const ctx = signOffContext(side, reader);
  if ('phase' in subject) return approvalStates(manifest, subject.phase, ctx);
  if ('reassessment' in subject)
    return reassessmentApprovalStates(manifest, subject.reassessment, ctx);
  return waiverApprovalStates(manifest, subject.waiver, ctx);
}

/** Bounds an observed value is judged against. */
type Bounds =
  | { kind: 'range'; min?: number; max?: number }
  | {
      kind: 'value';
      direction: Direction;
      minimum?: number;
      target?: number;
      tolerance?: number;
    };

/** A value read from evidence: a guardrail's (or one of its groups') or a value metric's. */
interface Item {
  key: string;
  kind: 'guardrail' | 'valueMetric';
  id: string;
  dimension?: string;
  phase?: 'build' | 'monitor';
  group?: string;
  metric: string;
  ref: EvidenceRef & { repoPath: string };
  /** The pointer the value is looked for at (undefined: `/<metric>`, then `/metrics/<metric>`). */
  pointer?: string;
  bounds: Bounds;
  idPath: string[];
}

const located = (ref: EvidenceRef): ref is EvidenceRef & { repoPath: string } =>
  ref.repoPath !== undefined;

/** Every value the side reads from evidence, as rules B3, M1 and M3 read it, by key. */
function itemsOf(reader: SideReader): Map<string, Item> {
  const out = new Map<string, Item>();
  const manifest = reader.manifest;
  const refs = new Map<string, EvidenceRef>();
  for (const r of reader.refs)
    if (r.kind === 'guardrail') refs.set(`${r.phase}\0${r.dimension}\0${r.index}`, r);
  let built: Map<string, unknown> | undefined;
  for (const { dimension, index, guardrail: g } of listGuardrails(manifest)) {
    const id = str(g.id);
    if (id === undefined) continue;
    const metric = String(g.metric);
    const bounds: Bounds = { kind: 'range', ...minMax(g.min, g.max) };
    const groups = Array.isArray(g.groups)
      ? g.groups.filter((x): x is string => typeof x === 'string')
      : [];
    for (const phase of guardrailPhases(g)) {
      const ref = refs.get(`${phase}\0${dimension}\0${index}`);
      if (!ref || !located(ref)) continue;
      if (phase === 'monitor') {
        // live evidence that is a build report is never read as live (rule M1)
        built ??= buildEvidencePaths(manifest, reader.side.path);
        if (built.has(ref.repoPath)) continue;
      }
      const base = ['envision', 'trustworthyAI', dimension, 'guardrails', id, 'observed', phase];
      const item = { kind: 'guardrail' as const, id, dimension, phase, metric, ref, bounds };
      out.set(`guardrail\0${id}\0${phase}`, {
        ...item,
        key: `guardrail\0${id}\0${phase}`,
        ...(ref.pointer !== undefined ? { pointer: ref.pointer } : {}),
        idPath: base,
      });
      for (const group of groups) {
        const key = `guardrail\0${id}\0${phase}\0${group}`;
        out.set(key, {
          ...item,
          key,
          group,
          pointer: groupPointer(group, metric),
          idPath: [...base, group],
        });
      }
    }
  }
  const vt = reader.refs.find((r) => r.kind === 'valueTracking');
  const metrics = isObj(manifest.envision) ? manifest.envision.valueMetrics : undefined;
  if (vt && located(vt) && Array.isArray(metrics)) {
    for (const raw of metrics) {
      if (!isObj(raw)) continue;
      const m = raw as unknown as ValueMetric;
      const id = str(m.id);
      if (id === undefined) continue;
      const direction: Direction =
        m.direction === 'decrease' || m.direction === 'maintain' ? m.direction : 'increase';
      const minimum = num(m.minimumAcceptable);
      const target = num(m.target?.value);
      const tolerance = direction === 'maintain' ? toleranceOf(m) : undefined;
      const pointer = metricPointer(vt.pointer, id);
      const key = `valueMetric\0${id}`;
      out.set(key, {
        key,
        kind: 'valueMetric',
        id,
        metric: id,
        ref: vt,
        ...(pointer !== undefined ? { pointer } : {}),
        bounds: {
          kind: 'value',
          direction,
          ...(minimum !== undefined ? { minimum } : {}),
          ...(target !== undefined ? { target } : {}),
          ...(tolerance !== undefined ? { tolerance } : {}),
        },
        idPath: ['envision', 'valueMetrics', id, 'observed'],
      });
    }
  }
  return out;
}

function minMax(min: unknown, max: unknown): { min?: number; max?: number } {
  const a = num(min);
  const b = num(max);
  return { ...(a !== undefined ? { min: a } : {}), ...(b !== undefined ? { max: b } : {}) };
}

/** Where an item's value is read: the same at both sides when the file and pointer are. */
const sourceOf = (i: Item): string => canonicalJson([i.ref.repoPath, i.pointer ?? null, i.metric]);

/** The value of an item at a side, with the pointer it was found at. */
function observed(reader: SideReader, item: Item): { value: number; pointer: string } | undefined {
  const parsed = reader.data(item.ref.repoPath);
  if (!parsed?.ok) return undefined;
  if (item.group !== undefined) {
    const v = num(resolvePointer(parsed.data, item.pointer!));
    return v === undefined ? undefined : { value: v, pointer: item.pointer! };
  }
  const o = observe(parsed.data, item.metric, item.pointer);
  return o.value === undefined ? undefined : { value: o.value, pointer: o.pointer };
}

/**
 * How far a value is inside its bounds: positive inside, negative outside, by the bound it is
 * nearest to (guardrails), or its minimum in the metric's direction (value metrics); a value
 * metric without a minimum is measured from zero in its direction, so that only the direction
 * counts. Undefined when nothing bounds it.
 */
function margin(bounds: Bounds, v: number): { margin: number; bound?: 'min' | 'max' } | undefined {
  if (bounds.kind === 'range') {
    const below = bounds.min !== undefined ? v - bounds.min : undefined;
    const above = bounds.max !== undefined ? bounds.max - v : undefined;
    if (below === undefined && above === undefined) return undefined;
    if (above === undefined || (below !== undefined && below <= above))
      return { margin: below!, bound: 'min' };
    return { margin: above, bound: 'max' };
  }
  if (bounds.direction === 'maintain') {
    if (bounds.target === undefined) return undefined;
    return { margin: (bounds.tolerance ?? 0) - Math.abs(v - bounds.target) };
  }
  const sign = bounds.direction === 'decrease' ? -1 : 1;
  return { margin: sign * (v - (bounds.minimum ?? 0)) };
}

/** Whether a value lies outside its bounds (a value metric: worse than its minimum). */
function outside(bounds: Bounds, v: number): boolean {
  if (bounds.kind === 'range')
    return (
      (bounds.min !== undefined && v < bounds.min) || (bounds.max !== undefined && v > bounds.max)
    );
  if (bounds.direction === 'maintain') {
    if (bounds.target === undefined || bounds.tolerance === undefined) return false;
    const scale = Math.max(1, Math.abs(v), Math.abs(bounds.target));
    return Math.abs(v - bounds.target) > bounds.tolerance + scale * 1e-12;
  }
  if (bounds.minimum === undefined) return false;
  return bounds.direction === 'decrease' ? v > bounds.minimum : v < bounds.minimum;
}

/** How a moved value stands against its bounds: the class and the words' note. */
export type Standing =
  | 'breached'
  | 'further'
  | 'stillOut'
  | 'backIn'
  | 'toward'
  | 'away'
  | 'moved'
  | 'appeared'
  | 'vanished';

/**
 * The class of a move from `v0` (judged by the base's bounds) to `v1` (by the head's): out of
 * bounds at the head when it was in, or further out than it was, is `breached` (an error); in
 * bounds and nearer to them, `degraded`; back in bounds, or further from them, `improved`. A
 * value that is no longer observed is degraded; one observed for the first time is breached
 * when out of bounds. Anything else (no bounds, a move along them) is an evidence change.
 */
function judge(
  before: Bounds,
  after: Bounds,
  v0: number | undefined,
  v1: number | undefined,
): { class: ChangeClass; standing: Standing } {
  if (v1 === undefined) return { class: 'degraded', standing: 'vanished' };
  if (v0 === undefined)
    return outside(after, v1)
      ? { class: 'breached', standing: 'appeared' }
      : { class: 'evidence', standing: 'appeared' };
  const m0 = margin(after, v0);
  const m1 = margin(after, v1);
  if (m0 === undefined || m1 === undefined) return { class: 'evidence', standing: 'moved' };
  const wasOut = outside(before, v0);
  if (outside(after, v1)) {
    if (!wasOut) return { class: 'breached', standing: 'breached' };
    return m1.margin < m0.margin
      ? { class: 'breached', standing: 'further' }
      : { class: 'improved', standing: 'stillOut' };
  }
  if (wasOut) return { class: 'improved', standing: 'backIn' };
  if (m1.margin < m0.margin) return { class: 'degraded', standing: 'toward' };
  if (m1.margin > m0.margin) return { class: 'improved', standing: 'away' };
  return { class: 'evidence', standing: 'moved' };
}

/** The bound the words name: the nearest to the new value. */
function boundArgs(bounds: Bounds, v: number | undefined): Partial<ChangeArgs> {
  if (bounds.kind === 'range') {
    const near = v === undefined ? undefined : margin(bounds, v)?.bound;
    return {
      ...(bounds.min !== undefined ? { min: bounds.min } : {}),
      ...(bounds.max !== undefined ? { max: bounds.max } : {}),
      ...(near ? { bound: near } : {}),
    };
  }
  return {
    direction: bounds.direction,
    ...(bounds.minimum !== undefined ? { minimum: bounds.minimum } : {}),
    ...(bounds.target !== undefined ? { target: bounds.target } : {}),
    ...(bounds.tolerance !== undefined ? { tolerance: bounds.tolerance } : {}),
  };
}

/** A pair's two sides, each read once. */
interface Pair {
  base: SideReader;
  head: SideReader;
  moved: boolean;
  /** The file is the same at both sides: nothing read from it can differ. */
  same(basePath: string, headPath: string): boolean;
  /** `phaseMayDiffer`, by phase, once computed. */
  phases: Map<ApprovablePhase, boolean>;
}

function pairOf(base: EvidenceSide, head: EvidenceSide, differs: (p: string) => boolean): Pair {
  const moved = base.path !== head.path;
  const same = (b: string, h: string): boolean => !moved && b === h && !differs(b);
  // a file the same at both sides is read once, at either
  const shared =
    (other: EvidenceLookup): EvidenceLookup =>
    (p) =>
      moved || differs(p) ? undefined : other(p);
  return {
    base: new SideReader(base, shared(head.files)),
    head: new SideReader(head, shared(base.files)),
    moved,
    same,
    phases: new Map(),
  };
}

/** Evidence entries named at a side, by their path relative to the manifest's folder. */
function evidenceByKey(reader: SideReader): Map<string, EvidenceRef & { repoPath: string }> {
  const out = new Map<string, EvidenceRef & { repoPath: string }>();
  for (const ref of reader.refs)
    if (located(ref)) {
      const key = evidenceKey(reader.side.path, ref.repoPath);
      if (!out.has(key)) out.set(key, ref);
    }
  return out;
}

/** Equal as data (key order aside), stopping at the first difference. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameData(x, b[i]));
  }
  const x = a as Obj;
  const y = b as Obj;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter((k) => y[k] !== undefined).length) return false;
  return keys.every((k) => Object.hasOwn(y, k) && sameData(x[k], y[k]));
}

/** Whether any approval of `phase` at the side records evidence digests (binds files). */
function bindsFiles(manifest: Manifest, phase: ApprovablePhase): boolean {
  return (
    Array.isArray(manifest.approvals) &&
    manifest.approvals.some((a) => isObj(a) && a.phase === phase && isObj(a.evidence))
  );
}

/**
 * Whether anything that decides the sign-off of `phase` may differ between the sides: its
 * section (monitor for deploy; metadata for envision), the waivers, or a file its approvals bind.
 */
function phaseMayDiffer(pair: Pair, phase: ApprovablePhase): boolean {
  let known = pair.phases.get(phase);
  if (known === undefined) pair.phases.set(phase, (known = phaseMayDifferNow(pair, phase)));
  return known;
}

function phaseMayDifferNow(pair: Pair, phase: ApprovablePhase): boolean {
  if (pair.moved) return true;
  const a = pair.base.manifest as unknown as Obj;
  const b = pair.head.manifest as unknown as Obj;
  if (!sameData(a[phase], b[phase]) || !sameData(a.waivers, b.waivers)) return true;
  if (phase === 'deploy' && !sameData(a.monitor, b.monitor)) return true;
  if (
    phase === 'envision' &&
    !['metadata', 'apiVersion', 'kind'].every((k) => sameData(a[k], b[k]))
  )
    return true;
  const files = [...pair.base.bound(phase), ...pair.head.bound(phase)];
  return files.some((f) => !pair.same(f.repoPath, f.repoPath));
}

/** The phases whose sign-offs bind evidence at a side and may differ: their bound files are read. */
function signOffPhases(pair: Pair): ApprovablePhase[] {
  return PHASES.filter(
    (phase) =>
      (bindsFiles(pair.base.manifest, phase) || bindsFiles(pair.head.manifest, phase)) &&
      phaseMayDiffer(pair, phase),
  );
}

/**
 * The evidence files to read for a pair of manifests: at each side, the files whose content
 * may differ and that an observed value, an evidence entry named at both sides, or the
 * approvals of a phase that may have changed read. Nothing when nothing can differ.
 */
export function wantedEvidence(
  base: { data: unknown; path: string },
  head: { data: unknown; path: string },
  differs: (repoPath: string) => boolean,
): EvidenceWanted {
  const wanted: EvidenceWanted = { base: new Set(), head: new Set() };
  if (!isObj(base.data) || !isObj(head.data)) return wanted;
  const none = (): undefined => undefined;
  const pair = pairOf({ ...base, files: none }, { ...head, files: none }, differs);
  const before = pair.base.items;
  for (const [key, after] of pair.head.items) {
    const was = before.get(key);
    if (!was) continue;
    if (sourceOf(was) === sourceOf(after) && pair.same(was.ref.repoPath, after.ref.repoPath))
      continue;
    wanted.base.add(was.ref.repoPath);
    wanted.head.add(after.ref.repoPath);
  }
  const keysBefore = evidenceByKey(pair.base);
  for (const [key, after] of evidenceByKey(pair.head)) {
    const was = keysBefore.get(key);
    if (!was || pair.same(was.repoPath, after.repoPath)) continue;
    wanted.base.add(was.repoPath);
    wanted.head.add(after.repoPath);
  }
  for (const phase of signOffPhases(pair)) {
    for (const f of pair.base.bound(phase)) wanted.base.add(f.repoPath);
    for (const f of pair.head.bound(phase)) wanted.head.add(f.repoPath);
  }
  return wanted;
}

/** Whether a pair wants any file read. */
export const wantsAny = (w: EvidenceWanted): boolean => w.base.size + w.head.size > 0;

/** The approval at `index` of the head's list (where a stale approval is shown). */
function approvalAt(manifest: Manifest, approval: Approval | undefined): PathSegment[] {
  const list = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  const index = approval ? list.indexOf(approval) : -1;
  return index >= 0 ? ['approvals', index] : list.length > 0 ? ['approvals'] : [];
}

function stakeholderName(manifest: Manifest, id: string): string | undefined {
  const list = manifest.envision?.stakeholders;
  if (!Array.isArray(list)) return undefined;
  const s = list.find((x) => isObj(x) && x.id === id);
  return s && typeof s.name === 'string' ? s.name : undefined;
}

/**
 * The approvals current at the base that the change makes stale at the head: for each subject
 * (a phase that may differ, a waiver, a reassessment), the approval of a role that was current
 * and that the same role still has, now stale.
 */
function staleApprovals(pair: Pair, manifestFile: string): RawEvidenceChange[] {
  const out: RawEvidenceChange[] = [];
  const head = pair.head.manifest;
  // only an approval with an id can be current (see src/core/approvals.ts)
  const list = (pair.base.manifest as unknown as Obj).approvals;
  if (!Array.isArray(list) || !list.some((a) => isObj(a) && typeof a.id === 'string')) return out;
  const subjects: SignOffSubject[] = PHASES.filter((p) => phaseMayDiffer(pair, p)).map((phase) => ({
    phase,
  }));
  const ids = (list: unknown): string[] =>
    Array.isArray(list)
      ? [...new Set(list.flatMap((x) => (isObj(x) && typeof x.id === 'string' ? [x.id] : [])))]
      : [];
  const before = pair.base.manifest as unknown as Obj;
  const after = head as unknown as Obj;
  if (!sameData(before.waivers, after.waivers))
    subjects.push(...ids(before.waivers).map((waiver) => ({ waiver })));
  const reassessments = (m: Obj): unknown =>
    isObj(m.monitor) ? (m.monitor as Obj).reassessments : undefined;
  if (!sameData(reassessments(before), reassessments(after)))
    subjects.push(...ids(reassessments(before)).map((reassessment) => ({ reassessment })));
  for (const subject of subjects) {
    // no approval signed the section as it was: none can have been current
    if ('phase' in subject && !signedAsItWas(pair.base.manifest, subject.phase)) continue;
    const was = signOffStatesAt(pair.base.side, subject, pair.base);
    const current = was.filter((s) => s.status === 'current' && typeof s.approval?.id === 'string');
    if (current.length === 0) continue;
    const now = signOffStatesAt(pair.head.side, subject, pair.head);
    for (const s of current) {
      const id = s.approval!.id!;
      const then = now.find((n) => n.role === s.role && n.approval?.id === id);
      if (!then || then.status !== 'stale') continue;
      const a = then.approval!;
      const by = String(a.by);
      const name = stakeholderName(head, by);
      const files = (then.changed ?? []).map((c) => c.repoPath);
      out.push({
        class: 'stale',
        section: null,
        path: ['approvals', id],
        at: approvalAt(head, a),
        args: {
          what: 'staleApproval',
          subject: 'approval',
          key: id,
          ...('phase' in subject ? { phase: subject.phase } : {}),
          ...('reassessment' in subject ? { reassessment: subject.reassessment } : {}),
          ...('waiver' in subject ? { waiver: subject.waiver } : {}),
          role: String(then.role),
          by,
          ...(name !== undefined ? { name } : {}),
          date: String(a.date),
          sectionChanged: then.sectionChanged === true,
          files,
          file: manifestFile,
        },
      });
    }
  }
  return out;
}

/** Why nothing was read from a file, for the words of a value no longer observed. */
function unreadArgs(c: EvidenceContent | undefined): { unread?: string } {
  if (c?.kind === 'missing') return { unread: 'missing' };
  return c?.kind === 'unread' ? { unread: c.reason } : {};
}

/** Whether an approval of `phase` with an id carries the digest of the section as it is. */
function signedAsItWas(manifest: Manifest, phase: ApprovablePhase): boolean {
  const list = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  const mine = list.filter((a) => isObj(a) && a.phase === phase && typeof a.id === 'string');
  if (mine.length === 0) return false;
  const digest = digestOf((manifest as unknown as Obj)[phase]);
  return mine.some((a) => a.digest === digest);
}

/** What an evidence entry proves, for words: the first entry that names the file. */
function proves(ref: EvidenceRef): { proves: EvidenceKind; item?: string } {
  return { proves: ref.kind, ...(ref.item !== undefined ? { item: ref.item } : {}) };
}

/**
 * The changes evidence makes to a pair of manifests (both parsed): each observed value that
 * moved (with its bounds, its old and new values and the file it is read from), each other
 * evidence file named at both sides whose content changed, and each approval current at the
 * base that the head makes stale. `manifestFile` is the head's path, for hints.
 */
export function evidenceChanges(
  base: EvidenceSide,
  head: EvidenceSide,
  differs: (repoPath: string) => boolean,
  manifestFile: string,
  options: { signOffsOnly?: boolean } = {},
): RawEvidenceChange[] {
  if (!isObj(base.data) || !isObj(head.data)) return [];
  const pair = pairOf(base, head, differs);
  if (options.signOffsOnly) return staleApprovals(pair, manifestFile);
  const out: RawEvidenceChange[] = [];
  // the files a moved value was reported from: their change needs no line of its own
  const reported = new Set<string>();
  const before = pair.base.items;
  const after = pair.head.items;
  for (const [key, item] of after) {
    const was = before.get(key);
    if (!was) continue;
    if (sourceOf(was) === sourceOf(item) && pair.same(was.ref.repoPath, item.ref.repoPath))
      continue;
    // a file that was not read at a side says nothing about the value there
    if (!pair.base.content(was.ref.repoPath) || !pair.head.content(item.ref.repoPath)) continue;
    const o0 = observed(pair.base, was);
    const o1 = observed(pair.head, item);
    if (o0?.value === o1?.value) continue;
    const verdict = judge(was.bounds, item.bounds, o0?.value, o1?.value);
    reported.add(item.ref.repoPath);
    out.push({
      class: verdict.class,
      // a build report is what a build sign-off binds; live evidence binds none
      section: item.kind === 'guardrail' && item.phase === 'build' ? 'build' : null,
      path: item.idPath,
      at: item.ref.at,
      ...(o0 ? { old: o0.value } : {}),
      ...(o1 ? { new: o1.value } : {}),
      args: {
        what: 'observed',
        subject: item.kind,
        key: item.id,
        ...(item.dimension !== undefined ? { dimension: item.dimension } : {}),
        ...(item.phase !== undefined ? { phase: item.phase } : {}),
        ...(item.group !== undefined ? { group: item.group } : {}),
        metric: item.metric,
        standing: verdict.standing,
        ...boundArgs(item.bounds, o1?.value ?? o0?.value),
        ...(o0 ? { old: o0.value } : {}),
        ...(o1 ? { new: o1.value } : {}),
        evidence: item.ref.repoPath,
        ...((o1 ?? o0) ? { pointer: (o1 ?? o0)!.pointer } : {}),
        ...(o1 ? {} : unreadArgs(pair.head.content(item.ref.repoPath))),
      },
    });
  }
  const keysBefore = evidenceByKey(pair.base);
  for (const [key, ref] of evidenceByKey(pair.head)) {
    const was = keysBefore.get(key);
    if (!was || pair.same(was.repoPath, ref.repoPath) || reported.has(ref.repoPath)) continue;
    const c0 = pair.base.content(was.repoPath);
    const c1 = pair.head.content(ref.repoPath);
    if (!c0 || !c1) continue;
    const d0 = pair.base.digest(was.repoPath);
    const d1 = pair.head.digest(ref.repoPath);
    const present = (c: EvidenceContent): boolean => c.kind !== 'missing';
    let op: 'added' | 'deleted' | undefined;
    let unread: string | undefined;
    if (!present(c0) && !present(c1)) continue;
    if (!present(c1)) op = 'deleted';
    else if (!present(c0)) op = 'added';
    else if (d0 !== undefined && d1 !== undefined) {
      // the same content, reformatted: nothing an approval or a rule reads changed
      if (d0 === d1) continue;
    } else
      unread = c1.kind === 'unread' ? c1.reason : c0.kind === 'unread' ? c0.reason : 'unreadable';
    out.push({
      class: 'evidence',
      section: null,
      ...(op === 'deleted' ? { severity: 'warning' as const } : {}),
      path: ['evidence', key],
      at: ref.at,
      ...(d0 !== undefined ? { old: d0 } : {}),
      ...(d1 !== undefined ? { new: d1 } : {}),
      args: {
        what: 'evidence',
        ...(op ? { op } : {}),
        ...proves(ref),
        evidence: ref.repoPath,
        ...(unread ? { unread } : {}),
      },
    });
  }
  out.push(...staleApprovals(pair, manifestFile));
  return out;
}
