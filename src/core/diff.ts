import { requiredApproverRoles } from './approvals.js';
import type { ApprovablePhase, SignOffContext } from './approvals.js';
import type { DiffCode } from './codes/index.js';
import { canonicalJson, digestOf } from './digest.js';
import {
  EVIDENCE_CLASSES,
  evidenceChanges,
  signOffStatesAt,
  wantedEvidence,
  wantsAny,
} from './diff-evidence.js';
import type {
  EvidenceAccess,
  EvidenceLookup,
  EvidenceSide,
  EvidenceWanted,
  PairEvidence,
  RawEvidenceChange,
} from './diff-evidence.js';
import { isObj, survivingPath, walkManifests } from './diff-walk.js';
import type { ChangeArgs, ChangeClass, RawChange } from './diff-walk.js';
import { bumpCovers, bumpSize, compareSemVer, nextVersion, parseSemVer } from './diff-version.js';
import type { Bump } from './diff-version.js';
import { countFindings, finding } from './findings.js';
import type { Finding, FindingCounts, PathSegment, Severity } from './findings.js';
import { RISK_TIERS } from './manifest.js';
import type { Manifest } from './manifest.js';

export type { ChangeArgs, ChangeClass, ChangeNote, SubjectKind } from './diff-walk.js';
export type {
  EvidenceAccess,
  EvidenceContent,
  EvidenceLookup,
  EvidenceWanted,
  PairEvidence,
} from './diff-evidence.js';

/** The sign-offs that acknowledge a loosened or breaking change. */
export interface Acknowledgement {
  phase: ApprovablePhase;
  approvals: { role: string; by: string; name?: string; date: string; decision: string }[];
}

/** The finding code of each class of change. */
export const CHANGE_CODES = {
  loosened: 'CHANGE_LOOSENED',
  breaking: 'CHANGE_BREAKING',
  removed: 'CHANGE_REMOVED',
  changed: 'CHANGE_CHANGED',
  added: 'CHANGE_ADDED',
  tightened: 'CHANGE_TIGHTENED',
  breached: 'CHANGE_BREACHED',
  degraded: 'CHANGE_DEGRADED',
  improved: 'CHANGE_IMPROVED',
  evidence: 'CHANGE_EVIDENCE',
  stale: 'CHANGE_STALE_APPROVAL',
} as const satisfies Record<ChangeClass, DiffCode>;

export type ChangeCode = (typeof CHANGE_CODES)[ChangeClass];

/**
 * One semantic change to one manifest, as a finding: its words come from `code` and `args`
 * (src/report/messages/diff.ts); `path`, `line` and `column` say where it is in the head (a
 * removal: the nearest parent still there; a deleted manifest: the base).
 */
export interface Change extends Finding {
  code: ChangeCode;
  class: ChangeClass;
  /** `metadata.name` (at the head; at the base when deleted). */
  model: string;
  /** The manifest's path (at the head; at the base when deleted). */
  file: string;
  /** Where, by key and by id (never by list position): `['envision', 'valueMetrics', 'churn-rate', 'target', 'value']`. */
  idPath: string[];
  old?: unknown;
  new?: unknown;
  args: ChangeArgs & {
    model: string;
    class: ChangeClass;
    /** On a loosened or breaking change nothing acknowledges: who must sign off, for the hint. */
    section?: ApprovablePhase;
    roles?: readonly string[];
    file?: string;
  };
  /** The phase whose sign-off acknowledges this change (see `sectionOf`). */
  section?: ApprovablePhase;
  /** Set when current approvals acknowledge a loosened or breaking change: a warning, then. */
  acknowledged?: Acknowledgement;
  /** Stable across commits: see `diffFingerprint`. */
  fingerprint: string;
}

export type DiffFindingCode = Exclude<DiffCode, ChangeCode>;

/**
 * A finding about a manifest's diff that is not itself a change: a version rule, or a side that
 * does not parse (CANNOT_DIFF) or does not validate (SIDE_INVALID).
 */
export interface DiffFinding extends Finding {
  code: DiffFindingCode;
  model: string;
  file: string;
  fingerprint: string;
  /** CANNOT_DIFF and SIDE_INVALID: what reading that side found, exactly as `validate` reports it. */
  findings?: Finding[];
}

/** Where a path of a side's text is: the reader's `locate`. */
export type Locate = (
  path: readonly PathSegment[],
  target?: 'key' | 'value',
) => { line: number; column: number };

