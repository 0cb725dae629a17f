import type { Finding } from '../findings.js';
import type { Phase } from '../manifest.js';
import type { RuleId } from './registry.js';
import type { ValueStatus } from './values.js';

export type RuleStatus = 'pass' | 'fail' | 'waived' | 'warning';

export interface WaiverState {
  rule: string;
  reason: string;
  owner: string;
  expires: string;
  expired: boolean;
  index: number;
}

export interface RuleResult {
  id: RuleId;
  title: string;
  status: RuleStatus;
  /** With `file`, a fingerprint, and a position when the caller gave `locate`. */
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
  /** Set when the manifest does not read or validate: the reader's findings; nothing was judged. */
  invalid?: Finding[];
  phases: PhaseResult[];
  values: ValueLine[];
  waivers: WaiverState[];
}
