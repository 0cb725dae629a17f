import type { Args, Fix, PathSegment } from '../findings.js';
import type { CheckCode } from '../codes/index.js';
import { DIMENSIONS } from '../manifest.js';
import type { DimensionKey, Manifest, Phase } from '../manifest.js';
import { isObject, list, str } from './util.js';

/** What the working tree holds for a tracked path that differs from its last commit. */
export type WorkingState = 'untracked' | 'modified' | 'staged' | 'deleted';

/**
 * The symbolic links a path leads through, when it leads through any: `links` are the
 * repository paths of the links followed, in order, `target` the repository path of what they
 * lead to (the file actually read). Such evidence counts only when every link and the target are
 * committed and unmodified.
 */
export interface Through {
  links?: string[];
  target?: string;
}

/** What kind of thing other than a regular file a path names. */
export type SpecialType =
  'directory' | 'fifo' | 'character device' | 'block device' | 'socket' | 'other';

/** An evidence file as io found it on disk; io never reads a file that leads out of the repository. */
export type EvidenceFile =
  | ({ kind: 'file'; text?: string; sha256?: string } & Through)
  | ({ kind: 'missing' } & Through)
  /** `link`: the repository path of the link that leads out; `target`: where it leads (absolute). */
  | { kind: 'outside'; link?: string; target?: string }
  /** Never opened: a folder, a FIFO, a device or a socket. */
  | ({ kind: 'not_a_file'; type?: SpecialType } & Through)
  /** Over `limit` bytes (`for`: why it was read), refused after reading at most limit + 1 bytes. */
  | ({ kind: 'too_large'; size: number; limit: number; for: 'value' | 'sha256' } & Through)
  | ({ kind: 'unreadable'; reason: string } & Through);

/** What git and the disk say about evidence files: plain data gathered by io. */
export interface EvidenceState {
  /** Files in the index (`git ls-files`). */
  tracked: ReadonlySet<string>;
  /** Tracked files that differ from HEAD in the index or working tree (`git status`). */
  workingState: ReadonlyMap<string, WorkingState>;
  /** Evidence files as found on disk; undefined when io was not asked for the path. */
  evidence: (repoPath: string) => EvidenceFile | undefined;
}

/** What an evidence entry proves; reporters word it ("model card", "guardrail `auc`"). */
export type EvidenceKind =
  | 'guardrail'
  | 'evaluation'
  | 'datasheet'
  | 'modelCard'
  | 'dpia'
  | 'threatModel'
  | 'runbook'
  | 'oversightProcedure'
  | 'training'
  | 'instrumentation'
  | 'drift'
  | 'valueTracking'
  | 'governance'
  // EU AI Act documents (src/core/eu-ai-act.ts)
  | 'instructionsForUse'
  | 'loggingSpec'
  | 'qualityManagement'
  | 'conformityAssessment'
  | 'euDeclaration'
  | 'fria'
  | 'disclosure'
  | 'postMarketPlan'
  | 'incidentProcedure';

/** One Evidence entry of a manifest, resolved against the manifest's folder. */
export interface EvidenceRef {
  phase: Phase;
  kind: EvidenceKind;
  /** The id of the item it belongs to (the value metric of an instrumentation). */
  item?: string;
  /** The position of that item in its list. */
  index?: number;
  /** The Trustworthy AI dimension of a guardrail. */
  dimension?: DimensionKey;
  /** Where the entry sits in the manifest. */
  at: PathSegment[];
  /** The path as written. */
  raw: string;
  /** Repository-relative path; absent when the path leaves the repository. */
  repoPath?: string;
  /** Why the path was refused: it is absolute, or `..` climbs out of the repository. */
  escape?: 'absolute' | 'outside';
  pointer?: string;
  sha256?: string;
  /** The file is read for an observed value (JSON or YAML). */
  readsValue: boolean;
}

/** The repository-relative folder of a repository-relative file. */
export function dirOf(repoPath: string): string {
  const i = repoPath.lastIndexOf('/');
  return i < 0 ? '' : repoPath.slice(0, i);
}

/**
 * Resolves an evidence path written relative to the manifest's folder into a repository-relative
 * one, purely on the text: absolute paths and `..` that climbs above the repository are refused.
 * (Symlinks are io's business: it never reads one that leads outside.)
 */
export function resolveEvidencePath(
  manifestPath: string,
  raw: string,
): { repoPath: string } | { escape: 'absolute' | 'outside' } {
  if (
    raw.startsWith('/') ||
    raw.startsWith('\\') ||
    /^[A-Za-z]:/.test(raw) ||
    raw.startsWith('~')
  ) {
    return { escape: 'absolute' };
  }
  const parts = dirOf(manifestPath)
    .split('/')
    .filter((p) => p !== '');
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0 || parts[parts.length - 1] === '..') return { escape: 'outside' };
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  // A manifest outside the repository (its path starts with ..) has no evidence inside it.
  if (parts.length === 0 || parts[0] === '..') return { escape: 'outside' };
  return { repoPath: parts.join('/') };
}