/** A manifest at one side, as the reader returned it. */
export interface ManifestSide {
  /** Repository-relative path (or the path as given, comparing two files). */
  file: string;
  /** The data; a side whose data is not a mapping does not parse. */
  data?: unknown;
  /** What reading it found (YAML, schema and consistency), located, as `validate` reports them. */
  findings?: readonly Finding[];
  locate?: Locate;
}

export interface ManifestDiff {
  model: string;
  /** The head's path; the base's when deleted. */
  file: string;
  /** `unchanged` when the files differ only in comments, layout or order of list items. */
  status: 'added' | 'deleted' | 'changed' | 'unchanged' | 'unparseable';
  baseFile?: string;
  headFile?: string;
  baseVersion?: string;
  headVersion?: string;
  changes: Change[];
  findings: DiffFinding[];
}

const SEVERITY: Record<ChangeClass, Severity> = {
  loosened: 'error',
  breaking: 'error',
  removed: 'warning',
  changed: 'info',
  added: 'info',
  tightened: 'info',
  breached: 'error',
  degraded: 'warning',
  improved: 'info',
  evidence: 'info',
  stale: 'warning',
};

/** The order changes are shown in: what a reviewer must look at first. */
export const CLASS_ORDER: readonly ChangeClass[] = [
  'loosened',
  'breaking',
  'breached',
  'degraded',
  'stale',
  'removed',
  'changed',
  'evidence',
  'improved',
  'added',
  'tightened',
];

const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;

function metadataOf(m: unknown): Record<string, unknown> {
  return isObj(m) && isObj(m.metadata) ? m.metadata : {};
}

function modelName(m: unknown): string | undefined {
  const name = metadataOf(m).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * The fingerprint of a change: the first 16 hex digits of the sha256 of the canonical JSON of
 * `[model, class, path, old, new]` (a missing side as `null`; `path` by ids, never positions).
 * The severity and acknowledgement are not part of it, nor the file's path or line, so the same
 * change keeps its fingerprint in a later commit, after a reorder or a move, and once it is
 * signed off. Diff findings put their code in place of the class.
 */
export function diffFingerprint(
  model: string,
  cls: string,
  path: readonly string[],
  old: unknown,
  next: unknown,
): string {
  return digestOf([model, cls, path, old ?? null, next ?? null]).slice(
    'sha256:'.length,
    'sha256:'.length + 16,
  );
}

/**
 * Which phase's sign-off acknowledges a change at `path`: the section it sits in; `monitor`
 * (which has no approval of its own) by `deploy`, whose approval puts the model live with its
 * monitoring; `metadata`, `apiVersion` and `kind` by `envision`, where the business case and
 * risk tier are signed off; a waiver by the phase of the rule it waives (E envision, B build,
 * D and M deploy, G envision). Approvals themselves and a deleted manifest have none.
 */
export function sectionOf(path: readonly string[]): ApprovablePhase | undefined {
  const [top, key] = path;
  if (top === 'envision' || top === 'build' || top === 'deploy') return top;
  if (top === 'monitor') return 'deploy';
  if (top === 'metadata' || top === 'apiVersion' || top === 'kind') return 'envision';
  if (top === 'waivers') {
    const letter = (key ?? '').charAt(0).toUpperCase();
    return letter === 'B' ? 'build' : letter === 'D' || letter === 'M' ? 'deploy' : 'envision';
  }
  return undefined;
}

function stricterTier(before: unknown, after: unknown): string | undefined {
  const tiers = [metadataOf(before).riskTier, metadataOf(after).riskTier].map(String);
  const ranked = tiers.filter((t) => (RISK_TIERS as readonly string[]).includes(t));
  ranked.sort((a, b) => RISK_TIERS.indexOf(b as never) - RISK_TIERS.indexOf(a as never));
  return ranked[0] ?? str(metadataOf(after).riskTier);
}

function stakeholderName(manifest: unknown, id: string): string | undefined {
  const list =
    isObj(manifest) && isObj(manifest.envision) ? manifest.envision.stakeholders : undefined;
  if (!Array.isArray(list)) return undefined;
  const s = list.find((x) => isObj(x) && x.id === id);
  return isObj(s) ? str(s.name) : undefined;
}

/**
 * A change is acknowledged when the head carries a current approval of its section from every
 * role rule G3 requires, at the stricter of the two risk tiers (lowering the tier cannot skip a
 * sign-off), and none of those approvals was already current at the base: an approval given
 * before the change cannot have seen it. Current means as `check` judges it at the head: its
 * digests match the section and every evidence file the phase binds as they are at the head
 * (an approval without evidence digests is not current).
 */
function acknowledgementOf(
  phase: ApprovablePhase,
  before: unknown,
  after: unknown,
  head: EvidenceSide,
): Acknowledgement | undefined {
  if (
    !isObj(after) ||
    !Array.isArray(after.approvals) ||
    !after.approvals.some((a) => isObj(a) && a.phase === phase)
  )
    return undefined;
  const riskTier = stricterTier(before, after);
  const view = { ...after, metadata: { ...metadataOf(after), riskTier } } as unknown as Manifest;
  const states = signOffStatesAt({ ...head, data: view }, { phase });
  if (states.length === 0 || states.some((s) => s.status !== 'current' || !s.approval))
    return undefined;
  if (isObj(before)) {
    const baseDigest = digestOf(before[phase]);
    const baseApprovals = new Set(
      (Array.isArray(before.approvals) ? before.approvals : []).map((a) => canonicalJson(a)),
    );
    if (
      states.some(
        (s) => s.approval?.digest === baseDigest && baseApprovals.has(canonicalJson(s.approval)),
      )
    )
      return undefined;
  }
  return {
    phase,
    approvals: states.map((s) => {
      const by = str(s.approval?.by) ?? '?';
      const name = stakeholderName(after, by);
      return {
        role: s.role,
        by,
        ...(name ? { name } : {}),
        date: str(s.approval?.date) ?? '?',
        decision: str(s.approval?.decision) ?? '?',
      };
    }),
  };
}

function sortChanges(changes: Change[]): Change[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => CLASS_ORDER.indexOf(x.c.class) - CLASS_ORDER.indexOf(y.c.class) || x.i - y.i)
    .map(({ c }) => c);
}

