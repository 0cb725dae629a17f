import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ApprovablePhase } from './approvals.js';
import { canonicalJson, digestOf } from './digest.js';
import { collectEvidence, dirOf } from './check/evidence.js';
import type { EvidenceRef } from './check/evidence.js';
import { parseEvidenceText } from './check/values.js';
import type { Approval, Manifest } from './manifest.js';

/** An evidence file an approval of a phase binds. */
export interface BoundFile {
  /** The key in `approval.evidence`: the path relative to the manifest's folder, normalised. */
  key: string;
  /** Repository-relative, forward slashes. */
  repoPath: string;
  /** The manifest's entries that name the file (one file may be named by several). */
  refs: EvidenceRef[];
  /** Whether the content is read as data (JSON or YAML by its extension). */
  data: boolean;
}

/** Whether a path names a JSON or YAML file, whose digest is that of its parsed content. */
export function isDataPath(path: string): boolean {
  return /\.(json|ya?ml)$/i.test(path);
}

/** The key of a repository path in `approval.evidence`: relative to the manifest's folder. */
export function evidenceKey(manifestRepoPath: string, repoPath: string): string {
  const from = dirOf(manifestRepoPath);
  return from === '' ? repoPath : posix.relative(from, repoPath) || repoPath;
}

/**
 * The evidence files an approval of `phase` binds: every file the phase's rules read (evidence
 * entries of that phase inside the repository), each once, sorted by key. Monitor evidence,
 * refreshed every cadence, binds no approval; nor do reassessments and waivers.
 */
export function boundEvidence(
  manifest: Manifest,
  manifestRepoPath: string,
  phase: ApprovablePhase,
  refs: readonly EvidenceRef[] = collectEvidence(manifest, manifestRepoPath),
): BoundFile[] {
  const byPath = new Map<string, BoundFile>();
  for (const ref of refs) {
    if (ref.phase !== phase || ref.repoPath === undefined) continue;
    let file = byPath.get(ref.repoPath);
    if (!file) {
      file = {
        key: evidenceKey(manifestRepoPath, ref.repoPath),
        repoPath: ref.repoPath,
        refs: [],
        data: isDataPath(ref.repoPath),
      };
      byPath.set(ref.repoPath, file);
    }
    file.refs.push(ref);
  }
  return [...byPath.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The digest of an evidence file's content as an approval binds it: for JSON and YAML files
 * (by extension) that parse, `sha256:` of the canonical JSON of the parsed data, so reformatting
 * a report never makes an approval stale; for other files, and data that does not parse,
 * `sha256:` of the bytes (`bytesSha256`, hex, when the caller hashed them; else of `text` as
 * UTF-8). Undefined when there is nothing to hash.
 */
export function evidenceDigest(
  path: string,
  content: { text?: string; bytesSha256?: string },
): string | undefined {
  if (content.text !== undefined && isDataPath(path)) {
    const parsed = parseEvidenceText(path, content.text);
    if (parsed.ok) return digestOf(parsed.data);
  }
  if (content.bytesSha256 !== undefined) return `sha256:${content.bytesSha256.toLowerCase()}`;
  if (content.text !== undefined)
    return `sha256:${createHash('sha256').update(content.text, 'utf8').digest('hex')}`;
  return undefined;
}

/** The SSH signature namespace of approvals (`ssh-keygen -Y sign -n`). */
export const SIGNATURE_NAMESPACE = 'mlops-approval';

/**
 * What an approval's `signature` signs: a first line naming the format, then the canonical
 * JSON of the approval without its signature and without `recordedBy` (a record of who ran the
 * command, not part of the decision).
 */
export function signedText(approval: Approval): string {
  const { signature: _signature, recordedBy: _recordedBy, ...signed } = approval;
  return `mlops approval v1\n${canonicalJson(signed)}\n`;
}
