import type { IdentityMode, SignOffCommit } from '../approvals.js';
import type { PathSegment } from '../findings.js';
import type { EvidenceRef, EvidenceState } from './evidence.js';

export type { EvidenceFile, WorkingState } from './evidence.js';

/** One committed version of a file, newest first in lists. */
export interface CommittedVersion {
  commit: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  text?: string;
  /** The commit's subject line, where it was read (`mlops export`). */
  subject?: string;
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
  /** The commit that added each approval, by id; null: not committed. Absent: not known. */
  approvalCommits?: ReadonlyMap<string, SignOffCommit | null>;
  /** Who may record an approval that counts (config approvals.identity; default author). */
  identity?: IdentityMode;
  /** The config file that set the identity mode. */
  identitySource?: string;
  /** Approval ids whose own signature verified, to the principal it verified for. */
  approvalSignatures?: ReadonlyMap<string, string>;
  /** The digest an approval binds of an evidence file as it is now (`evidenceDigest`). */
  evidenceDigest?: (repoPath: string) => string | undefined;
  /** The text of an evidence file at a commit, where an approval signed it and it changed since. */
  evidenceAt?: (commit: string, repoPath: string) => string | undefined;
  /** The config file that pinned `today`, when one did. */
  todaySource?: string;
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