/** `path` in the side's data and, when the side can locate, its line and column. */
function place(
  data: unknown,
  at: readonly PathSegment[],
  locate: Locate | undefined,
): Pick<Finding, 'path' | 'line' | 'column' | 'target'> {
  const path = survivingPath(data, at);
  return { path, target: 'key', ...(locate ? locate(path, 'key') : {}) };
}

function finish(
  raw: RawChange | RawEvidenceChange,
  model: string,
  file: string,
  acknowledge: (phase: ApprovablePhase) => Acknowledgement | undefined,
  tier: string | undefined,
  head: { data: unknown; locate?: Locate | undefined },
): Change {
  const section = 'section' in raw ? (raw.section ?? undefined) : sectionOf(raw.path);
  let severity = ('severity' in raw ? raw.severity : undefined) ?? SEVERITY[raw.class];
  let acknowledged: Acknowledgement | undefined;
  let signOff: { section: ApprovablePhase; roles: string[]; file: string } | undefined;
  if (severity === 'error' && section) {
    acknowledged = acknowledge(section);
    if (acknowledged) severity = 'warning';
    else signOff = { section, roles: requiredApproverRoles(tier), file };
  }
  const code = CHANGE_CODES[raw.class];
  return {
    ...finding(code, [], {}, { severity }),
    code,
    ...place(head.data, raw.at, head.locate),
    file,
    args: { ...raw.args, model, class: raw.class, ...signOff },
    class: raw.class,
    model,
    idPath: raw.path,
    ...(raw.old === undefined ? {} : { old: raw.old }),
    ...(raw.new === undefined ? {} : { new: raw.new }),
    ...(section ? { section } : {}),
    ...(acknowledged ? { acknowledged } : {}),
    ...(signOff
      ? {
          fix: {
            kind: 'command' as const,
            argv: ['mlops', 'approve', file, '--phase', signOff.section, '--by', 'STAKEHOLDER_ID'],
          },
        }
      : {}),
    fingerprint: diffFingerprint(model, raw.class, raw.path, raw.old, raw.new),
  };
}

/** What diffing two manifests needs besides their data. */
export interface DiffManifestsOptions {
  /** The head's path (repository-relative comparing revisions). */
  file?: string;
  /** The base's path, when it differs (a move); default `file`. */
  baseFile?: string;
  model?: string;
  locate?: Locate;
  /**
   * The evidence files at both sides. Without them, no evidence is compared, and an approval
   * that binds evidence cannot be shown current (comparing two files).
   */
  evidence?: PairEvidence;
  /** Approvals dated after this day are ignored (default: none is). */
  today?: string;
  /** The two texts are the same: only what evidence changes is looked for. */
  sameText?: boolean;
  /** Who signed at the head (commits, identity mode), as `check` judges it; absent: not judged. */
  headSignOff?: Partial<SignOffContext>;
}

const NO_EVIDENCE: PairEvidence = {
  base: () => undefined,
  head: () => undefined,
  differs: () => true,
};

