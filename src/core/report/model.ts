/**
 * The data of `mlops report`: what the static site shows and what `--format json` writes (for
 * dashboards and catalogs). Plain JSON data only; every string in it comes from a repository
 * and is untrusted (the renderers escape it for its context). Its shape is versioned by
 * `schemaVersion` (schemas/mlops.report.v1.schema.json): a field is only ever added.
 */
import type { Phase } from '../manifest.js';

export const REPORT_SCHEMA_VERSION = 1;

/** The default number of newest committed versions read per evidence file (`--history`). */
export const DEFAULT_HISTORY = 60;

/** How the value of a model stands: the worst of its metrics (`unknown` when none is observed). */
export type ValueStanding = 'on_track' | 'at_risk' | 'failing' | 'unknown';

export interface ReportData {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** The tool that wrote it. */
  tool: { name: 'mlops'; version: string };
  /** The date the models were judged at (YYYY-MM-DD): `--today`, else today. */
  today: string;
  /** The repository's top folder, as the user sees it (relative to where mlops ran). */
  root: string;
  /** At most this many committed versions per evidence file are drawn. */
  historyLimit: number;
  /** Sorted by manifest path. */
  models: ModelData[];
}

/** One committed version of an evidence file, and the number read from it. */
export interface SeriesPoint {
  /** The full commit hash. */
  commit: string;
  /** The commit date (YYYY-MM-DD). */
  date: string;
  /** Absent when no number could be read: `gap` says why. */
  value?: number;
  /** Why there is no value: `unreadable` (not parsed), `absent` (no number at the pointer). */
  gap?: 'unreadable' | 'absent';
}

export interface ValueSeries {
  id: string;
  name?: string;
  unit?: string;
  direction?: string;
  baseline?: number;
  minimumAcceptable?: number;
  target?: number;
  /** `target.by` (YYYY-MM-DD). */
  targetBy?: string;
  /** The latest observed value (monitor evidence, else the selected candidate's projection). */
  observed?: number;
  /** Where `observed` comes from: `monitor` (value tracking) or `build` (a value evaluation). */
  observedFrom?: 'monitor' | 'build';
  status: ValueStanding;
  /** The value-tracking evidence file, as the user sees it. */
  source?: string;
  /** Every committed version of the value-tracking evidence (at most `historyLimit`), oldest first. */
  history: SeriesPoint[];
}

export interface GuardrailData {
  id: string;
  dimension: string;
  metric: string;
  phase: 'build' | 'monitor';
  observed?: number;
  min?: number;
  max?: number;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  /** The evidence file, as the user sees it. */
  source?: string;
  /** Date of the evidence's last commit. */
  date?: string;
  groups?: { group: string; observed?: number; status: 'pass' | 'warn' | 'fail' | 'unknown' }[];
  /** Monitor evidence only: its committed versions (at most `historyLimit`), oldest first. */
  history?: SeriesPoint[];
}

/** A sign-off or a waiver on the model's timeline. */
export interface TimelineEntry {
  kind: 'approval' | 'waiver';
  /** The approval's or waiver's id, when it has one. */
  id?: string;
  /** What it is about: a phase, `reassessment <id>` or `waiver <id>`; for a waiver, its rule and target. */
  subject: string;
  /** Approval: the approving stakeholder's id, name and role. Waiver: its owner. */
  by?: string;
  name?: string;
  role?: string;
  /** Approval: the date of the decision. Waiver: its expiry. */
  date?: string;
  /** Approval: approved, conditional or rejected. */
  decision?: string;
  /**
   * Approval: `current` (it counts), `stale` (what it signed changed), `superseded` (a later
   * decision of the same role counts), or why it does not count (an approval status of
   * `mlops check`). Waiver: `in_force`, or why not (a waiver problem of `mlops check`).
   */
  status: string;
  /** Waiver: days left until it expires, while in force. */
  daysLeft?: number;
  /** A few words more: conditions, a waiver's reason, what went stale. */
  detail?: string;
}

export interface RiskData {
  id: string;
  title: string;
  dimension?: string;
  /** 1 to 5, when stated. */
  likelihood?: number;
  impact?: number;
  treatment?: string;
  owner?: string;
  lineOfDefense?: number;
}

/** A finding as the report shows it: the words `mlops check` prints, and its fix. */
export interface FindingData {
  severity: 'error' | 'warning' | 'info';
  code: string;
  /** The readiness rule and phase it is about; absent for a finding of the reader. */
  rule?: string;
  phase?: Phase;
  message: string;
  /** What to do, when the finding says (a command or an edit), in words. */
  fix?: string;
  line?: number;
  column?: number;
}

export interface PhaseReadiness {
  phase: Phase;
  /** Its rules pass and every earlier phase is ready. */
  ready: boolean;
  passed: number;
  total: number;
}

export interface ModelData {
  /** The manifest, as the user sees it. */
  file: string;
  /** Its page in the site, relative to the site's folder, forward slashes (`models/<name>.html`). */
  page: string;
  name?: string;
  title?: string;
  version?: string;
  owner?: { name?: string; email?: string; team?: string };
  riskTier?: string;
  euAiAct?: {
    /** The risk class as it means now: the earlier `limited` is `minimal` with `art50`. */
    classification?: string;
    role?: string;
    basis?: string;
    /** "Annex III 5(b)". */
    legalBasis?: string;
    /** Art. 50 transparency duties apply. */
    art50?: boolean;
    art50Duties?: string[];
    /** General-purpose AI: model or systemic_risk (absent: none). */
    gpai?: string;
  };
  /** The claimed status (`metadata.status`, envision when absent). */
  status?: string;
  /** Set when the manifest does not read or validate: its findings; nothing else was judged. */
  invalid?: FindingData[];
  readiness: PhaseReadiness[];
  /** The last phase ready, in order; absent when Envision is not. */
  readyThrough?: Phase;
  /** The phases its status holds it to, and whether it is ready for all of them. */
  heldTo: Phase[];
  ok: boolean;
  value: {
    standing: ValueStanding;
    onTrack: number;
    atRisk: number;
    failing: number;
    unknown: number;
  };
  guardrailCounts: { passing: number; failing: number; unknown: number };
  approvalCounts: { current: number; stale: number; other: number };
  /** Waivers in force, in force and expiring within 14 days, and not in force. */
  waiverCounts: { inForce: number; expiring: number; notInForce: number };
  envision?: { hypothesis?: string; problem?: string; businessObjective?: string };
  values: ValueSeries[];
  guardrails: GuardrailData[];
  timeline: TimelineEntry[];
  risks: RiskData[];
  /** Errors and warnings that stand (not waived), in the order `mlops check` reports them. */
  findings: FindingData[];
}
