import { approvalStates, requiredApproverRoles } from './approvals.js';
import type { ApprovablePhase } from './approvals.js';
import { canonicalJson, digestOf } from './digest.js';
import { isObj, walkManifests } from './diff-walk.js';
import type { ChangeClass, RawChange } from './diff-walk.js';
import { bumpCovers, bumpSize, compareSemVer, nextVersion, parseSemVer } from './diff-version.js';
import type { Bump } from './diff-version.js';
import { RISK_TIERS } from './manifest.js';
import type { Manifest } from './manifest.js';

export type { ChangeClass } from './diff-walk.js';
export type ChangeLevel = 'error' | 'warn' | 'info';

/** The sign-offs that acknowledge a loosened or breaking change. */
export interface Acknowledgement {
  phase: ApprovablePhase;
  approvals: { role: string; by: string; name?: string; date: string; decision: string }[];
}

/** One semantic change to one manifest. */
export interface Change extends RawChange {
  level: ChangeLevel;
  /** `metadata.name` (at the head; at the base when deleted). */
  model: string;
  /** The manifest's path (at the head; at the base when deleted). */
  file: string;
  /** The phase whose sign-off acknowledges this change (see `sectionOf`). */
  section?: ApprovablePhase;
  /** Present when a current approval acknowledges a loosened or breaking change (level drops to warn). */
  acknowledged?: Acknowledgement;
  /** What would acknowledge or fix it. */
  hint?: string;
  /** The description with the model name, and who acknowledged it. */
  message: string;
  /** Stable across commits: see `fingerprintOf`. */
  fingerprint: string;
}

export type DiffFindingCode =
  | 'CANNOT_DIFF'
  | 'VERSION_NOT_BUMPED'
  | 'VERSION_BUMP_TOO_SMALL'
  | 'VERSION_DOWNGRADED'
  | 'VERSION_INVALID';

/** A finding about a manifest's diff that is not itself a change: a version rule, an unreadable side. */
export interface DiffFinding {
  code: DiffFindingCode;
  level: ChangeLevel;
  model: string;
  file: string;
  message: string;
  hint?: string;
  fingerprint: string;
}