/**
 * The semantic changes from one manifest to another (plain data, as parsed), each a finding
 * with a class, a severity (after acknowledgement), a place in `after` (with a line and column
 * when `locate` reads `after`'s text) and a fingerprint, loosened first; then what the
 * evidence they name changed (see src/core/diff-evidence.ts). Never throws.
 */
export function diffManifests(
  before: unknown,
  after: unknown,
  options: DiffManifestsOptions = {},
): Change[] {
  const model =
    modelName(after) ?? modelName(before) ?? options.model ?? options.file ?? 'manifest';
  const file = options.file ?? '';
  const evidence = options.evidence ?? NO_EVIDENCE;
  const today = options.today !== undefined ? { today: options.today } : {};
  const baseSide: EvidenceSide = {
    data: before,
    path: options.baseFile ?? file,
    files: evidence.base,
    ...today,
  };
  const headSide: EvidenceSide = {
    data: after,
    path: file,
    files: evidence.head,
    ...today,
    ...(options.headSignOff ? { signOff: options.headSignOff } : {}),
  };
  const memo = new Map<ApprovablePhase, Acknowledgement | undefined>();
  const acknowledge = (phase: ApprovablePhase): Acknowledgement | undefined => {
    if (!memo.has(phase)) memo.set(phase, acknowledgementOf(phase, before, after, headSide));
    return memo.get(phase);
  };
  const tier = stricterTier(before, after);
  const head = { data: after, locate: options.locate };
  const raws: (RawChange | RawEvidenceChange)[] = options.sameText
    ? []
    : walkManifests(before, after);
  raws.push(
    ...evidenceChanges(baseSide, headSide, evidence.differs, file, {
      signOffsOnly: evidence.signOffsOnly === true,
    }),
  );
  return sortChanges(raws.map((raw) => finish(raw, model, file, acknowledge, tier, head)));
}

/** Whether a change is one evidence makes, not one of the manifest's text. */
export function isEvidenceChange(c: Pick<Change, 'class'>): boolean {
  return (EVIDENCE_CLASSES as readonly string[]).includes(c.class);
}

/**
 * Approvals, waivers and reassessments are records about a version (decisions on it), and a
 * move is not an edit: none needs a bump.
 */
function needsVersion(c: Change): boolean {
  return (
    !isEvidenceChange(c) &&
    c.idPath.length > 0 &&
    c.idPath[0] !== 'approvals' &&
    c.idPath[0] !== 'waivers' &&
    !(c.idPath[0] === 'monitor' && c.idPath[1] === 'reassessments')
  );
}

/** The bump the changes need, and which of them need it ("the loosened changes need"). */
function neededBump(changes: readonly Change[]): {
  bump: Bump;
  classes: ChangeClass[];
  count: number;
} {
  const present = (list: ChangeClass[]): ChangeClass[] =>
    list.filter((cls) => changes.some((c) => c.class === cls));
  const counted = (list: ChangeClass[]) => ({
    classes: list,
    count: changes.filter((c) => list.includes(c.class)).length,
  });
  const major = present(['breaking', 'loosened']);
  if (major.length > 0) return { bump: 'major', ...counted(major) };
  if (present(['added']).length > 0) return { bump: 'minor', ...counted(['added']) };
  return { bump: 'patch', classes: [], count: changes.length };
}

/**
 * The versioning rule: a changed manifest's `metadata.version` goes up by at least the bump
 * its changes need (major for breaking or loosened, minor for added, patch otherwise; below
 * 1.0.0 one size smaller, as semver ranges read it), and never goes down.
 */
export function versionFindings(
  before: unknown,
  after: unknown,
  changes: readonly Change[],
  model: string,
  file: string,
  locate?: Locate,
): DiffFinding[] {
  const from = str(metadataOf(before).version);
  const to = str(metadataOf(after).version);
  const counted = changes.filter(needsVersion);
  const report = (code: DiffFindingCode, args: Finding['args'], next?: string): DiffFinding[] => [
    {
      ...finding(code, [], { model, ...args }),
      code,
      ...place(after, ['metadata', 'version'], locate),
      model,
      file,
      ...(next
        ? { fix: { kind: 'edit', op: 'set', path: ['metadata', 'version'], value: next } }
        : {}),
      fingerprint: diffFingerprint(model, code, ['metadata', 'version'], from, to),
    },
  ];
  const a = parseSemVer(from);
  const b = parseSemVer(to);
  if (!a || !b) {
    if (counted.length === 0 && from === to) return [];
    return report('VERSION_INVALID', { value: !a ? from : to });
  }
  const order = compareSemVer(b, a);
  const { bump, classes, count } = neededBump(counted);
  const next = nextVersion(a, bump);
  const belowOne = a.major === 0 && bump !== 'patch';
  if (order < 0) return report('VERSION_DOWNGRADED', { from, to, next }, next);
  if (counted.length === 0) return [];
  const args = { from, to, bump, next, belowOne, classes, count };
  if (order === 0) return report('VERSION_NOT_BUMPED', args, next);
  if (!bumpCovers(bumpSize(a, b), bump)) return report('VERSION_BUMP_TOO_SMALL', args, next);
  return [];
}

