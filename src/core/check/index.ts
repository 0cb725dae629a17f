import { compareFindings } from '../findings.js';
import type { Finding } from '../findings.js';
import { PHASES } from '../manifest.js';
import type { Manifest, Phase } from '../manifest.js';
import { manifestName } from '../manifest/reader.js';
import type { ReadResult } from '../manifest/reader.js';
import { duplicateNames } from '../manifest/repository.js';
import type { NamedManifest } from '../manifest/repository.js';
import type { CheckInput } from './context.js';
import { createFacts } from './facts.js';
import type { Facts } from './facts.js';
import { checkFingerprint } from './fingerprint.js';
import { RULE_PHASES, ruleById } from './registry.js';
import type { RuleId } from './registry.js';
import type { ManifestReport, PhaseResult, RuleResult, Scoreboard } from './result.js';
import { scoreboard } from './scoreboard.js';
import { applyWaivers, waiverFindings, waiverStates } from './waivers.js';

export type { CheckInput, CommittedVersion, EvidenceFile, WorkingState } from './context.js';
export type { EvidenceKind, EvidenceRef } from './evidence.js';
export type { Facts } from './facts.js';
export type { RuleDefinition, LegalReference } from './rule.js';
export type { Rule, RuleId } from './registry.js';
export type {
  BoundsStatus,
  DriftLine,
  GuardrailGroupLine,
  GuardrailLine,
  ManifestReport,
  ObservedSource,
  PhaseResult,
  ProjectionLine,
  RuleResult,
  RuleStatus,
  Scoreboard,
  ValueLine,
  WaivedFinding,
  WaiverProblem,
  WaiverSignOff,
  WaiverState,
} from './result.js';
export type { ValueStatus } from './values.js';
export { collectEvidence } from './evidence.js';
export { historyEvidence } from './facts.js';
export { RULES, RULE_PHASES, isRuleId, ruleById } from './registry.js';
export { isIsoDate } from './values.js';
export { readScoreboard } from './scoreboard.js';

const PHASE_ORDER: Record<Phase, number> = { envision: 0, build: 1, deploy: 2, monitor: 3 };

/** Judges every readiness rule of manifest-v1.md for one manifest. */
export function checkReadiness(manifest: Manifest, input: CheckInput): ManifestReport {
  return judgeReadiness(manifest, input).report;
}

/**
 * The result of a rule that passed with nothing to say: one frozen object per rule, shared by
 * every manifest, as most rules pass (at 5,000 manifests, some 240,000 results held for the
 * summary would otherwise be as many objects and arrays).
 */
const PASSED = new Map<RuleId, RuleResult>();
function passedRule(id: RuleId, title: string): RuleResult {
  let result = PASSED.get(id);
  if (result === undefined) {
    const findings = Object.freeze([]) as readonly Finding[] as Finding[];
    result = Object.freeze({ id, title, status: 'pass', findings });
    PASSED.set(id, result);
  }
  return result;
}

/** `checkReadiness`, with the facts it judged from (for a caller that reports more of them). */
export function judgeReadiness(
  manifest: Manifest,
  input: CheckInput,
): { report: ManifestReport; facts: Facts } {
  const facts = createFacts(manifest, input);
  const waivers = waiverStates(manifest, input, facts.signOffContext);
  const waiverNotes = waiverFindings(waivers, manifest, input);
  const file = facts.manifestShown;
  const name = manifest.metadata?.name;
  const phases: PhaseResult[] = [];
  let previousReady = true;
  for (const phase of PHASES) {
    const rules = RULE_PHASES[phase].map((id): RuleResult => {
      const rule = ruleById(id);
      // the warnings about the waivers of a rule, once: in its first phase
      const notes = phase === rule.phases[0] ? (waiverNotes.get(id) ?? []) : [];
      const found = [...rule.evaluate(facts, phase), ...notes];
      const findings = found.map((f): Finding => ({
        ...f,
        file,
        ...input.locate?.(f.path, f.target ?? 'key'),
        fingerprint: checkFingerprint(name, id, phase, f, manifest),
      }));
      const judged = applyWaivers(rule, findings, waivers);
      if (judged.status === 'pass' && judged.findings.length === 0 && judged.waived.length === 0)
        return passedRule(id, rule.title);
      return {
        id,
        title: rule.title,
        status: judged.status,
        findings: judged.findings,
        ...(judged.waived.length > 0 ? { waived: judged.waived } : {}),
      };
    });
    const passed = rules.filter((r) => r.status !== 'fail').length;
    const rulesPass = passed === rules.length;
    const ready: boolean = rulesPass && previousReady;
    previousReady = ready;
    phases.push({ phase, rulesPass, ready, passed, total: rules.length, rules });
  }
  const report: ManifestReport = {
    file,
    name,
    riskTier: manifest.metadata?.riskTier,
    status: manifest.metadata?.status ?? 'envision',
    phases,
    ...scoreboard(facts),
    waivers,
    ...(input.todaySource ? { pinned: { today: input.today, source: input.todaySource } } : {}),
    ...(input.identity && input.identitySource
      ? { identity: { mode: input.identity, source: input.identitySource } }
      : {}),
  };
  return { report, facts };
}