/** Phases a guardrail is active in (`phases`, default build and monitor). */
export function guardrailPhases(g: { phases?: unknown }): ('build' | 'monitor')[] {
  const p = list(g.phases).filter(
    (x): x is 'build' | 'monitor' => x === 'build' || x === 'monitor',
  );
  return Array.isArray(g.phases) ? p : ['build', 'monitor'];
}

type Where = Pick<EvidenceRef, 'item' | 'index' | 'dimension'>;

/** Every Evidence entry of the manifest, with the phase it belongs to (manifest-v1.md). */
export function collectEvidence(manifest: Manifest, manifestPath: string): EvidenceRef[] {
  const refs: EvidenceRef[] = [];
  const add = (
    phase: Phase,
    kind: EvidenceKind,
    at: PathSegment[],
    evidence: unknown,
    readsValue: boolean,
    where: Where = {},
  ): void => {
    let raw: string | undefined;
    let pointer: string | undefined;
    let sha256: string | undefined;
    if (typeof evidence === 'string') raw = evidence;
    else if (isObject(evidence)) {
      raw = str(evidence.path);
      pointer = str(evidence.pointer);
      sha256 = str(evidence.sha256);
    }
    if (raw === undefined || raw === '') return;
    refs.push({
      phase,
      kind,
      ...where,
      at: typeof evidence === 'string' ? at : [...at, 'path'],
      raw,
      ...resolveEvidencePath(manifestPath, raw),
      ...(pointer !== undefined ? { pointer } : {}),
      ...(sha256 !== undefined ? { sha256 } : {}),
      readsValue,
    });
  };
  const tai = isObject(manifest.envision) ? manifest.envision.trustworthyAI : undefined;
  for (const dimension of DIMENSIONS) {
    const dim = isObject(tai) ? tai[dimension] : undefined;
    list(isObject(dim) ? dim.guardrails : undefined).forEach((g, index) => {
      if (!isObject(g)) return;
      const at = ['envision', 'trustworthyAI', dimension, 'guardrails', index];
      const where = { item: String(g.id), index, dimension };
      const phases = guardrailPhases(g);
      // build reads `evidence`; monitor reads the live report of `monitor`, never the build one
      if (phases.includes('build'))
        add('build', 'guardrail', [...at, 'evidence'], g.evidence, true, where);
      if (phases.includes('monitor') && isObject(g.monitor))
        add(
          'monitor',
          'guardrail',
          [...at, 'monitor', 'evidence'],
          g.monitor.evidence,
          true,
          where,
        );
    });
  }
  const build = isObject(manifest.build) ? manifest.build : {};
  list(build.evaluations).forEach((e, index) => {
    if (isObject(e))
      add('build', 'evaluation', ['build', 'evaluations', index, 'evidence'], e.evidence, true, {
        item: String(e.id),
        index,
      });
  });
  list(build.datasets).forEach((d, index) => {
    if (isObject(d))
      add('build', 'datasheet', ['build', 'datasets', index, 'datasheet'], d.datasheet, false, {
        item: String(d.id),
        index,
      });
  });
  add('build', 'modelCard', ['build', 'modelCard'], build.modelCard, false);

  const deploy = isObject(manifest.deploy) ? manifest.deploy : {};
  const dp = isObject(deploy.dataProtection) ? deploy.dataProtection : {};
  add('deploy', 'dpia', ['deploy', 'dataProtection', 'dpia'], dp.dpia, false);
  const sec = isObject(deploy.securityReview) ? deploy.securityReview : {};
  const threat = ['deploy', 'securityReview', 'threatModel'];
  add('deploy', 'threatModel', threat, sec.threatModel, false);
  const integ = isObject(deploy.integration) ? deploy.integration : {};
  add('deploy', 'runbook', ['deploy', 'integration', 'runbook'], integ.runbook, false);
  const ho = isObject(integ.humanOversight) ? integ.humanOversight : {};
  const procedure = ['deploy', 'integration', 'humanOversight', 'procedure'];
  add('deploy', 'oversightProcedure', procedure, ho.procedure, false);
  add('deploy', 'training', ['deploy', 'integration', 'training'], integ.training, false);
  const logging = isObject(deploy.logging) ? deploy.logging : {};
  add(
    'deploy',
    'loggingSpec',
    ['deploy', 'logging', 'specification'],
    logging.specification,
    false,
  );
  add(
    'deploy',
    'instructionsForUse',
    ['deploy', 'instructionsForUse'],
    deploy.instructionsForUse,
    false,
  );
  const conf = isObject(deploy.conformity) ? deploy.conformity : {};
  add(
    'deploy',
    'qualityManagement',
    ['deploy', 'conformity', 'qualityManagement'],
    conf.qualityManagement,
    false,
  );
  add(
    'deploy',
    'conformityAssessment',
    ['deploy', 'conformity', 'assessment'],
    conf.assessment,
    false,
  );
  add('deploy', 'euDeclaration', ['deploy', 'conformity', 'declaration'], conf.declaration, false);
  add('deploy', 'fria', ['deploy', 'fria'], deploy.fria, false);
  add('deploy', 'disclosure', ['deploy', 'disclosure'], deploy.disclosure, false);
  list(deploy.valueMeasurement).forEach((v, index) => {
    if (isObject(v))
      add(
        'deploy',
        'instrumentation',
        ['deploy', 'valueMeasurement', index, 'instrumentation'],
        v.instrumentation,
        false,
        { item: String(v.valueMetric), index },
      );
  });

  const monitor = isObject(manifest.monitor) ? manifest.monitor : {};
  list(monitor.drift).forEach((d, index) => {
    if (isObject(d))
      add('monitor', 'drift', ['monitor', 'drift', index, 'evidence'], d.evidence, true, {
        item: String(d.id),
        index,
      });
  });
  const vt = isObject(monitor.valueTracking) ? monitor.valueTracking : {};
  const tracking = ['monitor', 'valueTracking', 'evidence'];
  add('monitor', 'valueTracking', tracking, vt.evidence, true);
  const gov = isObject(monitor.governance) ? monitor.governance : {};
  add('monitor', 'governance', ['monitor', 'governance', 'evidence'], gov.evidence, false);
  const pm = isObject(monitor.postMarket) ? monitor.postMarket : {};
  add('monitor', 'postMarketPlan', ['monitor', 'postMarket', 'plan'], pm.plan, false);
  add(
    'monitor',
    'incidentProcedure',
    ['monitor', 'postMarket', 'incidentProcedure'],
    pm.incidentProcedure,
    false,
  );
  return refs;
}

