import type { SignOffCommit } from '../approvals.js';
import type { PathSegment } from '../findings.js';
import type { EvidenceRef, EvidenceState } from './evidence.js';

export type { EvidenceFile, WorkingState } from './evidence.js';

/** One committed version of a file, newest first in lists. */
export interface CommittedVersion {
  commit: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  text?: string;
}

/** Everything `checkReadiness` needs besides the manifest: plain data gathered by io. */
export interface CheckInput extends EvidenceState {
  /** The manifest's repository-relative path (forward slashes). */
  manifestPath: string;
  /** The manifest's path as the user sees it, for commands in fixes (default: manifestPath). */
  displayPath?: string;
  /** Repository-relative path to the path users see (relative to their working folder). */
  display?: (repoPath: string) => string;
  /** Date of the last commit that touched each path (YYYY-MM-DD). */
  lastCommitDates: ReadonlyMap<string, string>;
  /** Committed versions of the value-tracking evidence, newest first. */
  committedVersions: ReadonlyMap<string, readonly CommittedVersion[]>;
  /**
   * The commits that hold the manifest's stale approvals, by digest (`sha256:…` as written): the
   * short hash of the oldest commit whose version of the manifest holds the approval, or null
   * when none does (it is not committed yet). A digest left out, or no map: not known.
   */
  approvalCommits?: ReadonlyMap<string, string | null>;
  /** The commit that added each waiver, by id; null: not committed. Absent: not known. */
  waiverCommits?: ReadonlyMap<string, SignOffCommit | null>;
  /** The longest a waiver may last after the commit that added it, in days (default 90). */
  waiverMaxDays?: number;
  /** The config file that set `waivers.maxDays`, when one did. */
  waiverMaxDaysSource?: string;
  /** YYYY-MM-DD: the date of expiry and freshness. */
  today: string;
  /** The manifest's evidence as `collectEvidence` gives it, when the caller already has it. */
  refs?: EvidenceRef[];
  /**
   * Where a path of the manifest sits (the reader's `locate`); when given, every finding
   * carries its line and column.
   */
  locate?: (path: PathSegment[], target?: 'key' | 'value') => { line: number; column: number };
}
