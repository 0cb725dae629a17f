// The data of `mlops report` (model.ts), from what `mlops check` judged: each manifest's report,
// and what its facts give while they are alive (`modelDetail`, called from check's `detail`
// hook): the value read at every committed version of the value-tracking evidence, the live
// guardrail evidence over time, and the state of every approval. Numbers are taken as they are
// read; no version's text is kept, and every string kept is copied off the text it was read from.
import { euAiActOf } from '../eu-ai-act.js';
import {
  approvalStates,
  reassessmentApprovalStates,
  reassessmentStandings,
  waiverApprovalStates,
} from '../approvals.js';
import type { ApprovablePhase, ApprovalState } from '../approvals.js';
import { readScoreboard, readyThrough } from '../check/index.js';
import type { Facts, ManifestReport, ValueLine, WaiverState } from '../check/index.js';
import { buildEvidencePaths, guardrailPhases } from '../check/evidence.js';
import { metricPointer } from '../check/facts.js';
import { isObject, list } from '../check/util.js';
import { observe } from '../check/values.js';
import type { ParsedEvidence } from '../check/values.js';
import { WAIVER_EXPIRING_DAYS } from '../check/waivers.js';
import type { Finding } from '../findings.js';
import type { Approval, Manifest, Phase } from '../manifest.js';
import { REPORT_SCHEMA_VERSION } from './model.js';
import type {
  FindingData,
  GuardrailData,
  ModelData,
  ReportData,
  RiskData,
  SeriesPoint,
  TimelineEntry,
  ValueSeries,
  ValueStanding,
} from './model.js';
import { pageNames } from './pages.js';

/** A finding's message and fix in words, as `mlops check --format text` prints them. */
export type Tell = (f: Pick<Finding, 'code' | 'args'>) => { message: string; hint?: string };

/**
 * Strings kept until the end of a run, each held once: a string a parser gives may be a slice
 * that keeps its whole text alive (a manifest, a `git log`), so a long one is copied off it.
 */
export class KeptStrings {
  private readonly held = new Map<string, string>();

  keep(s: string): string {
    // shorter strings are never slices
    if (s.length < 13) return s;
    let kept = this.held.get(s);
    if (kept === undefined) {
      kept = JSON.parse(JSON.stringify(s)) as string;
      this.held.set(kept, kept);
    }
    return kept;
  }

  /** `keep` of a string; undefined for anything else. */
  keepString(v: unknown): string | undefined {
    return typeof v === 'string' ? this.keep(v) : undefined;
  }
}

