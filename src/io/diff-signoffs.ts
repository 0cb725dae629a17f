import { resolve } from 'node:path';
import type { SignOffContext } from '../core/approvals.js';
import type { ResolvedConfig } from '../core/config.js';
import type { Manifest } from '../core/manifest.js';
import { signedText } from '../core/evidence-digest.js';
import { subjectSettings } from './check-inputs.js';
import { readSignOffCommits, signOffWanted } from './git-state.js';
import type { Git } from './git.js';
import { verifyApprovalSignatures } from './ssh-verify.js';
import type { SignatureCheck } from './ssh-verify.js';

/**
 * Who signed at a diff's head, as `mlops check` judges it: for the manifests of a batch, the
 * commit that added each approval in the head's history (`rev`; `HEAD` for the working tree,
 * where an approval not committed yet does not count), the identity mode of each manifest's
 * config, and the approval signatures that verify. A fixed number of git processes a batch: one `log -G` and one `cat-file`, plus a full `log` and `cat-file` for manifests holding an approval no `-G` commit holds as it is.
 */
export function diffSignOffs(
  git: Git,
  rev: string,
  cwd: string,
  configsOf: (abs: readonly string[]) => Promise<(abs: string) => ResolvedConfig>,
): (
  heads: readonly { path: string; data: unknown }[],
) => Promise<ReadonlyMap<string, Partial<SignOffContext>>> {
  return async (heads) => {
    const configOf = await configsOf(heads.map((h) => resolve(git.root, h.path)));
    const settings = heads.map((h) =>
      subjectSettings(configOf(resolve(git.root, h.path)), cwd, { pinnedToday: false }),
    );
    const signed = settings.some((s) => s.identity === 'signed');
    const allowed = settings.find((s) => s.allowedSigners)?.allowedSigners;
    const commits = await readSignOffCommits(
      git,
      heads.map((h) => signOffWanted(h.path, h.data)),
      { rev, signatures: signed, ...(allowed ? { allowedSigners: allowed } : {}) },
    );
    const checks: SignatureCheck[] = [];
    heads.forEach((h, i) => {
      if (settings[i]!.identity !== 'signed') return;
      const m = (h.data ?? {}) as Partial<Manifest>;
      const people = Array.isArray(m.envision?.stakeholders) ? m.envision.stakeholders : [];
      for (const a of Array.isArray(m.approvals) ? m.approvals : []) {
        if (!a || typeof a.signature !== 'string' || typeof a.id !== 'string') continue;
        const who = people.find((p) => p && p.id === a.by);
        if (!who || typeof who.email !== 'string') continue;
        const allowedSigners = settings[i]!.allowedSigners;
        checks.push({
          id: a.id,
          principal: who.email,
          signature: a.signature,
          message: signedText(a),
          ...(allowedSigners ? { allowedSigners } : {}),
        });
      }
    });
    const signatures = await verifyApprovalSignatures(git, checks);
    const out = new Map<string, Partial<SignOffContext>>();
    heads.forEach((h, i) => {
      const s = settings[i]!;
      out.set(h.path, {
        identity: s.identity ?? 'author',
        ...(s.identitySource ? { identitySource: s.identitySource } : {}),
        approvalCommits: commits.get(h.path)?.approvals ?? new Map(),
        signatures,
      });
    });
    return out;
  };
}