function manifestChange(
  cls: ChangeClass,
  model: string,
  side: ManifestSide,
  old: unknown,
  next: unknown,
  args: ChangeArgs,
): Change {
  const code = CHANGE_CODES[cls];
  return {
    ...finding(code, [], {}),
    code,
    ...place(side.data, [], side.locate),
    file: side.file,
    args: { ...args, model, class: cls },
    class: cls,
    model,
    idPath: [],
    ...(old === undefined ? {} : { old }),
    ...(next === undefined ? {} : { new: next }),
    fingerprint: diffFingerprint(model, cls, [], old, next),
  };
}

/** The side's findings, each with its file. */
function ownFindings(side: ManifestSide): Finding[] {
  return (side.findings ?? []).map((f) => (f.file ? f : { ...f, file: side.file }));
}

/**
 * A side that does not parse (CANNOT_DIFF) or parses with errors (SIDE_INVALID): an error at
 * the head, a warning at the base (whose state the change did not cause), at the first error,
 * carrying all the side's findings. Its fingerprint keeps to the codes of the errors, so it
 * survives moves and edits elsewhere in the file.
 */
function sideFinding(
  code: 'CANNOT_DIFF' | 'SIDE_INVALID',
  name: 'base' | 'head',
  side: ManifestSide,
  model: string,
): DiffFinding {
  const findings = ownFindings(side);
  const errors = findings.filter((f) => f.severity === 'error');
  const first = errors[0];
  const codes = [...new Set(errors.map((f) => f.code))].sort();
  const counts: FindingCounts = countFindings(findings);
  return {
    ...finding(
      code,
      [],
      { model, side: name, file: side.file, ...counts },
      { severity: name === 'head' ? 'error' : 'warning' },
    ),
    code,
    model,
    file: side.file,
    ...(first?.line !== undefined ? { line: first.line, column: first.column ?? 1 } : {}),
    fingerprint: diffFingerprint(model, code, [name], codes, null),
    findings,
  };
}

const parses = (side: ManifestSide | undefined): boolean => side === undefined || isObj(side.data);
const hasErrors = (side: ManifestSide | undefined): boolean =>
  side?.findings?.some((f) => f.severity === 'error') ?? false;

/**
 * Diffs one manifest across two sides. A side that is missing is an added or deleted manifest.
 * The manifest moved only when the sides were paired by `metadata.name` from two paths
 * (`movedByName`); two files compared as given, whatever their names, are not a move.
 * A side that does not parse is a CANNOT_DIFF finding and nothing is compared; a side that parses
 * with errors is a SIDE_INVALID finding and is still compared. Either is an error at the head
 * and a warning at the base. Deleting a manifest is `breaking` (its value metrics and
 * guardrails go with it) unless it was `retired` at the base, when it is `removed`.
 */