/** A manifest at one side: its parsed data, or why it could not be parsed. */
export interface ManifestSide {
  /** Repository-relative path (or the path as given, comparing two files). */
  file: string;
  data?: unknown;
  /** Set when the side does not parse: the first error with `file:line:column`. */
  error?: string;
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

const LEVEL: Record<ChangeClass, ChangeLevel> = {
  loosened: 'error',
  breaking: 'error',
  removed: 'warn',
  changed: 'info',
  added: 'info',
  tightened: 'info',
};

/** The order changes are shown in: what a reviewer must look at first. */
export const CLASS_ORDER: readonly ChangeClass[] = [
  'loosened',
  'breaking',
  'removed',
  'changed',
  'added',
  'tightened',
];

const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
const code = (s: string): string => `\`${s}\``;

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
 * The level and acknowledgement are not part of it, nor the file's path, so the same change
 * keeps its fingerprint in a later commit, after a reorder or a move, and once it is signed off.
 */
export function fingerprintOf(
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
 * before the change cannot have seen it.
 */
function acknowledgementOf(
  phase: ApprovablePhase,
  before: unknown,
  after: unknown,
): Acknowledgement | undefined {
  if (
    !isObj(after) ||
    !Array.isArray(after.approvals) ||
    !after.approvals.some((a) => isObj(a) && a.phase === phase)
  )
    return undefined;
  const riskTier = stricterTier(before, after);
  const view = { ...after, metadata: { ...metadataOf(after), riskTier } } as unknown as Manifest;
  const states = approvalStates(view, phase);
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

/** "envision signed off by Helena Marsh (decision_maker) on 2026-10-01 and ..." */
export function describeAcknowledgement(ack: Acknowledgement): string {
  const who = ack.approvals.map((a) => {
    const detail = a.decision === 'conditional' ? `${a.role}, conditional` : a.role;
    return `${a.name ?? code(a.by)} (${detail}) on ${a.date}`;
  });
  const list =
    who.length > 1 ? `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}` : (who[0] ?? '');
  return `${ack.phase} signed off by ${list}`;
}

function sortChanges(changes: Change[]): Change[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => CLASS_ORDER.indexOf(x.c.class) - CLASS_ORDER.indexOf(y.c.class) || x.i - y.i)
    .map(({ c }) => c);
}

function finish(
  raw: RawChange,
  model: string,
  file: string,
  acknowledge: (phase: ApprovablePhase) => Acknowledgement | undefined,
  tier: string | undefined,
): Change {
  const section = sectionOf(raw.path);
  let level = LEVEL[raw.class];
  let acknowledged: Acknowledgement | undefined;
  let hint: string | undefined;
  if (level === 'error' && section) {
    acknowledged = acknowledge(section);
    if (acknowledged) level = 'warn';
    else {
      const roles = requiredApproverRoles(tier).join(', ');
      hint = `to acknowledge a deliberate change to ${section}, sign off ${section} again (${roles}): mlops approve ${file} --phase ${section} --by <stakeholder>`;
    }
  }
  const message = `${model}: ${raw.description}${acknowledged ? `; acknowledged: ${describeAcknowledgement(acknowledged)}` : ''}`;
  return {
    ...raw,
    level,
    model,
    file,
    ...(section ? { section } : {}),
    ...(acknowledged ? { acknowledged } : {}),
    ...(hint ? { hint } : {}),
    message,
    fingerprint: fingerprintOf(model, raw.class, raw.path, raw.old, raw.new),
  };
}

/**
 * The semantic changes from one manifest to another (plain data, as parsed), each with a
 * class, a level (after acknowledgement) and a fingerprint, loosened first. Never throws.
 */
export function diffManifests(
  before: unknown,
  after: unknown,
  options: { file?: string; model?: string } = {},
): Change[] {
  const model =
    modelName(after) ?? modelName(before) ?? options.model ?? options.file ?? 'manifest';
  const file = options.file ?? '';
  const memo = new Map<ApprovablePhase, Acknowledgement | undefined>();
  const acknowledge = (phase: ApprovablePhase): Acknowledgement | undefined => {
    if (!memo.has(phase)) memo.set(phase, acknowledgementOf(phase, before, after));
    return memo.get(phase);
  };
  const tier = stricterTier(before, after);
  return sortChanges(
    walkManifests(before, after).map((raw) => finish(raw, model, file, acknowledge, tier)),
  );
}

/** Approvals and waivers are records about a version, and a move is not an edit: neither needs a bump. */
function needsVersion(c: Change): boolean {
  return c.path.length > 0 && c.path[0] !== 'approvals' && c.path[0] !== 'waivers';
}

function neededBump(changes: readonly Change[]): { bump: Bump; why: string } {
  const classes = (list: ChangeClass[]): ChangeClass[] =>
    list.filter((cls) => changes.some((c) => c.class === cls));
  const major = classes(['breaking', 'loosened']);
  const one = (list: ChangeClass[], noun: string): string => {
    const n = changes.filter((c) => list.includes(c.class)).length;
    return `the ${list.join(' and ')} ${n === 1 ? `${noun} needs` : `${noun}s need`}`;
  };
  if (major.length > 0) return { bump: 'major', why: one(major, 'change') };
  if (classes(['added']).length > 0) return { bump: 'minor', why: one(['added'], 'item') };
  return { bump: 'patch', why: changes.length === 1 ? 'the change needs' : 'the changes need' };
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
): DiffFinding[] {
  const from = str(metadataOf(before).version);
  const to = str(metadataOf(after).version);
  const counted = changes.filter(needsVersion);
  const finding = (c: DiffFindingCode, message: string, hint?: string): DiffFinding[] => [
    {
      code: c,
      level: 'error',
      model,
      file,
      message: `${model}: ${message}`,
      ...(hint ? { hint } : {}),
      fingerprint: fingerprintOf(model, c, ['metadata', 'version'], from, to),
    },
  ];
  const a = parseSemVer(from);
  const b = parseSemVer(to);
  if (!a || !b) {
    if (counted.length === 0 && from === to) return [];
    const bad = !a ? from : to;
    return finding(
      'VERSION_INVALID',
      `version ${bad === undefined ? '(none)' : JSON.stringify(bad)} is not a semantic version (MAJOR.MINOR.PATCH); cannot check the bump`,
      'set metadata.version to a version such as 1.0.0',
    );
  }
  const order = compareSemVer(b, a);
  const { bump, why } = neededBump(counted);
  const next = nextVersion(a, bump);
  const below1 = a.major === 0 && bump !== 'patch' ? `, which below 1.0.0 is ${next}` : `: ${next}`;
  if (order < 0) {
    return finding(
      'VERSION_DOWNGRADED',
      `version went down: ${from} → ${to}; a manifest's version only goes up`,
      `set metadata.version to ${next} or later`,
    );
  }
  if (counted.length === 0) return [];
  if (order === 0) {
    return finding(
      'VERSION_NOT_BUMPED',
      `version ${from} did not go up; ${why} a ${bump} bump${below1}`,
      `set metadata.version to ${next}`,
    );
  }
  if (!bumpCovers(bumpSize(a, b), bump)) {
    return finding(
      'VERSION_BUMP_TOO_SMALL',
      `version ${from} → ${to} is too small a step; ${why} a ${bump} bump${below1}`,
      `set metadata.version to ${next}`,
    );
  }
  return [];
}

function manifestChange(
  cls: ChangeClass,
  model: string,
  file: string,
  path: string[],
  old: unknown,
  next: unknown,
  description: string,
  hint?: string,
): Change {
  return {
    class: cls,
    level: LEVEL[cls],
    model,
    file,
    path,
    field: 'manifest',
    ...(old === undefined ? {} : { old }),
    ...(next === undefined ? {} : { new: next }),
    description,
    message: `${model}: ${description}`,
    ...(hint ? { hint } : {}),
    fingerprint: fingerprintOf(model, cls, path, old, next),
  };
}

/**
 * Diffs one manifest across two sides. A side that is missing is an added or deleted manifest;
 * a side that did not parse is a finding (an error at the head, a warning at the base) and
 * nothing else is compared. Deleting a manifest is `breaking` (its value metrics and guardrails
 * go with it) unless it was `retired` at the base, when it is `removed`.
 */
export function diffManifestPair(
  base: ManifestSide | undefined,
  head: ManifestSide | undefined,
  options: { ignoreMove?: boolean } = {},
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
  if (head?.error !== undefined || base?.error !== undefined) {
    result.status = 'unparseable';
    for (const [name, s, level] of [
      ['head', head, 'error'],
      ['base', base, 'warn'],
    ] as const) {
      if (s?.error === undefined) continue;
      result.findings.push({
        code: 'CANNOT_DIFF',
        level,
        model,
        file: s.file,
        message: `${model}: cannot diff: ${name} does not parse: ${s.error}`,
        hint:
          name === 'head'
            ? `fix the YAML, then run \`mlops validate ${s.file}\``
            : 'the base is broken, so nothing is compared; review the head as a whole',
        fingerprint: fingerprintOf(model, 'CANNOT_DIFF', [name], s.error, null),
      });
    }
    return result;
  }
  if (!base) {
    result.status = 'added';
    result.changes.push(
      manifestChange(
        'added',
        model,
        file,
        [],
        undefined,
        file,
        `manifest added at ${file}${to ? ` (version ${to})` : ''}`,
      ),
    );
    return result;
  }
  if (!head) {
    result.status = 'deleted';
    const retired = metadataOf(base.data).status === 'retired';
    result.changes.push(
      retired
        ? manifestChange(
            'removed',
            model,
            file,
            [],
            file,
            undefined,
            `manifest deleted from ${file} (it was retired)`,
          )
        : manifestChange(
            'breaking',
            model,
            file,
            [],
            file,
            undefined,
            `manifest deleted from ${file}: its value metrics and guardrails go with it`,
            'to retire a model, first set metadata.status: retired in one change, then delete the manifest',
          ),
    );
    return result;
  }
  const changes = diffManifests(base.data, head.data, { file: head.file, model });
  if (!options.ignoreMove && base.file !== head.file) {
    changes.unshift(
      manifestChange(
        'changed',
        model,
        file,
        [],
        base.file,
        head.file,
        `moved from ${base.file} to ${head.file}`,
      ),
    );
  }
  result.changes = sortChanges(changes);
  result.findings = versionFindings(base.data, head.data, changes, model, file);
  if (result.changes.length === 0 && result.findings.length === 0) result.status = 'unchanged';
  return result;
}

function uniqueByName(sides: readonly ManifestSide[]): Map<string, ManifestSide> {
  const out = new Map<string, ManifestSide>();
  const seen = new Set<string>();
  for (const s of sides) {
    const name = modelName(s.data);
    if (!name) continue;
    if (seen.has(name)) out.delete(name);
    else out.set(name, s);
    seen.add(name);
  }
  return out;
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
  const headByFile = new Map(head.map((h) => [h.file, h]));
  const pairs: [ManifestSide | undefined, ManifestSide | undefined][] = [];
  const used = new Set<ManifestSide>();
  const lonelyBase: ManifestSide[] = [];
  for (const b of base) {
    const h = headByFile.get(b.file);
    if (h && !used.has(h)) {
      pairs.push([b, h]);
      used.add(h);
    } else lonelyBase.push(b);
  }
  const lonelyHead = head.filter((h) => !used.has(h));
  const headNames = uniqueByName(lonelyHead);
  for (const [name, b] of uniqueByName(lonelyBase)) {
    const h = headNames.get(name);
    if (!h) continue;
    pairs.push([b, h]);
    used.add(h);
    used.add(b);
  }
  for (const b of lonelyBase) if (!used.has(b)) pairs.push([b, undefined]);
  for (const h of lonelyHead) if (!used.has(h)) pairs.push([undefined, h]);
  return pairs
    .map(([b, h]) => diffManifestPair(b, h))
    .sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
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
}

export interface LevelCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** Every change and finding of a result, in report order. */
export function allItems(result: DiffResult): (Change | DiffFinding)[] {
  return result.manifests.flatMap((m) => [...m.changes, ...m.findings]);
}

export function countLevels(items: readonly { level: ChangeLevel }[]): LevelCounts {
  const counts: LevelCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const i of items) {
    if (i.level === 'error') counts.errors++;
    else if (i.level === 'warn') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}
