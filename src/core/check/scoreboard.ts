import { DIMENSIONS } from '../manifest.js';
import type { DimensionKey, ValueMetric } from '../manifest.js';
import { driftStatistic } from '../manifest/drift.js';
import { buildEvidencePaths, guardrailPhases } from './evidence.js';
import type { EvidenceRef } from './evidence.js';
import { metricPointer } from './facts.js';
import type { Facts } from './facts.js';
import { projectedValue } from './projection.js';
import type {
  BoundsStatus,
  DriftLine,
  GuardrailGroupLine,
  GuardrailLine,
  ObservedSource,
  ProjectionLine,
  Scoreboard,
  ValueLine,
} from './result.js';
import { isObject, list } from './util.js';
import {
  classifyValue,
  escapePointerToken,
  observe,
  resolvePointer,
  toleranceOf,
} from './values.js';

/**
 * The scoreboard of one manifest: every guardrail's observed value in each phase it is active
 * in, every drift check's and every value metric's, with its bounds, where it was read and how
 * it stands. It reads what the rules read, through `facts` (evidence parsed once, and only
 * evidence that counts). Guardrails and drift checks, a score of them per manifest, are kept
 * packed until reported (see `Packer`); value metrics, a few, as they are.
 */
export function scoreboard(facts: Facts): { scoreboard: Scoreboard; values: ValueLine[] } {
  const packer = new Packer(facts.show);
  packGuardrails(facts, packer);
  packDrift(facts, packer);
  return { scoreboard: packer.done(), values: valueLines(facts) };
}

const STATUSES: readonly BoundsStatus[] = ['pass', 'warn', 'fail', 'unknown'];
const GUARDRAIL_PHASES = ['build', 'monitor'] as const;
const STATISTICS = ['distance', 'pvalue'] as const;
const PASS = 0;
const FAIL = 2;
const UNKNOWN = 3;

/**
 * Packs guardrail and drift lines as a report holds them until the end of a run (a run over
 * thousands of manifests holds every report): each item is ten numbers in `cells`, and its
 * names and paths are indexes (from 1; 0 for none) into `names` and `paths`, which hold each
 * string once per manifest. An absent number is NaN. The items, one after the other:
 *
 * - a guardrail: `head` (0 + 2 × phase + 4 × status + 16 × dimension), id, metric, path,
 *   pointer, date, observed, min, max, the number of groups; then per group its name, observed
 *   value and status;
 * - a drift check: `head` (1 + 2 × statistic + 4 × status), id, method, path, pointer, date,
 *   observed, min, max, warn.
 *
 * `readScoreboard` gives the lines back.
 */
class Packer {
  private readonly names: string[] = [];
  private readonly paths: string[] = [];
  private readonly cells: number[] = [];
  private readonly seenNames = new Map<string, number>();
  private readonly seenPaths = new Map<string, number>();

  /** `show`: a repository path as the user sees it. */
  constructor(private readonly show: (repoPath: string) => string = (p) => p) {}

  name(s: string | undefined): number {
    if (s === undefined) return 0;
    let i = this.seenNames.get(s);
    if (i === undefined) {
      this.names.push(s);
      this.seenNames.set(s, (i = this.names.length));
    }
    return i;
  }

  /** A repository path, shown once. */
  path(repoPath: string | undefined): number {
    if (repoPath === undefined) return 0;
    let i = this.seenPaths.get(repoPath);
    if (i === undefined) {
      this.paths.push(this.show(repoPath));
      this.seenPaths.set(repoPath, (i = this.paths.length));
    }
    return i;
  }

  /** One item's ten cells; `last` is a guardrail's number of groups, a drift check's warn. */
  item(
    head: number,
    id: string,
    what: string,
    source: { path: number; pointer?: string; date?: string },
    observed: number | undefined,
    min: number | undefined,
    max: number | undefined,
    last: number | undefined,
  ): void {
    this.cells.push(
      head,
      this.name(id),
      this.name(what),
      source.path,
      this.name(source.pointer),
      this.name(source.date),
      observed ?? NaN,
      min ?? NaN,
      max ?? NaN,
      last ?? NaN,
    );
  }

  group(group: string, observed: number | undefined, status: number): void {
    this.cells.push(this.name(group), observed ?? NaN, status);
  }

  /** The index of the cell at which the next item starts. */
  get at(): number {
    return this.cells.length;
  }

  /** Sets the cell at `at` (a guardrail's head, once its groups are judged). */
  set(at: number, value: number): void {
    this.cells[at] = value;
  }