export function diffManifestPair(
  base: ManifestSide | undefined,
  head: ManifestSide | undefined,
  options: {
    /** The sides were paired by `metadata.name`: a different path is a move. */
    movedByName?: boolean;
    /** No move, whatever the paths: what happens without `movedByName` anyway. */
    ignoreMove?: boolean;
  } & Pick<DiffManifestsOptions, 'evidence' | 'today' | 'sameText' | 'headSignOff'> = {},
): ManifestDiff {
  const side = head ?? base;
  if (!side) throw new TypeError('diffManifestPair needs at least one side');
  const model = modelName(head?.data) ?? modelName(base?.data) ?? side.file;
  const file = side.file;
  const from = str(metadataOf(base?.data).version);
  const to = str(metadataOf(head?.data).version);
  const result: ManifestDiff = {
    model,
    file,
    status: 'changed',
    ...(base ? { baseFile: base.file } : {}),
    ...(head ? { headFile: head.file } : {}),
    ...(from ? { baseVersion: from } : {}),
    ...(to ? { headVersion: to } : {}),
    changes: [],
    findings: [],
  };
  for (const [name, s] of [
    ['head', head],
    ['base', base],
  ] as const) {
    // a text that did not change: its findings are not the change's
    if (options.sameText) break;
    if (s && !parses(s)) result.findings.push(sideFinding('CANNOT_DIFF', name, s, model));
    else if (s && hasErrors(s)) result.findings.push(sideFinding('SIDE_INVALID', name, s, model));
  }
  if (!parses(head) || !parses(base)) {
    result.status = 'unparseable';
    return result;
  }
  if (!base) {
    result.status = 'added';
    result.changes.push(
      manifestChange('added', model, head!, undefined, file, {
        what: 'manifest',
        op: 'added',
        file,
        ...(to ? { version: to } : {}),
      }),
    );
    return result;
  }
  if (!head) {
    result.status = 'deleted';
    const retired = metadataOf(base.data).status === 'retired';
    result.changes.push(
      manifestChange(retired ? 'removed' : 'breaking', model, base, file, undefined, {
        what: 'manifest',
        op: 'deleted',
        file,
        retired,
      }),
    );
    return result;
  }
  const changes = diffManifests(base.data, head.data, {
    file: head.file,
    baseFile: base.file,
    model,
    ...(head.locate ? { locate: head.locate } : {}),
    ...(options.evidence ? { evidence: options.evidence } : {}),
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.headSignOff ? { headSignOff: options.headSignOff } : {}),
    ...(options.sameText ? { sameText: true } : {}),
  });
  if (options.movedByName === true && !options.ignoreMove && base.file !== head.file) {
    changes.unshift(
      manifestChange('changed', model, head, base.file, head.file, {
        what: 'manifest',
        op: 'moved',
        old: base.file,
        new: head.file,
      }),
    );
  }
  result.changes = sortChanges(changes);
  if (!options.sameText)
    result.findings.push(
      ...versionFindings(base.data, head.data, changes, model, file, head.locate),
    );
  if (result.changes.length === 0 && result.findings.length === 0) result.status = 'unchanged';
  return result;
}

/** A side found at one path only, kept for matching by name: its source, not its parse. */
interface Lonely<T> {
  source: T;
  /** `metadata.name`, copied off the text. */
  name: string | undefined;
  /** Its diff as an added or deleted manifest, should no other side take its name. */
  alone: ManifestDiff;
}

/** The lonely sides whose name is found once among them, by name. */
function uniqueByName<T>(sides: readonly Lonely<T>[]): Map<string, Lonely<T>> {
  const out = new Map<string, Lonely<T>>();
  const seen = new Set<string>();
  for (const s of sides) {
    const name = s.name;
    if (!name) continue;
    if (seen.has(name)) out.delete(name);
    else out.set(name, s);
    seen.add(name);
  }
  return out;
}

/**
 * A diff as plain data of its own. The strings a parser gives are slices of the text it read:
 * a diff kept for the report would keep every text it came from, so every string is copied.
 */
function detached(diff: ManifestDiff): ManifestDiff {
  return structuredClone(diff);
}

/** Pairs of sides, one path at a time; see `manifestSetDiffer`. */
export interface ManifestSetDiffer<T> {
  /**
   * The sides found at one path (one may be missing). Both: they are read and compared at
   * once, and only the diff is kept. One: it is kept for `finish` to match by name.
   */
  add(base: T | undefined, head: T | undefined): void;
  /** A diff made elsewhere (of a pair found at one path), kept as the others. */
  keep(diff: ManifestDiff): void;
  /**
   * The lonely sides paired by a `metadata.name` found once among those of each side (a move),
   * each pair once; the rest are added or deleted, kept for `finish`.
   */
  moves(): [T, T][];
  /** Every diff, sorted by file, once the lonely sides are matched by `metadata.name`. */
  finish(): ManifestDiff[];
}

/**
 * Diffs the manifests of two sides as they come, so that at most one pair is read at a time:
 * matched by path (`add`), then (for files that moved) by a `metadata.name` found once among
 * the unmatched files of each side; the rest are added or deleted. `read` turns a source (a
 * text) into a side; a side matched by name is read again then, so that only the few lonely
 * sources are kept, never what reading them built. With `detach`, every diff kept is copied
 * off the texts it was read from.
 */