/** What a judged manifest's facts give the report besides its verdict, kept until the pages are made. */
export interface ModelDetail {
  meta: Pick<ModelData, 'title' | 'version' | 'owner' | 'euAiAct'>;
  envision?: ModelData['envision'];
  /** Per value metric: its target date, and its value at each committed version, oldest first. */
  values: { id: string; targetBy?: string; history: SeriesPoint[] }[];
  /** The value-tracking evidence as the user sees it. */
  valueSource?: string;
  /** Per guardrail line of the scoreboard, in its order: the history of monitor lines. */
  guardrails: (SeriesPoint[] | undefined)[];
  /** Every approval, with its state. */
  approvals: TimelineEntry[];
  risks: RiskData[];
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** `{ key: value }` when `value` is defined, else `{}`: for objects whose keys keep their order. */
function opt<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

/** The value at one committed version of evidence, or why there is none. */
function point(
  strings: KeptStrings,
  version: { commit: string; date: string },
  parsed: ParsedEvidence | undefined,
  read: (data: unknown) => number | undefined,
): SeriesPoint {
  // plain literals: a hundred thousand points share one shape (a spread gives each its own)
  const commit = strings.keep(version.commit);
  const date = strings.keep(version.date);
  if (!parsed || !parsed.ok) return { commit, date, gap: 'unreadable' };
  const value = read(parsed.data);
  return value === undefined ? { commit, date, gap: 'absent' } : { commit, date, value };
}

/**
 * What the report needs of a judged manifest from its facts, while they are alive: called by
 * check's `detail` hook. `historyLimit`: the most versions drawn per evidence file.
 */
export function modelDetail(
  facts: Facts,
  options: { historyLimit: number; strings: KeptStrings },
): ModelDetail {
  const { strings } = options;
  const m = facts.manifest;
  const keep = (v: unknown): string | undefined => strings.keepString(v);
  const meta = isObject(m.metadata) ? m.metadata : undefined;
  const owner = isObject(meta?.owner) ? meta.owner : undefined;
  const eu = isObject(meta?.euAiAct) ? meta.euAiAct : undefined;
  const view = euAiActOf(m);
  const env = isObject(m.envision) ? m.envision : undefined;
  const envision = env
    ? {
        ...opt('hypothesis', keep(env.hypothesis)),
        ...opt('problem', keep(env.problem)),
        ...opt('businessObjective', keep(env.businessObjective)),
      }
    : undefined;
  return {
    meta: {
      ...opt('title', keep(meta?.title)),
      ...opt('version', keep(meta?.version)),
      ...opt(
        'owner',
        owner
          ? {
              ...opt('name', keep(owner.name)),
              ...opt('email', keep(owner.email)),
              ...opt('team', keep(owner.team)),
            }
          : undefined,
      ),
      ...opt(
        'euAiAct',
        eu
          ? {
              // the meaning: the earlier `limited` is minimal with Art. 50 duties
              ...opt('classification', view.riskClass ?? keep(eu.classification)),
              ...opt('role', keep(eu.role)),
              ...opt('basis', keep(eu.basis)),
              ...opt(
                'legalBasis',
                view.legalBasis
                  ? `Annex ${keep(view.legalBasis.annex) ?? ''} ${keep(view.legalBasis.point) ?? ''}`.trim()
                  : undefined,
              ),
              ...(view.art50 ? { art50: true } : {}),
              ...(view.art50Duties.length > 0
                ? { art50Duties: view.art50Duties.map((d) => keep(d) ?? '') }
                : {}),
              ...(view.gpai !== 'none' ? { gpai: view.gpai } : {}),
            }
          : undefined,
      ),
    },
    ...(envision && Object.keys(envision).length > 0 ? { envision } : {}),
    ...valueHistory(facts, options),
    guardrails: guardrailHistory(facts, options),
    approvals: approvalEntries(facts, strings),
    risks: list(env?.risks)
      .filter(isObject)
      .map((r): RiskData => ({
        id: strings.keep(String(r.id)),
        title: strings.keep(String(r.title)),
        ...opt('dimension', keep(r.dimension)),
        ...opt('likelihood', num(r.likelihood)),
        ...opt('impact', num(r.impact)),
        ...opt('treatment', keep(r.treatment)),
        ...opt('owner', keep(r.owner)),
        ...opt('lineOfDefense', num(r.lineOfDefense)),
      })),
  };
}

/**
 * Each value metric's value at every committed version of the value-tracking evidence (the
 * newest `historyLimit`, oldest first), read as rule M3 reads it: at the metric's pointer.
 */
function valueHistory(
  facts: Facts,
  { historyLimit, strings }: { historyLimit: number; strings: KeptStrings },
): Pick<ModelDetail, 'values' | 'valueSource'> {
  const env = isObject(facts.manifest.envision) ? facts.manifest.envision : undefined;
  const ref = facts.evidenceRef('valueTracking');
  const repoPath = ref?.repoPath;
  const versions =
    repoPath !== undefined
      ? (facts.input.committedVersions.get(repoPath) ?? []).slice(0, historyLimit).reverse()
      : [];
  const parsed = versions.map((v) => facts.readVersion(repoPath!, v));
  const values = list(env?.valueMetrics)
    .filter(isObject)
    .map((metric) => {
      const id = String(metric.id);
      const target = isObject(metric.target) ? metric.target : undefined;
      const pointer = metricPointer(ref?.pointer, id);
      return {
        id: strings.keep(id),
        ...opt('targetBy', strings.keepString(target?.by)),
        history: versions.map((v, k) =>
          point(strings, v, parsed[k], (data) => observe(data, id, pointer).value),
        ),
      };
    });
  return {
    values,
    ...opt('valueSource', repoPath !== undefined ? strings.keep(facts.show(repoPath)) : undefined),
  };
}

/**
 * The history of each guardrail line of the scoreboard, in its order (each guardrail, in each
 * phase it is active in): for a monitor line, the value at every committed version of its live
 * evidence, read as the scoreboard reads the current one. Live evidence that is a build report
 * is never read as live (rule M1): it has no history.
 */
function guardrailHistory(
  facts: Facts,
  { historyLimit, strings }: { historyLimit: number; strings: KeptStrings },
): (SeriesPoint[] | undefined)[] {
  const m = facts.manifest;
  let built: ReadonlySet<string> | undefined;
  const out: (SeriesPoint[] | undefined)[] = [];
  for (const { dimension, index, guardrail } of facts.guardrails) {
    for (const phase of guardrailPhases(guardrail)) {
      if (phase !== 'monitor') {
        out.push(undefined);
        continue;
      }
      const ref = facts.evidenceRef('guardrail', { phase, dimension, index });
      const repoPath = ref?.repoPath;
      built ??= new Set(buildEvidencePaths(m, facts.input.manifestPath).keys());
      if (!ref || repoPath === undefined || built.has(repoPath)) {
        out.push([]);
        continue;
      }
      const metric = String(guardrail.metric);
      const versions = (facts.input.committedVersions.get(repoPath) ?? [])
        .slice(0, historyLimit)
        .reverse();
      out.push(
        versions.map((v) =>
          point(
            strings,
            v,
            facts.readVersion(repoPath, v),
            (data) => observe(data, metric, ref.pointer).value,
          ),
        ),
      );
    }
  }
  return out;
}

const APPROVABLE: readonly string[] = ['envision', 'build', 'deploy'] satisfies ApprovablePhase[];

/**
 * Statuses through which a role's earlier approval is looked at again: the later one is not
 * shown to be recorded by the approver, so it does not replace the earlier one.
 */
const NOT_RECORDED: ReadonlySet<string> = new Set(['uncommitted', 'not_authored', 'not_signed']);

/** What an approval signs, and how to judge the sign-offs of it. */
interface Subject {
  label: string;
  /** The states of its sign-offs, judged over `manifest` (the whole one, or one approval of a role). */
  states(manifest: Manifest): ApprovalState[];
  /** Whether another approval signs the same. */
  same(a: Approval): boolean;
}

/**
 * Every approval of the manifest on the timeline, with its state: the state `mlops check`
 * gives it when it decides its role's sign-off (current, stale, or why it does not count);
 * `superseded` when a later decision of the same role decides; otherwise the state it would
 * have alone (its role's other approvals left out): `future` when dated after today,
 * `not_required` when its role signs nothing required.
 */
function approvalEntries(facts: Facts, strings: KeptStrings): TimelineEntry[] {
  const manifest = facts.manifest;
  const ctx = facts.signOffContext;
  const approvals = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  if (approvals.length === 0) return [];
  const stakeholders = list(isObject(manifest.envision) ? manifest.envision.stakeholders : [])
    .filter(isObject)
    .map((s) => s as { id?: unknown; name?: unknown });
  let standings: ReturnType<typeof reassessmentStandings> | undefined;
  const subjectOf = (a: Approval): Subject | undefined => {
    if (typeof a.phase === 'string' && APPROVABLE.includes(a.phase)) {
      const phase = a.phase;
      return {
        label: phase,
        states: (m) => (m === manifest ? facts.approvals(phase) : approvalStates(m, phase, ctx)),
        same: (b) => b.phase === phase,
      };
    }
    if (typeof a.reassessment === 'string') {
      const id = a.reassessment;
      return {
        label: `reassessment ${id}`,
        states: (m) => {
          if (m !== manifest) return reassessmentApprovalStates(m, id, ctx);
          standings ??= reassessmentStandings(manifest, ctx);
          return (
            standings.find((s) => s.reassessment.id === id)?.states ??
            reassessmentApprovalStates(m, id, ctx)
          );
        },
        same: (b) => b.reassessment === id && typeof b.phase !== 'string',
      };
    }
    if (typeof a.waiver === 'string') {
      const id = a.waiver;
      return {
        label: `waiver ${id}`,
        states: (m) => waiverApprovalStates(m, id, ctx),
        same: (b) => b.waiver === id && typeof b.phase !== 'string',
      };
    }
    return undefined;
  };
  const keep = (v: unknown): string | undefined => strings.keepString(v);
  const whole = new Map<string, ApprovalState[]>();
  const entries: { entry: TimelineEntry; date: string; index: number }[] = [];
  approvals.forEach((a, index) => {
    if (!isObject(a)) return;
    const approval = a as unknown as Approval;
    const subject = subjectOf(approval);
    let state: ApprovalState | undefined;
    let status: string;
    if (!subject) status = 'unbound';
    else {
      let all = whole.get(subject.label);
      if (!all) whole.set(subject.label, (all = subject.states(manifest)));
      const decider = all.find((s) => s.role === approval.role && s.index !== undefined);
      state = all.find((s) => s.index === index);
      if (state) status = state.status;
      else if (
        decider?.approval &&
        !NOT_RECORDED.has(decider.status) &&
        laterThan(decider.approval, decider.index!, approval, index)
      )
        status = 'superseded';
      else {
        // alone among its role's approvals of the subject: what it would count as
        const alone: Manifest = {
          ...manifest,
          approvals: approvals.map((b, j) =>
            j === index ||
            !isObject(b) ||
            b.role !== approval.role ||
            !subject.same(b as unknown as Approval)
              ? b
              : (null as unknown as Approval),
          ),
        };
        const states = subject.states(alone);
        state = states.find((s) => s.index === index);
        status =
          state?.status ??
          (states.some((s) => s.future?.some((f) => f.index === index))
            ? 'future'
            : 'not_required');
      }
    }
    const who = stakeholders.find((s) => s.id === approval.by);
    const detail = approvalDetail(facts, approval, subject?.label, state);
    entries.push({
      date: String(approval.date ?? ''),
      index,
      entry: {
        kind: 'approval',
        ...opt('id', keep(approval.id)),
        subject: strings.keep(subject?.label ?? '?'),
        ...opt('by', keep(approval.by)),
        ...opt('name', keep(who?.name)),
        ...opt('role', keep(approval.role)),
        ...opt('date', keep(approval.date)),
        ...opt('decision', keep(approval.decision)),
        status,
        ...opt('detail', detail !== undefined ? strings.keep(detail) : undefined),
      },
    });
  });
  // in the order they were decided: by date, then by their place in the list
  entries.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.index - y.index));
  return entries.map((e) => e.entry);
}

