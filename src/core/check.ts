import { approvalStates } from './approvals.js';
import { collectEvidence } from './check-evidence.js';
import type { EvidenceRef } from './check-evidence.js';
import { RULE_PHASES, RULES, evaluateRule } from './check-rules.js';
import type { RuleContext } from './check-rules.js';
import { classifyValue, isIsoDate, observe, parseEvidenceText } from './check-values.js';
import type { ParsedEvidence, ValueStatus } from './check-values.js';
import type { Diagnostic, PathSegment } from './diagnostics.js';
import { PHASES } from './manifest.js';
import type { Manifest, Phase, ValueMetric, Waiver } from './manifest.js';

export { RULES } from './check-rules.js';

/** What the working tree holds for a tracked path that differs from its last commit. */
export type WorkingState = 'untracked' | 'modified' | 'staged' | 'deleted';

/** An evidence file as io found it on disk; io never reads a file that leads out of the repository. */
export type EvidenceFile =
  | { kind: 'file'; text?: string; sha256?: string }
  | { kind: 'missing' }
  | { kind: 'outside' }
  | { kind: 'not_a_file' }
  | { kind: 'unreadable'; reason: string };

/** One committed version of a file, newest first in lists. */
export interface CommittedVersion {
  commit: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  text?: string;
}

/** Everything `checkReadiness` needs besides the manifest: plain data gathered by io. */
export interface CheckInput {
  /** The manifest's repository-relative path (forward slashes). */
  manifestPath: string;
  /** The manifest's path as the user sees it, for commands in fixes (default: manifestPath). */
  displayPath?: string;
  /** Repository-relative path to the path users see (relative to their working folder). */
  display?: (repoPath: string) => string;
  /** Files in the index (`git ls-files`). */
  tracked: ReadonlySet<string>;
  /** Tracked files that differ from HEAD in the index or working tree (`git status`). */
  workingState: ReadonlyMap<string, WorkingState>;
  /** Evidence files as found on disk; undefined when io was not asked for the path. */
  evidence: (repoPath: string) => EvidenceFile | undefined;
  /** Date of the last commit that touched each path (YYYY-MM-DD). */
  lastCommitDates: ReadonlyMap<string, string>;
  /** Committed versions of the value-tracking evidence, newest first. */
  committedVersions: ReadonlyMap<string, readonly CommittedVersion[]>;
  /** YYYY-MM-DD: the date of expiry and freshness. */
  today: string;
  /** The manifest's evidence as `collectEvidence` gives it, when the caller already has it. */
  refs?: EvidenceRef[];
}

export type RuleStatus = 'pass' | 'fail' | 'waived' | 'warning';

export interface Finding {
  message: string;
  /** What to do, concretely (a command where there is one). */
  fix?: string;
  /** The manifest field the finding is about. */
  at: PathSegment[];
  severity: 'error' | 'warning';
  /** Position of `at` in the manifest, filled in by the command when a format needs it. */
  line?: number;
  column?: number;
}

export interface WaiverState {
  rule: string;
  reason: string;
  owner: string;
  expires: string;
  expired: boolean;
  index: number;
}

export interface RuleResult {
  id: string;
  title: string;
  status: RuleStatus;
  findings: Finding[];
  /** The unexpired waiver that covers a failing rule, or the expired one that no longer does. */
  waiver?: WaiverState;
}

export interface PhaseResult {
  phase: Phase;
  /** Its own rules pass (or are waived). */
  rulesPass: boolean;
  /** Its rules pass and every earlier phase is ready. */
  ready: boolean;
  passed: number;
  total: number;
  rules: RuleResult[];
}

export interface ValueLine {
  id: string;
  name?: string;
  unit?: string;
  direction?: string;
  baseline?: number;
  target?: number;
  minimumAcceptable?: number;
  observed?: number;
  /** Where the observation comes from: the committed value-tracking report, or the selected candidate's value evaluation. */
  source?: { kind: 'monitor' | 'build'; path: string; date?: string; evaluation?: string };
  status: ValueStatus;
}

/** Readiness of one manifest. */
export interface ManifestReport {
  file: string;
  name?: string;
  riskTier?: string;
  status?: string;
  /** Set when the manifest does not parse or validate: nothing else was judged. */
  invalid?: Diagnostic[];
  phases: PhaseResult[];
  values: ValueLine[];
  waivers: WaiverState[];
}

const PHASE_ORDER: Record<Phase, number> = { envision: 0, build: 1, deploy: 2, monitor: 3 };

/** Judges every readiness rule of manifest-v1.md for one manifest. */
export function checkReadiness(manifest: Manifest, input: CheckInput): ManifestReport {
  const refs = input.refs ?? collectEvidence(manifest, input.manifestPath);
  const ctx = makeContext(manifest, input, refs);
  const waivers = waiverStates(manifest, input.today);
  const phases: PhaseResult[] = [];
  let previousReady = true;
  for (const phase of PHASES) {
    const rules = RULE_PHASES[phase].map((id): RuleResult => {
      const findings = evaluateRule(id, phase, ctx);
      const errors = findings.some((f) => f.severity === 'error');
      const base: RuleResult = {
        id,
        title: RULES[id]?.title ?? id,
        status: errors ? 'fail' : findings.length > 0 ? 'warning' : 'pass',
        findings,
      };
      if (!errors) return base;
      const active = waivers.find((w) => w.rule === id && !w.expired);
      if (active) return { ...base, status: 'waived', waiver: active };
      const expired = waivers.find((w) => w.rule === id && w.expired);
      return expired ? { ...base, waiver: expired } : base;
    });
    const passed = rules.filter((r) => r.status !== 'fail').length;
    const rulesPass = passed === rules.length;
    const ready: boolean = rulesPass && previousReady;
    previousReady = ready;
    phases.push({ phase, rulesPass, ready, passed, total: rules.length, rules });
  }
  return {
    file: input.displayPath ?? input.manifestPath,
    name: manifest.metadata?.name,
    riskTier: manifest.metadata?.riskTier,
    status: manifest.metadata?.status ?? 'envision',
    phases,
    values: valueLines(manifest, ctx),
    waivers,
  };
}