  done(): Scoreboard {
    return { names: this.names, paths: this.paths, cells: this.cells };
  }
}

const guardrailHead = (phase: 'build' | 'monitor', status: number, dimension: DimensionKey) =>
  2 * GUARDRAIL_PHASES.indexOf(phase) + 4 * status + 16 * DIMENSIONS.indexOf(dimension);

const driftHead = (statistic: 'distance' | 'pvalue', status: number) =>
  1 + 2 * STATISTICS.indexOf(statistic) + 4 * status;

/** Guardrail and drift lines packed (see `Packer`): what a report holds of them. */
export function packScoreboard(guardrails: GuardrailLine[], drift: DriftLine[]): Scoreboard {
  const packer = new Packer();
  const source = (src: ObservedSource | undefined) => ({
    path: packer.path(src?.path),
    ...(src?.pointer !== undefined ? { pointer: src.pointer } : {}),
    ...(src?.date !== undefined ? { date: src.date } : {}),
  });
  for (const g of guardrails) {
    const head = guardrailHead(g.phase, STATUSES.indexOf(g.status), g.dimension);
    const { min, max } = g.bounds;
    packer.item(
      head,
      g.id,
      g.metric,
      source(g.source),
      g.observed,
      min,
      max,
      g.groups?.length ?? 0,
    );
    for (const x of g.groups ?? []) packer.group(x.group, x.observed, STATUSES.indexOf(x.status));
  }
  for (const d of drift) {
    const head = driftHead(d.statistic, STATUSES.indexOf(d.status));
    const { min, max, warn } = d.bounds;
    packer.item(head, d.id, d.method, source(d.source), d.observed, min, max, warn);
  }
  return packer.done();
}