/** `a` (at `ai` in the list) was decided after `b` (at `bi`): a later date, or later in the list. */
function laterThan(a: Approval, ai: number, b: Approval, bi: number): boolean {
  const x = String(a.date ?? '');
  const y = String(b.date ?? '');
  return x > y || (x === y && ai > bi);
}

/** A few words more about an approval: its conditions, and what changed since it was signed. */
function approvalDetail(
  facts: Facts,
  approval: Approval,
  label: string | undefined,
  state: ApprovalState | undefined,
): string | undefined {
  const parts: string[] = [];
  if (typeof approval.conditions === 'string' && approval.conditions !== '')
    parts.push(`conditions: ${approval.conditions}`);
  if (state?.status === 'stale') {
    if (state.sectionChanged)
      parts.push(`${label ?? 'what it signed'} changed since it was signed`);
    const changed = (state.changed ?? []).map((c) => facts.show(c.repoPath));
    if (changed.length > 0)
      parts.push(`evidence changed since it was signed: ${changed.join(', ')}`);
  }
  if (state?.status === 'same_person' && state.alsoAs)
    parts.push(`the same person signs as ${state.alsoAs.role} (${state.alsoAs.by})`);
  if (state?.status === 'not_independent')
    parts.push(
      state.conflict === 'owner'
        ? "the approver is the model's owner"
        : 'the approver is one of its data scientists',
    );
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** A waiver on the timeline: in force (with its days left) or why not. */
function waiverEntry(w: WaiverState): TimelineEntry {
  return {
    kind: 'waiver',
    ...opt('id', w.id),
    subject: w.target !== undefined ? `${w.rule} ${w.target}` : w.rule,
    by: w.owner,
    date: w.expires,
    status: w.status,
    ...opt('daysLeft', w.status === 'in_force' ? w.daysLeft : undefined),
    detail: w.reason,
  };
}

/** A finding in words, as the report shows it. */
function findingData(
  f: Finding,
  tell: Tell,
  where: { rule?: string; phase?: Phase } = {},
): FindingData {
  const { message, hint } = tell(f);
  return {
    severity: f.severity,
    code: f.code,
    ...opt('rule', where.rule),
    ...opt('phase', where.phase),
    message,
    ...opt('fix', hint),
    ...opt('line', f.line),
    ...opt('column', f.column),
  };
}

/**
 * The errors and warnings that stand, in the order `mlops check` reports them (by phase, then
 * rule). A finding of a rule judged in several phases (G1 to G4) is listed once, at its first.
 */
function standingFindings(report: ManifestReport, tell: Tell): FindingData[] {
  const out: FindingData[] = [];
  const seen = new Set<string>();
  for (const p of report.phases)
    for (const rule of p.rules)
      for (const f of rule.findings) {
        if (f.severity !== 'error' && f.severity !== 'warning') continue;
        const data = findingData(f, tell, { rule: rule.id, phase: p.phase });
        const key = JSON.stringify([rule.id, f.code, data.message, data.fix, f.line, f.column]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(data);
      }
  return out;
}

const WORST: readonly ValueStanding[] = ['failing', 'at_risk', 'on_track'];

function valueSeries(v: ValueLine, detail: ModelDetail | undefined): ValueSeries {
  const own = detail?.values.find((x) => x.id === v.id);
  return {
    id: v.id,
    ...opt('name', v.name),
    ...opt('unit', v.unit),
    ...opt('direction', v.direction),
    ...opt('baseline', v.baseline),
    ...opt('minimumAcceptable', v.minimumAcceptable),
    ...opt('target', v.target),
    ...opt('targetBy', own?.targetBy),
    ...opt('observed', v.observed),
    ...opt('observedFrom', v.source?.kind),
    status: v.status,
    ...opt('source', detail?.valueSource),
    history: own?.history ?? [],
  };
}

/** What a manifest judged by `mlops check` is: its report, the phases it is held to, whether it meets them. */
export interface JudgedManifest {
  report: ManifestReport;
  heldTo: Phase[];
  ok: boolean;
}

/** The data of one model: its verdict from `judged`, the rest from `detail` (absent: it was not judged). */
export function modelData(
  judged: JudgedManifest,
  detail: ModelDetail | undefined,
  page: string,
  tell: Tell,
): ModelData {
  const { report, heldTo, ok } = judged;
  const invalid = report.invalid !== undefined;
  const head = {
    file: report.file,
    page,
    ...opt('name', report.name),
    ...opt('title', detail?.meta.title),
    ...opt('version', detail?.meta.version),
    ...opt('owner', detail?.meta.owner),
    ...opt('riskTier', report.riskTier),
    ...opt('euAiAct', detail?.meta.euAiAct),
    status: report.status ?? 'envision',
  };
  const readiness = report.phases.map((p) => ({
    phase: p.phase,
    ready: p.ready,
    passed: p.passed,
    total: p.total,
  }));
  if (invalid) {
    const findings = report.invalid!.map((f) => findingData(f, tell));
    return {
      ...head,
      invalid: findings,
      readiness,
      heldTo,
      ok,
      value: { standing: 'unknown', onTrack: 0, atRisk: 0, failing: 0, unknown: 0 },
      guardrailCounts: { passing: 0, failing: 0, unknown: 0 },
      approvalCounts: { current: 0, stale: 0, other: 0 },
      waiverCounts: { inForce: 0, expiring: 0, notInForce: 0 },
      values: [],
      guardrails: [],
      timeline: [],
      risks: [],
      findings: findings.filter((f) => f.severity !== 'info'),
    };
  }
  const values = report.values.map((v) => valueSeries(v, detail));
  const count = (s: ValueStanding): number => values.filter((v) => v.status === s).length;
  const standing = WORST.find((s) => count(s) > 0) ?? 'unknown';
  const lines = readScoreboard(report.scoreboard).guardrails;
  const guardrails = lines.map((g, k): GuardrailData => ({
    id: g.id,
    dimension: g.dimension,
    metric: g.metric,
    phase: g.phase,
    ...opt('observed', g.observed),
    ...opt('min', g.bounds.min),
    ...opt('max', g.bounds.max),
    status: g.status,
    ...opt('source', g.source?.path),
    ...opt('date', g.source?.date),
    ...opt('groups', g.groups),
    ...opt('history', g.phase === 'monitor' ? (detail?.guardrails[k] ?? []) : undefined),
  }));
  const approvals = detail?.approvals ?? [];
  const timeline = [...approvals, ...report.waivers.map(waiverEntry)];
  const inForce = report.waivers.filter((w) => w.status === 'in_force');
  const through = readyThrough(report);
  return {
    ...head,
    readiness,
    ...opt('readyThrough', through),
    heldTo,
    ok,
    value: {
      standing,
      onTrack: count('on_track'),
      atRisk: count('at_risk'),
      failing: count('failing'),
      unknown: count('unknown'),
    },
    guardrailCounts: {
      passing: guardrails.filter((g) => g.status === 'pass' || g.status === 'warn').length,
      failing: guardrails.filter((g) => g.status === 'fail').length,
      unknown: guardrails.filter((g) => g.status === 'unknown').length,
    },
    approvalCounts: {
      current: approvals.filter((a) => a.status === 'current').length,
      stale: approvals.filter((a) => a.status === 'stale').length,
      other: approvals.filter((a) => a.status !== 'current' && a.status !== 'stale').length,
    },
    waiverCounts: {
      inForce: inForce.length,
      expiring: inForce.filter(
        (w) => w.daysLeft !== undefined && w.daysLeft <= WAIVER_EXPIRING_DAYS,
      ).length,
      notInForce: report.waivers.length - inForce.length,
    },
    ...opt('envision', detail?.envision),
    values,
    guardrails,
    timeline,
    risks: detail?.risks ?? [],
    findings: standingFindings(report, tell),
  };
}

/** `a` before `b` by code unit: the same order on every machine and locale. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The report's data from a run of `mlops check`: every model, sorted by its file, with its page.
 * `judged[i]` and `details[i]` are dropped as model `i` is made, so that the run's reports and
 * the models made from them are never all held at once.
 */
export function assembleReport(
  head: { version: string; today: string; root: string; historyLimit: number },
  judged: (JudgedManifest | undefined)[],
  details: (ModelDetail | undefined)[],
  tell: Tell,
): ReportData {
  const order = judged
    .map((j, i) => ({ i, file: j!.report.file }))
    .sort((a, b) => byCodeUnit(a.file, b.file) || a.i - b.i);
  const pages = pageNames(order.map(({ i }) => judged[i]!.report.name));
  const models = order.map(({ i }, k) => {
    const model = modelData(judged[i]!, details[i], pages[k]!, tell);
    judged[i] = undefined;
    details[i] = undefined;
    return model;
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mlops', version: head.version },
    today: head.today,
    root: head.root,
    historyLimit: head.historyLimit,
    models,
  };
}
