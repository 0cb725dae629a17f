import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNATURE_NAMESPACE } from '../core/evidence-digest.js';
import { runGitText, runSshKeygen } from './git.js';
import type { Git } from './git.js';

/** An approval signature to verify, and for whom. */
export interface SignatureCheck {
  /** The approval's id. */
  id: string;
  /** The email the signature must be for (the approver's, in the allowed signers file). */
  principal: string;
  /** The armored SSH signature. */
  signature: string;
  /** What it signs (`signedText`). */
  message: string;
  /** Absolute path of the allowed signers file; default: git's gpg.ssh.allowedSignersFile. */
  allowedSigners?: string;
}

/** Runs `ssh-keygen -Y verify`; true when it accepts the signature (exit 0). */
async function verifyOne(
  allowed: string,
  check: SignatureCheck,
  sigFile: string,
): Promise<boolean> {
  const r = await runSshKeygen(
    [
      '-Y',
      'verify',
      '-f',
      allowed,
      '-I',
      check.principal,
      '-n',
      SIGNATURE_NAMESPACE,
      '-s',
      sigFile,
    ],
    check.message,
  );
  return r.status === 0;
}

/**
 * The approvals whose own signature verifies, by id, to the principal it verified for. A
 * signature counts only through the allowed signers file (the setting, else git's
 * gpg.ssh.allowedSignersFile); without one, or without ssh-keygen, none verifies.
 */
export async function verifyApprovalSignatures(
  git: Git,
  checks: readonly SignatureCheck[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (checks.length === 0) return out;
  let fallback: string | undefined;
  if (checks.some((c) => !c.allowedSigners)) {
    try {
      const configured = (
        await runGitText(git, ['config', '--path', '--get', 'gpg.ssh.allowedSignersFile'])
      ).trim();
      if (configured !== '') fallback = configured;
    } catch {
      fallback = undefined;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sig-'));
  try {
    for (const [i, check] of checks.entries()) {
      const allowed = check.allowedSigners ?? fallback;
      if (!allowed) continue;
      const sigFile = join(dir, `${i}.sig`);
      writeFileSync(
        sigFile,
        check.signature.endsWith('\n') ? check.signature : `${check.signature}\n`,
      );
      if (await verifyOne(allowed, check, sigFile)) out.set(check.id, check.principal);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