export function manifestSetDiffer<T>(
  read: (source: T) => ManifestSide,
  options: { detach?: boolean } = {},
): ManifestSetDiffer<T> {
  const keep = options.detach ? detached : (diff: ManifestDiff): ManifestDiff => diff;
  const diffs: ManifestDiff[] = [];
  const lonelyBase: Lonely<T>[] = [];
  const lonelyHead: Lonely<T>[] = [];
  const lonely = (source: T, side: ManifestSide, which: 'base' | 'head'): Lonely<T> => {
    const name = modelName(side.data);
    return {
      source,
      name: name === undefined ? undefined : (JSON.parse(JSON.stringify(name)) as string),
      alone: keep(
        which === 'base' ? diffManifestPair(side, undefined) : diffManifestPair(undefined, side),
      ),
    };
  };
  let matched: [T, T][] | undefined;
  const moves = (): [T, T][] => {
    if (matched) return matched;
    matched = [];
    const used = new Set<Lonely<T>>();
    const headNames = uniqueByName(lonelyHead);
    for (const [name, b] of uniqueByName(lonelyBase)) {
      const h = headNames.get(name);
      if (!h) continue;
      matched.push([b.source, h.source]);
      used.add(h);
      used.add(b);
    }
    for (const b of lonelyBase) if (!used.has(b)) diffs.push(b.alone);
    for (const h of lonelyHead) if (!used.has(h)) diffs.push(h.alone);
    return matched;
  };
  return {
    add(base, head) {
      if (base !== undefined && head !== undefined) {
        diffs.push(keep(diffManifestPair(read(base), read(head))));
      } else if (base !== undefined) {
        lonelyBase.push(lonely(base, read(base), 'base'));
      } else if (head !== undefined) {
        lonelyHead.push(lonely(head, read(head), 'head'));
      }
    },
    keep(diff) {
      diffs.push(keep(diff));
    },
    moves,
    finish() {
      if (!matched)
        for (const [b, h] of moves())
          diffs.push(keep(diffManifestPair(read(b), read(h), { movedByName: true })));
      return diffs.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
    },
  };
}

/**
 * Diffs the manifests of two sides: matched by path, then (for files that moved) by a
 * `metadata.name` found once among the unmatched files of each side; the rest are added or
 * deleted. Sorted by file. Pass only files that may differ: identical ones add nothing.
 */
export function diffManifestSets(
  base: readonly ManifestSide[],
  head: readonly ManifestSide[],
): ManifestDiff[] {
  const differ = manifestSetDiffer((side: ManifestSide) => side);
  const headByFile = new Map(head.map((h) => [h.file, h]));
  const used = new Set<ManifestSide>();
  for (const b of base) {
    const h = headByFile.get(b.file);
    if (h && !used.has(h)) {
      differ.add(b, h);
      used.add(h);
    } else differ.add(b, undefined);
  }
  for (const h of head) if (!used.has(h)) differ.add(undefined, h);
  return differ.finish();
}

/**
 * The sources of one path at both sides (one may be missing). `same`: the two texts are the
 * same, and the pair is there for what its evidence may have changed.
 */
export interface SourcePair<T> {
  base?: T | undefined;
  head?: T | undefined;
  same?: boolean;
}

/** What `diffManifestStream` needs besides the sources. */
export interface DiffStreamOptions<T> {
  /** The evidence files of both sides: without it, no evidence is compared. */
  evidence?: EvidenceAccess;
  /** Reads a text's data and places without judging it (a text that did not change); default `read`. */
  peek?: (source: T) => ManifestSide;
  /** Approvals dated after this day are ignored. */
  today?: string;
  /**
   * Who signed at the head, for the manifests of one batch (their head path and data): the
   * commits that added their approvals and the identity mode, by head path.
   */
  signOffs?: (
    heads: readonly { path: string; data: unknown }[],
  ) => Promise<ReadonlyMap<string, Partial<SignOffContext>>>;
}

const NO_FILES: EvidenceLookup = () => undefined;

/** What judging who signed reads of a manifest: its approvals, waivers and stakeholders. */
function signingData(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return {};
  const m = data as { approvals?: unknown; waivers?: unknown; envision?: unknown };
  const envision = m.envision as { stakeholders?: unknown } | null | undefined;
  return {
    approvals: m.approvals,
    waivers: m.waivers,
    envision: {
      stakeholders: envision && typeof envision === 'object' ? envision.stakeholders : undefined,
    },
  };
}

/**
 * `diffManifestSets` over sides that come a batch of paths at a time (see
 * `manifestSetDiffer`): what each pair read to is dropped once it is compared. With `evidence`,
 * a pair whose evidence may have changed waits for the end of its batch, when the files every
 * such pair of the batch names are read at once; it is then read again and compared with them.
 * A pair of the same texts (`same`) is compared for its evidence only.
 */