/** Where a file is named as build evidence: a guardrail's `evidence`, or a build evaluation's. */
export interface BuildEvidenceSite {
  kind: 'guardrail' | 'evaluation';
  /** The id of the guardrail or evaluation. */
  item: string;
  at: PathSegment[];
}

/**
 * The files named as build evidence in the manifest (repository paths), each with the first place
 * that names it: the `evidence` of every guardrail active in build, and of every build
 * evaluation. Live evidence (a guardrail's `monitor.evidence`) must be none of them (rule M1).
 * The `evidence` of a guardrail of monitor only is read by no phase, and proves nothing of build.
 */
export function buildEvidencePaths(
  manifest: Manifest,
  manifestPath: string,
): Map<string, BuildEvidenceSite> {
  const out = new Map<string, BuildEvidenceSite>();
  const note = (evidence: unknown, site: BuildEvidenceSite): void => {
    const raw =
      typeof evidence === 'string' ? evidence : isObject(evidence) ? str(evidence.path) : undefined;
    if (raw === undefined || raw === '') return;
    const resolved = resolveEvidencePath(manifestPath, raw);
    if ('repoPath' in resolved && !out.has(resolved.repoPath)) out.set(resolved.repoPath, site);
  };
  const tai = isObject(manifest.envision) ? manifest.envision.trustworthyAI : undefined;
  for (const dimension of DIMENSIONS) {
    const dim = isObject(tai) ? tai[dimension] : undefined;
    list(isObject(dim) ? dim.guardrails : undefined).forEach((g, index) => {
      if (isObject(g) && guardrailPhases(g).includes('build'))
        note(g.evidence, {
          kind: 'guardrail',
          item: String(g.id),
          at: ['envision', 'trustworthyAI', dimension, 'guardrails', index, 'evidence'],
        });
    });
  }
  const build = isObject(manifest.build) ? manifest.build : {};
  list(build.evaluations).forEach((e, index) => {
    if (isObject(e))
      note(e.evidence, {
        kind: 'evaluation',
        item: String(e.id),
        at: ['build', 'evaluations', index, 'evidence'],
      });
  });
  return out;
}

/** Why an evidence entry does not count (rule G1), as data: a code, its args and a fix. */
export interface EvidenceIssue {
  code: CheckCode;
  args: Args;
  fix?: Fix;
}