/** The report of a manifest that could not be judged: it does not read or validate. */
export function invalidReport(file: string, findings: Finding[], data?: unknown): ManifestReport {
  const meta = (
    data !== null && typeof data === 'object'
      ? (data as { metadata?: unknown }).metadata
      : undefined
  ) as Record<string, unknown> | undefined;
  const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    file,
    ...(s(meta?.name) ? { name: s(meta?.name) } : {}),
    ...(s(meta?.riskTier) ? { riskTier: s(meta?.riskTier) } : {}),
    ...(s(meta?.status) ? { status: s(meta?.status) } : {}),
    invalid: findings.map((f) => ({ ...f, file: f.file ?? file })),
    phases: PHASES.map((phase) => ({
      phase,
      rulesPass: false,
      ready: false,
      passed: 0,
      total: RULE_PHASES[phase].length,
      rules: [],
    })),
    scoreboard: { names: [], paths: [], cells: [] },
    values: [],
    waivers: [],
  };
}

/** What `checkReadiness` needs from git and the disk, besides the manifest and its positions. */
export type GatheredInput = Omit<CheckInput, 'locate' | 'displayPath'>;

/** A manifest as the reader gave it, for `checkManifests`. */
export interface CheckRead {
  /** As the user sees it. */
  file: string;
  /** Relative to the repository's top folder, forward slashes. */
  repoPath: string;
  read: ReadResult;
}

/** The manifests `checkManifests` judges, and how to gather what judging them needs. */
export interface CheckSource {
  count: number;
  /** Reads manifest `i` as every command reads a manifest. */
  read(i: number): CheckRead;
  /** The inputs of each manifest to judge, in order. */
  gather(subjects: { repoPath: string; manifest: Manifest }[]): Promise<GatheredInput[]>;
  /**
   * Called once per judged manifest, while its facts are alive (before the batch's data is
   * dropped): for a caller that reports more than the verdict (`mlops report`).
   */
  detail?(index: number, facts: Facts, report: ManifestReport): void;
  /** Called once a batch is judged and what it was read to is dropped (a caller may collect it). */
  afterBatch?(): void;
}

/**
 * How many manifests are read, gathered for and judged together. A manifest of 20 kB parses
 * to some 120 kB of data and positions, which only its own judgement needs: a batch bounds
 * what is held at once, whatever the number of manifests. Each batch gathers once.
 */
export const CHECK_BATCH = 250;

/**
 * Copies `value` off the texts it was read from, for a result kept until the end of the run:
 * the strings a parser gives are slices that keep their whole text alive, a report keeps a
 * few of them, and a thousand reports would keep a thousand texts. Each distinct string is
 * copied once (`strings` holds the copies), so that the words every report repeats (titles,
 * codes, paths) are held once. Short strings are never slices.
 */