export async function diffManifestStream<T>(
  batches: AsyncIterable<readonly SourcePair<T>[]>,
  read: (source: T) => ManifestSide,
  options: DiffStreamOptions<T> = {},
): Promise<ManifestDiff[]> {
  const { evidence } = options;
  const peek = options.peek ?? read;
  const differ = manifestSetDiffer(read, { detach: true });
  const today = options.today !== undefined ? { today: options.today } : {};
  const sides = (pair: { base: T; head: T; same?: boolean }): [ManifestSide, ManifestSide] => {
    if (!pair.same) return [read(pair.base), read(pair.head)];
    const side = peek(pair.base);
    return [side, side];
  };
  /** Compares the pairs with the files they want, read at once. */
  const compare = async (
    pairs: readonly { base: T; head: T; same?: boolean; moved?: boolean }[],
  ): Promise<void> => {
    const wanted: EvidenceWanted = { base: new Set(), head: new Set() };
    // each pair is read once here; those whose evidence is read are read again below
    const heads: { path: string; data: unknown }[] = [];
    const now: { pair: (typeof pairs)[number]; b: ManifestSide; h: ManifestSide }[] = [];
    const later: (typeof pairs)[number][] = [];
    for (const pair of pairs) {
      const [b, h] = sides(pair);
      // what judging who signed reads: the approvals, waivers and stakeholders
      if (options.signOffs) heads.push({ path: h.file, data: signingData(h.data) });
      const w = evidence
        ? wantedEvidence(
            { data: b.data, path: b.file },
            { data: h.data, path: h.file },
            evidence.differs,
          )
        : wanted;
      if (evidence && wantsAny(w)) {
        w.base.forEach((p) => wanted.base.add(p));
        w.head.forEach((p) => wanted.head.add(p));
        later.push(pair);
      } else now.push({ pair, b, h });
    }
    const signed = options.signOffs ? await options.signOffs(heads) : undefined;
    const headSignOff = (h: ManifestSide): { headSignOff?: Partial<SignOffContext> } => {
      const ctx = signed?.get(h.file);
      return ctx ? { headSignOff: ctx } : {};
    };
    for (const { pair, b, h } of now) {
      const files = {
        base: NO_FILES,
        head: NO_FILES,
        differs: evidence?.differs ?? (() => true),
        signOffsOnly: true,
      };
      const diff = diffManifestPair(b, h, {
        ...today,
        ...headSignOff(h),
        ...(pair.moved ? { movedByName: true } : {}),
        ...(pair.same ? { sameText: true } : {}),
        ...(evidence ? { evidence: files } : {}),
      });
      if (diff.status !== 'unchanged') differ.keep(diff);
    }
    now.length = 0;
    if (later.length === 0 || !evidence) return;
    const files = await evidence.read(wanted);
    for (const pair of later) {
      const [b, h] = sides(pair);
      const diff = diffManifestPair(b, h, {
        ...today,
        ...headSignOff(h),
        ...(pair.moved ? { movedByName: true } : {}),
        ...(pair.same ? { sameText: true } : {}),
        evidence: { ...files, differs: evidence.differs },
      });
      if (diff.status !== 'unchanged') differ.keep(diff);
    }
  };
  for await (const batch of batches) {
    const both: { base: T; head: T; same?: boolean }[] = [];
    for (const pair of batch) {
      if (pair.base !== undefined && pair.head !== undefined)
        both.push({ base: pair.base, head: pair.head, ...(pair.same ? { same: true } : {}) });
      else differ.add(pair.base, pair.head);
    }
    await compare(both);
  }
  await compare(differ.moves().map(([base, head]) => ({ base, head, moved: true })));
  return differ.finish();
}

/** One side of a diff as the user named it. */
export interface DiffSide {
  /** How the reports name it: "main", "merge-base of HEAD and origin/HEAD", "working tree", a file. */
  label: string;
  /** The revision as given, when one was. */
  rev?: string;
  /** The resolved commit, when the side is a commit. */
  commit?: string;
}

/** Everything a diff reporter needs. */
export interface DiffResult {
  base: DiffSide;
  head: DiffSide;
  /** Manifests looked at (both sides, matched), including the unchanged ones. */
  compared: number;
  /** Manifests with a change or a finding, by file. */
  manifests: ManifestDiff[];
  /**
   * The absolute folder the manifests' paths are relative to: the repository root comparing
   * revisions, the current folder comparing two files. Absent: the repository root.
   */
  root?: string;
}

/** Every change and finding of a result, in report order: what `--fail-on` and the counts see. */
export function allItems(result: DiffResult): (Change | DiffFinding)[] {
  return result.manifests.flatMap((m) => [...m.changes, ...m.findings]);
}
