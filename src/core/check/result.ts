import type { Finding } from '../findings.js';
import type { DimensionKey, Phase } from '../manifest.js';
import type { RuleId } from './registry.js';
import type { ValueStatus } from './values.js';

export type RuleStatus = 'pass' | 'fail' | 'waived' | 'warning';

/**
 * Why a waiver is not in force, in the order they are fixed: written for the earlier contract
 * (no `id`, or no `target` where its rule's findings name items); its id taken by an earlier
 * waiver; a rule no waiver may name; past its expiry; an expiry beyond the maximum after the
 * commit that added it; not committed; not approved.
 */
export type WaiverProblem =
  | 'earlier_shape'
  | 'duplicate'
  | 'not_waivable'
  | 'expired'
  | 'beyond_maximum'
  | 'uncommitted'
  | 'unapproved';

/** The sign-off a waiver needs, as it stands (see `waiverApprovalStates`). */
export interface WaiverSignOff {
  role: string;
  /** `current` when it counts; otherwise why not (an `ApprovalStatus`). */
  status: string;
  /** Who gave the approval that decides it, when there is one. */
  by?: string;
  date?: string;
  /** Counted under approvals.identity recorded: who committed it. */
  recordedBy?: string;
}

export interface WaiverState {
  /** Absent on a waiver of the earlier contract. */
  id?: string;
  rule: string;
  /** What it excuses: the item the findings are about (absent: every finding of the rule). */
  target?: string;
  reason: string;
  owner: string;
  expires: string;
  /** `in_force`, or the first of `problems`. */
  status: 'in_force' | WaiverProblem;
  /** Why it is not in force; empty when it is. */
  problems: WaiverProblem[];
  /** Days from today to its expiry day (0: it holds today and no longer). */
  daysLeft?: number;
  /** In force: the stakeholder whose approval puts it in force, and their role. */
  approver?: string;
  approverRole?: string;
  /** The sign-offs it needs, each with its state. */
  signOffs: WaiverSignOff[];
  /** The commit that added it, when known: its short hash and date. */
  committed?: { commit: string; date: string };
  /** The last expiry allowed: `maxDays` after the commit that added it (today, if not committed). */
  latest?: string;
  maxDays: number;
  /** Its position in `waivers`. */
  index: number;
}

/** A finding a waiver in force excuses, and the waiver (`id`). */
export interface WaivedFinding {
  finding: Finding;
  waiver: string;
}

export interface RuleResult {
  id: RuleId;
  title: string;
  status: RuleStatus;
  /**
   * What stands: every finding no waiver excuses, and the warnings about the waivers that name
   * the rule. With `file`, a fingerprint, and a position when the caller gave `locate`.
   */
  findings: Finding[];
  /** The errors excused by waivers in force: the rule is `waived` when they were all its errors. */
  waived?: WaivedFinding[];
}

export interface PhaseResult {
  phase: Phase;
  /** Its own rules pass (or every error of theirs is waived). */
  rulesPass: boolean;
  /** Its rules pass and every earlier phase is ready. */
  ready: boolean;
  passed: number;
  total: number;
  rules: RuleResult[];
}

/** Where an observed value was read. */
export interface ObservedSource {
  /** The evidence file, as the user sees it. */
  path: string;
  /** The JSON Pointer the value was found at; absent when none was found. */
  pointer?: string;
  /** The date of the file's last commit (YYYY-MM-DD), when it is known. */
  date?: string;
}

/** How an observed value stands against its bounds: `unknown` when none was observed. */
export type BoundsStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** One group's value of a guardrail that names `groups`. */
export interface GuardrailGroupLine {
  group: string;
  observed?: number;
  status: BoundsStatus;
}

/** A guardrail's observed value in one phase it is active in: build evidence, or live evidence in monitor. */
export interface GuardrailLine {
  id: string;
  dimension: DimensionKey;
  metric: string;
  phase: 'build' | 'monitor';
  observed?: number;
  bounds: { min?: number; max?: number };
  source?: ObservedSource;
  /** `fail` when the value or any group's is out of bounds; `unknown` when one is not observed. */
  status: BoundsStatus;
  groups?: GuardrailGroupLine[];
}

/** A drift check's observed value: a distance bounded by `max`, or a p-value bounded by `min`. */
export interface DriftLine {
  id: string;
  method: string;
  statistic: 'distance' | 'pvalue';
  observed?: number;
  bounds: { min?: number; max?: number; warn?: number };
  source?: ObservedSource;
  /** `warn` beyond `warn`, `fail` beyond the alert bound. */
  status: BoundsStatus;
}

/** Guardrail and drift lines packed into a few numbers each (see `Packer` in scoreboard.ts). */
export interface Scoreboard {
  /** Ids, metrics, methods, groups, pointers and dates, each once. */
  names: string[];
  /** Evidence files as the user sees them, each once. */
  paths: string[];
  cells: number[];
}

/** One candidate's projected value of a value metric, read from its value evaluation. */
export interface ProjectionLine {
  candidate: string;
  /** The value evaluation read, when the candidate has one for the metric. */
  evaluation?: string;
  observed?: number;
  source?: ObservedSource;
}

export interface ValueLine {
  id: string;
  name?: string;
  unit?: string;
  direction?: string;
  baseline?: number;
  target?: number;
  minimumAcceptable?: number;
  /** The levels the value is judged against; `tolerance` for `maintain`. */
  bounds: { baseline?: number; minimum?: number; target?: number; tolerance?: number };
  observed?: number;
  /** Where the observation comes from: the committed value-tracking report, or the selected candidate's value evaluation. */
  source?: { kind: 'monitor' | 'build'; evaluation?: string } & ObservedSource;
  /** The projections of the selected candidate and of the baseline candidate (rule B2). */
  projections?: { selected?: ProjectionLine; baseline?: ProjectionLine };
  status: ValueStatus;
}

/** Readiness of one manifest. */
export interface ManifestReport {
  file: string;
  name?: string;
  riskTier?: string;
  status?: string;
  /** Set when the manifest does not read or validate: the reader's findings; nothing was judged. */
  invalid?: Finding[];
  phases: PhaseResult[];
  /** Every guardrail's observed value (in each phase) and every drift check's, packed: `readScoreboard` gives the lines. */
  scoreboard: Scoreboard;
  /** Every value metric's observed value. */
  values: ValueLine[];
  waivers: WaiverState[];
  /** Set when a config file pins the date the manifest is judged at (`today`). */
  pinned?: { today: string; source: string };
  /** Set when a config file sets who may record approvals (`approvals.identity`). */
  identity?: { mode: string; source: string };
}