/** The guardrail and drift lines of a packed scoreboard, their keys in the order reports show them. */
export function readScoreboard(board: Scoreboard): {
  guardrails: GuardrailLine[];
  drift: DriftLine[];
} {
  const { names, paths, cells } = board;
  const guardrails: GuardrailLine[] = [];
  const drift: DriftLine[] = [];
  const name = (cell: number): string => names[cell - 1]!;
  let at = 0;
  while (at < cells.length) {
    const head = cells[at]!;
    const [path, pointer, date] = [cells[at + 3]!, cells[at + 4]!, cells[at + 5]!];
    const [observed, min, max, last] = [
      cells[at + 6]!,
      cells[at + 7]!,
      cells[at + 8]!,
      cells[at + 9]!,
    ];
    const drifts = (head & 1) === 1;
    const bounds: { min?: number; max?: number; warn?: number } = {};
    if (!Number.isNaN(min)) bounds.min = min;
    if (!Number.isNaN(max)) bounds.max = max;
    if (drifts && !Number.isNaN(last)) bounds.warn = last;
    // keys are set in the order reports show them: names, observed, bounds, source, status
    const line: Record<string, unknown> = drifts
      ? {
          id: name(cells[at + 1]!),
          method: name(cells[at + 2]!),
          statistic: STATISTICS[(head >> 1) & 1],
        }
      : {
          id: name(cells[at + 1]!),
          dimension: DIMENSIONS[head >> 4],
          metric: name(cells[at + 2]!),
          phase: GUARDRAIL_PHASES[(head >> 1) & 1],
        };
    if (!Number.isNaN(observed)) line.observed = observed;
    line.bounds = bounds;
    if (path > 0) {
      const source: ObservedSource = { path: paths[path - 1]! };
      if (pointer > 0) source.pointer = name(pointer);
      if (date > 0) source.date = name(date);
      line.source = source;
    }
    line.status = STATUSES[(head >> 2) & 3];
    at += 10;
    if (drifts) {
      drift.push(line as unknown as DriftLine);
      continue;
    }
    if (last > 0) {
      const groups: GuardrailGroupLine[] = [];
      for (let k = 0; k < last; k++, at += 3) {
        const group: Record<string, unknown> = { group: name(cells[at]!) };
        if (!Number.isNaN(cells[at + 1]!)) group.observed = cells[at + 1];
        group.status = STATUSES[cells[at + 2]!];
        groups.push(group as unknown as GuardrailGroupLine);
      }
      line.groups = groups;
    }
    guardrails.push(line as unknown as GuardrailLine);
  }
  return { guardrails, drift };
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** Inside `[min, max]` (both inclusive, either absent). */
function inBounds(value: number, min: number | undefined, max: number | undefined): boolean {
  return !(min !== undefined && value < min) && !(max !== undefined && value > max);
}

/** Where a group's value of a guardrail is read in its evidence: `/groups/<group>/<metric>`. */
export function groupPointer(group: string, metric: string): string {
  return `/groups/${escapePointerToken(group)}/${escapePointerToken(metric)}`;
}

/** Where an item was read, for `Packer.item`: the file, the pointer, the date of its last commit. */
function sourceOf(facts: Facts, packer: Packer, ref: EvidenceRef, pointer?: string) {
  const repoPath = ref.repoPath;
  return {
    path: packer.path(repoPath),
    pointer,
    date: repoPath === undefined ? undefined : facts.input.lastCommitDates.get(repoPath),
  };
}

const NO_SOURCE = { path: 0 };

function packGuardrails(facts: Facts, packer: Packer): void {
  let built: ReturnType<typeof buildEvidencePaths> | undefined;
  for (const { dimension, index, guardrail: g } of facts.guardrails) {
    const id = String(g.id);
    const metric = String(g.metric);
    const min = num(g.min);
    const max = num(g.max);
    const groups = Array.isArray(g.groups)
      ? g.groups.filter((x): x is string => typeof x === 'string')
      : [];
    for (const phase of guardrailPhases(g)) {
      const ref = facts.evidenceRef('guardrail', { phase, dimension, index });
      const unknown = guardrailHead(phase, UNKNOWN, dimension);
      if (!ref) {
        packer.item(unknown, id, metric, NO_SOURCE, undefined, min, max, 0);
        continue;
      }
      if (phase === 'monitor' && ref.repoPath !== undefined) {
        // live evidence that is a build report is never read as live (rule M1)
        built ??= buildEvidencePaths(facts.manifest, facts.input.manifestPath);
        if (built.has(ref.repoPath)) {
          packer.item(unknown, id, metric, sourceOf(facts, packer, ref), undefined, min, max, 0);
          continue;
        }
      }
      const o = facts.observed(ref, metric);
      const observed = o.value;
      let status = observed === undefined ? UNKNOWN : inBounds(observed, min, max) ? PASS : FAIL;
      const source = sourceOf(facts, packer, ref, observed !== undefined ? o.pointer : undefined);
      const at = packer.at;
      packer.item(0, id, metric, source, observed, min, max, groups.length);
      if (groups.length > 0) {
        const data = read(facts, ref);
        for (const group of groups) {
          const v =
            data === undefined ? undefined : num(resolvePointer(data, groupPointer(group, metric)));
          const judged = v === undefined ? UNKNOWN : inBounds(v, min, max) ? PASS : FAIL;
          packer.group(group, v, judged);
          // a failure anywhere fails the guardrail; else one unobserved leaves it unknown
          if (judged === FAIL || (judged === UNKNOWN && status !== FAIL)) status = judged;
        }
      }
      packer.set(at, guardrailHead(phase, status, dimension));
    }
  }
}

/** The data of evidence that counts (rule G1), parsed once for every reader. */
function read(facts: Facts, ref: EvidenceRef): unknown {
  if (!ref.repoPath || facts.evidenceIssue(ref)) return undefined;
  const parsed = facts.readCurrent(ref.repoPath);
  return parsed?.ok ? parsed.data : undefined;
}

function packDrift(facts: Facts, packer: Packer): void {
  const m = facts.manifest.monitor;
  const drift = isObject(m) && Array.isArray(m.drift) ? m.drift : [];
  drift.forEach((d: unknown, index: number) => {
    if (!isObject(d)) return;
    const id = String(d.id);
    const method = String(d.method);
    const min = num(d.min);
    const max = num(d.max);
    const warn = num(d.warn);
    // ks and chi2 state their statistic (validate); a manifest that does not is read by its bound
    const statistic = driftStatistic(d) ?? (min !== undefined ? 'pvalue' : 'distance');
    const ref = facts.evidenceRef('drift', { index });
    if (!ref) {
      packer.item(driftHead(statistic, UNKNOWN), id, method, NO_SOURCE, undefined, min, max, warn);
      return;
    }
    const o = facts.observed(ref, id);
    const source = sourceOf(facts, packer, ref, o.value !== undefined ? o.pointer : undefined);
    let status = UNKNOWN;
    if (o.value !== undefined) {
      // a distance alerts above max, a p-value below min (rule M1)
      const pvalue = statistic === 'pvalue';
      const v = o.value;
      const alert = pvalue ? min !== undefined && v < min : max !== undefined && v > max;
      const warned = warn !== undefined && (pvalue ? v < warn : v > warn);
      status = alert ? FAIL : warned ? 1 : PASS;
    }
    packer.item(driftHead(statistic, status), id, method, source, o.value, min, max, warn);
  });
}

/** One candidate's projection of a value metric, from its value evaluation. */
function projectionLine(facts: Facts, metric: string, candidate: string): ProjectionLine {
  const p = projectedValue(facts, metric, candidate);
  const line: ProjectionLine = { candidate };
  if (p.evaluation) line.evaluation = p.evaluation.id;
  if (p.value !== undefined) {
    line.observed = p.value;
    const date = p.repoPath !== undefined ? facts.input.lastCommitDates.get(p.repoPath) : undefined;
    if (p.path !== undefined)
      line.source = {
        path: p.path,
        ...(p.pointer !== undefined ? { pointer: p.pointer } : {}),
        ...(date !== undefined ? { date } : {}),
      };
  }
  return line;
}

function valueLines(facts: Facts): ValueLine[] {
  const manifest = facts.manifest;
  const metrics = list(isObject(manifest.envision) ? manifest.envision.valueMetrics : undefined);
  if (metrics.length === 0) return [];
  const vtRef = facts.evidenceRef('valueTracking');
  const versions = vtRef?.repoPath ? (facts.input.committedVersions.get(vtRef.repoPath) ?? []) : [];
  const newest = versions[0];
  const newestData =
    vtRef?.repoPath && newest ? facts.readVersion(vtRef.repoPath, newest) : undefined;
  const build = isObject(manifest.build) ? manifest.build : {};
  const selectedRaw = isObject(build.selected) ? build.selected.candidate : undefined;
  const selected = typeof selectedRaw === 'string' && selectedRaw !== '' ? selectedRaw : undefined;
  const baselineRaw = list(build.candidates).find((c) => isObject(c) && c.baseline === true);
  const baselineId = isObject(baselineRaw) ? baselineRaw.id : undefined;
  const baseline = typeof baselineId === 'string' && baselineId !== '' ? baselineId : undefined;
  const out: ValueLine[] = [];
  for (const raw of metrics) {
    if (!isObject(raw)) continue;
    const m = raw as unknown as ValueMetric;
    const id = String(m.id);
    const baselineValue = num(m.baseline?.value);
    const target = num(m.target?.value);
    const minimum = num(m.minimumAcceptable);
    const tolerance = m.direction === 'maintain' ? toleranceOf(m) : undefined;
    const projections =
      selected !== undefined || baseline !== undefined
        ? {
            ...(selected !== undefined ? { selected: projectionLine(facts, id, selected) } : {}),
            ...(baseline !== undefined ? { baseline: projectionLine(facts, id, baseline) } : {}),
          }
        : undefined;
    // the value observed in production when there is one, else the selected candidate's projection
    let observed: number | undefined;
    let source: ValueLine['source'];
    if (vtRef?.repoPath && newest && newestData?.ok) {
      const o = observe(newestData.data, id, metricPointer(vtRef.pointer, id));
      if (o.value !== undefined) {
        observed = o.value;
        const path = facts.show(vtRef.repoPath);
        source = { kind: 'monitor', path, pointer: o.pointer, date: newest.date };
      }
    }
    const projected = projections?.selected;
    if (observed === undefined && projected?.observed !== undefined && projected.source) {
      observed = projected.observed;
      const evaluation =
        projected.evaluation !== undefined ? { evaluation: projected.evaluation } : {};
      source = { kind: 'build', ...evaluation, ...projected.source };
    }
    const line: ValueLine = {
      id,
      ...(typeof m.name === 'string' ? { name: m.name } : {}),
      ...(typeof m.unit === 'string' ? { unit: m.unit } : {}),
      ...(typeof m.direction === 'string' ? { direction: m.direction } : {}),
      ...(baselineValue !== undefined ? { baseline: baselineValue } : {}),
      ...(target !== undefined ? { target } : {}),
      ...(minimum !== undefined ? { minimumAcceptable: minimum } : {}),
      ...(observed !== undefined ? { observed } : {}),
      bounds: {
        ...(baselineValue !== undefined ? { baseline: baselineValue } : {}),
        ...(minimum !== undefined ? { minimum } : {}),
        ...(target !== undefined ? { target } : {}),
        ...(tolerance !== undefined ? { tolerance } : {}),
      },
      ...(source ? { source } : {}),
      status: classifyValue(m, observed),
      ...(projections ? { projections } : {}),
    };
    out.push(line);
  }
  return out;
}