/** G1's judgement of one evidence entry: undefined when it is committed and intact. */
export function judgeEvidence(
  ref: EvidenceRef,
  input: EvidenceState,
  show: (repoPath: string) => string,
): EvidenceIssue | undefined {
  // Most evidence is fine: the words' data is built only for a problem.
  const issue = (code: CheckCode, extra: Args = {}, fix?: Fix): EvidenceIssue => ({
    code,
    args: {
      evidence: ref.kind,
      ...(ref.item !== undefined ? { item: ref.item } : {}),
      raw: ref.raw,
      ...(ref.repoPath !== undefined && !ref.escape ? { path: show(ref.repoPath) } : {}),
      ...extra,
    },
    ...(fix ? { fix } : {}),
  });
  if (ref.escape === 'absolute') return issue('EVIDENCE_ABSOLUTE');
  if (ref.escape || ref.repoPath === undefined) return issue('EVIDENCE_OUTSIDE');
  const repoPath = ref.repoPath;
  const file = input.evidence(repoPath);
  if (file?.kind === 'outside') {
    return issue('EVIDENCE_LINK_OUTSIDE', {
      ...(file.link !== undefined ? { link: show(file.link) } : {}),
      ...(file.target !== undefined ? { target: file.target } : {}),
    });
  }
  const links = file?.links ?? [];
  const target = links.length > 0 ? file?.target : undefined;
  // What the evidence leads to, for the words: the first link and the file it reaches.
  const via: Args = target !== undefined ? { link: show(links[0]!), target: show(target) } : {};
  if (file?.kind === 'not_a_file') {
    return file.type === undefined || file.type === 'directory'
      ? issue('EVIDENCE_NOT_A_FILE', via)
      : issue('EVIDENCE_SPECIAL_FILE', { type: file.type, ...via });
  }
  const kind = file?.kind;
  // The path itself is what git tracks, unless a folder along it is a link (git stops there).
  if (target === undefined || links[0] === repoPath) {
    if (!input.tracked.has(repoPath)) {
      // a tracked folder along the path is a submodule (a gitlink): its files are committed in
      // its own repository, which this one does not read
      const submodule = submoduleOf(repoPath, input.tracked);
      if (submodule !== undefined)
        return issue('EVIDENCE_IN_SUBMODULE', { submodule: show(submodule) });
      if ((kind !== undefined && kind !== 'missing') || target !== undefined)
        return issue('EVIDENCE_UNTRACKED', {}, command('git', 'add', '--', show(repoPath)));
      return issue('EVIDENCE_MISSING');
    }
    const state = input.workingState.get(repoPath);
    if (state === 'deleted' || (kind === 'missing' && target === undefined))
      return issue('EVIDENCE_DELETED', {}, command('git', 'restore', '--', show(repoPath)));
    if (state === 'modified') return issue('EVIDENCE_MODIFIED');
    if (state === 'staged') return issue('EVIDENCE_STAGED', {}, command('git', 'commit'));
  }
  if (target !== undefined) {
    // The file read counts only when every link on the way and the target are committed as is.
    for (const p of [...links.filter((l) => l !== repoPath), target]) {
      const linked = (code: CheckCode, fix?: Fix): EvidenceIssue =>
        issue(code, { ...via, culprit: show(p) }, fix);
      const gone = kind === 'missing' && p === target;
      if (!input.tracked.has(p)) {
        return gone
          ? linked('EVIDENCE_LINKED_MISSING')
          : linked('EVIDENCE_LINKED_UNTRACKED', command('git', 'add', '--', show(p)));
      }
      const state = input.workingState.get(p);
      if (state === 'deleted' || gone)
        return linked('EVIDENCE_LINKED_DELETED', command('git', 'restore', '--', show(p)));
      if (state === 'modified') return linked('EVIDENCE_LINKED_MODIFIED');
      if (state === 'staged') return linked('EVIDENCE_LINKED_STAGED', command('git', 'commit'));
    }
  }
  if (file?.kind === 'too_large')
    return issue('EVIDENCE_TOO_LARGE', {
      size: file.size,
      limit: file.limit,
      for: file.for,
      ...via,
    });
  if (file?.kind === 'unreadable') return issue('EVIDENCE_UNREADABLE', { reason: file.reason });
  if (ref.sha256 !== undefined && file?.kind === 'file' && file.sha256 !== undefined) {
    const want = ref.sha256.replace(/^sha256:/i, '').toLowerCase();
    if (want !== file.sha256) {
      // The sha256 sits beside `path` in the evidence object, as 64 hex digits (the schema's
      // pattern: no `sha256:` before them).
      const at = [...ref.at.slice(0, -1), 'sha256'];
      return issue(
        'EVIDENCE_SHA256_MISMATCH',
        { actual: file.sha256 },
        { kind: 'edit', op: 'set', path: at, value: file.sha256 },
      );
    }
  }
  return undefined;
}

function command(...argv: string[]): Fix {
  return { kind: 'command', argv };
}

/** The tracked folder along `path` (a submodule: git tracks it as one entry), if there is one. */
function submoduleOf(path: string, tracked: ReadonlySet<string>): string | undefined {
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    if (tracked.has(prefix)) return prefix;
  }
  return undefined;
}