/** The report of a manifest that could not be judged: it does not parse or validate. */
export function invalidReport(
  file: string,
  diagnostics: Diagnostic[],
  data?: unknown,
): ManifestReport {
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
    invalid: diagnostics,
    phases: PHASES.map((phase) => ({
      phase,
      rulesPass: false,
      ready: false,
      passed: 0,
      total: RULE_PHASES[phase].length,
      rules: [],
    })),
    values: [],
    waivers: [],
  };
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

export { isIsoDate };

function waiverStates(manifest: Manifest, today: string): WaiverState[] {
  const list: unknown[] = Array.isArray(manifest.waivers) ? manifest.waivers : [];
  const out: WaiverState[] = [];
  list.forEach((w, index) => {
    if (!w || typeof w !== 'object') return;
    const v = w as Partial<Waiver>;
    const expires = String(v.expires ?? '');
    out.push({
      rule: String(v.rule ?? ''),
      reason: String(v.reason ?? ''),
      owner: String(v.owner ?? ''),
      expires,
      // A waiver holds through its expiry day.
      expired: !isIsoDate(expires) || expires < today,
      index,
    });
  });
  return out;
}

function makeContext(manifest: Manifest, input: CheckInput, refs: EvidenceRef[]): RuleContext {
  const parsed = new Map<string, ParsedEvidence>();
  const show = input.display ?? ((p: string) => p);
  const parsedAt = (path: string, text: string, key: string): ParsedEvidence => {
    let p = parsed.get(key);
    if (!p) {
      p = parseEvidenceText(path, text);
      parsed.set(key, p);
    }
    return p;
  };
  return {
    manifest,
    input,
    refs,
    show,
    manifestShown: input.displayPath ?? input.manifestPath,
    approvals: (phase) => approvalStates(manifest, phase),
    readParsed(repoPath) {
      const file = input.evidence(repoPath);
      if (!file || file.kind !== 'file' || file.text === undefined) return undefined;
      return parsedAt(repoPath, file.text, `wt:${repoPath}`);
    },
    readVersion(repoPath, version) {
      if (version.text === undefined) return undefined;
      return parsedAt(repoPath, version.text, `${version.commit}:${repoPath}`);
    },
  };
}

function valueLines(manifest: Manifest, ctx: RuleContext): ValueLine[] {
  const metrics: unknown[] = Array.isArray(manifest.envision?.valueMetrics)
    ? manifest.envision.valueMetrics
    : [];
  const vtRef = ctx.refs.find((r) => r.at[1] === 'valueTracking');
  const versions = vtRef?.repoPath ? (ctx.input.committedVersions.get(vtRef.repoPath) ?? []) : [];
  const newest = versions[0];
  const newestData =
    vtRef?.repoPath && newest ? ctx.readVersion(vtRef.repoPath, newest) : undefined;
  const selected = manifest.build?.selected?.candidate;
  const evaluations = Array.isArray(manifest.build?.evaluations) ? manifest.build.evaluations : [];
  const out: ValueLine[] = [];
  for (const raw of metrics) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as ValueMetric;
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    const line: ValueLine = {
      id: String(m.id),
      ...(m.name ? { name: m.name } : {}),
      ...(m.unit ? { unit: m.unit } : {}),
      ...(m.direction ? { direction: m.direction } : {}),
      ...(num(m.baseline?.value) !== undefined ? { baseline: num(m.baseline?.value) } : {}),
      ...(num(m.target?.value) !== undefined ? { target: num(m.target?.value) } : {}),
      ...(num(m.minimumAcceptable) !== undefined
        ? { minimumAcceptable: num(m.minimumAcceptable) }
        : {}),
      status: 'unknown',
    };
    if (vtRef?.repoPath && newest && newestData?.ok) {
      const pointer = vtRef.pointer !== undefined ? `${vtRef.pointer}/${m.id}` : undefined;
      const o = observe(newestData.data, String(m.id), pointer);
      if (o.value !== undefined) {
        line.observed = o.value;
        line.source = { kind: 'monitor', path: ctx.show(vtRef.repoPath), date: newest.date };
      }
    }
    if (line.observed === undefined && selected) {
      const index = evaluations.findIndex(
        (e) => e && e.kind === 'value' && e.valueMetric === m.id && e.candidate === selected,
      );
      const ref = ctx.refs.find((r) => r.at[1] === 'evaluations' && r.at[2] === index);
      const data = ref?.repoPath ? ctx.readParsed(ref.repoPath) : undefined;
      const evaluation = evaluations[index];
      if (ref?.repoPath && data?.ok && evaluation) {
        const o = observe(data.data, String(evaluation.metric), ref.pointer);
        if (o.value !== undefined) {
          line.observed = o.value;
          line.source = {
            kind: 'build',
            path: ctx.show(ref.repoPath),
            evaluation: String(evaluation.id),
          };
        }
      }
    }
    line.status = classifyValue(m, line.observed);
    out.push(line);
  }
  return out;
}