function copyOff<T>(value: T, strings: Map<string, string>): T {
  if (typeof value === 'string') {
    if (value.length < 13) return value;
    let copy = strings.get(value);
    if (copy === undefined) {
      copy = JSON.parse(JSON.stringify(value)) as string;
      strings.set(copy, copy);
    }
    return copy as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => copyOff(v, strings)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    out[key] = copyOff((value as Record<string, unknown>)[key], strings);
  return out as T;
}

/**
 * A scoreboard as kept until the end of the run: its numbers as they are, and its names held
 * once for the whole run, short ones too (every manifest names the same metrics, pointers and
 * dates), copied off the texts they were read from as `copyOff` copies.
 */
function keptScoreboard(board: Scoreboard, strings: Map<string, string>): Scoreboard {
  const names = board.names.map((name) => {
    let kept = strings.get(name);
    if (kept === undefined) {
      kept = copyOff(name, strings);
      strings.set(kept, kept);
    }
    return kept;
  });
  return { names, paths: copyOff(board.paths, strings), cells: board.cells.slice() };
}

/** What `invalidReport` reads of a manifest's data: its metadata's name, risk tier and status. */
function metadataOnly(data: unknown): unknown {
  const meta =
    data !== null && typeof data === 'object'
      ? (data as { metadata?: unknown }).metadata
      : undefined;
  if (meta === null || typeof meta !== 'object') return undefined;
  const m = meta as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { metadata: { name: text(m.name), riskTier: text(m.riskTier), status: text(m.status) } };
}

/** What a manifest leaves behind once judged: enough to report it invalid after all. */
interface Judged {
  file: string;
  findings: Finding[];
  metadata: unknown;
}

/**
 * Judges every manifest of `source`, as `mlops validate` reads it: a manifest with an error
 * finding, or whose `metadata.name` another manifest also has (validate's repository-level
 * pass), is not judged but reported with its findings. Manifests are taken `batch` at a time;
 * a name found twice is only known once all are read, so a manifest judged before is then
 * reported as invalid instead. The reports come back in the order of `source`.
 */
export async function checkManifests(
  source: CheckSource,
  batch = CHECK_BATCH,
): Promise<ManifestReport[]> {
  const reports = new Array<ManifestReport>(source.count);
  const judged: Judged[] = [];
  const named: NamedManifest[] = [];
  const strings = new Map<string, string>();
  for (let start = 0; start < source.count; start += batch) {
    const end = Math.min(start + batch, source.count);
    await judgeBatch(source, start, end, { reports, judged, named, strings });
    source.afterBatch?.();
  }
  // validate's repository-level pass: two manifests of one name are invalid in both
  const extra = new Map<number, Finding[]>();
  const indexOf = new Map(judged.map((j, i) => [j.file, i]));
  for (const f of duplicateNames(named)) {
    const i = indexOf.get(f.file!);
    if (i !== undefined) extra.set(i, [...(extra.get(i) ?? []), f]);
  }
  for (const [i, findings] of extra) {
    const j = judged[i]!;
    const all = [...j.findings, ...findings].sort(compareFindings);
    reports[i] = invalidReport(j.file, all, j.metadata);
  }
  return reports;
}

/**
 * Reads, gathers for and judges manifests `start` to `end` (excluded) of `source`; what they
 * were read to is dropped when it returns.
 */
async function judgeBatch(
  source: CheckSource,
  start: number,
  end: number,
  into: {
    reports: ManifestReport[];
    judged: Judged[];
    named: NamedManifest[];
    strings: Map<string, string>;
  },
): Promise<void> {
  const { reports, strings } = into;
  const valid: { index: number; read: CheckRead }[] = [];
  for (let i = start; i < end; i++) {
    const m = source.read(i);
    const name = manifestName(m.read);
    if (name) into.named.push({ ...name, file: m.file });
    const findings = copyOff(m.read.findings, strings);
    const metadata = copyOff(metadataOnly(m.read.data), strings);
    into.judged[i] = { file: m.file, findings, metadata };
    if (m.read.data !== undefined && !findings.some((f) => f.severity === 'error'))
      valid.push({ index: i, read: m });
    else reports[i] = invalidReport(m.file, findings, metadata);
  }
  const gathered = await source.gather(
    valid.map(({ read }) => ({ repoPath: read.repoPath, manifest: read.read.data as Manifest })),
  );
  valid.forEach(({ index, read }, k) => {
    const { report, facts } = judgeReadiness(read.read.data as Manifest, {
      ...gathered[k]!,
      displayPath: read.file,
      locate: read.read.locate,
    });
    source.detail?.(index, facts, report);
    const { scoreboard, ...rest } = report;
    reports[index] = { ...copyOff(rest, strings), scoreboard: keptScoreboard(scoreboard, strings) };
  });
}

/**
 * The phases a manifest is held to: with `--phase p`, p and every earlier phase; otherwise the
 * phases before its `metadata.status`, and monitor itself once the model is there. A retired
 * model is held to none: it no longer runs, and its history stays readable in the output.
 */
export function requiredPhases(status: string | undefined, phase?: Phase): Phase[] {
  if (phase) return PHASES.filter((p) => PHASE_ORDER[p] <= PHASE_ORDER[phase]);
  if (status === 'retired') return [];
  const claimed = PHASES.includes(status as Phase) ? (status as Phase) : 'envision';
  return PHASES.filter(
    (p) => PHASE_ORDER[p] < PHASE_ORDER[claimed] || (claimed === 'monitor' && p === 'monitor'),
  );
}

/** Whether a manifest meets what it is held to; an invalid manifest never does. */
export function meetsRequirement(report: ManifestReport, phase?: Phase): boolean {
  if (report.invalid) return false;
  const required = requiredPhases(report.status, phase);
  return required.every((p) => report.phases.find((r) => r.phase === p)?.ready === true);
}

/** The last phase that is ready, or undefined when Envision is not. */
export function readyThrough(report: ManifestReport): Phase | undefined {
  let last: Phase | undefined;
  for (const p of report.phases) {
    if (!p.ready) break;
    last = p.phase;
  }
  return last;
}
