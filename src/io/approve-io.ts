import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { EvidenceFile } from '../core/check/evidence.js';
import type { BoundFile } from '../core/evidence-digest.js';
import { SIGNATURE_NAMESPACE } from '../core/evidence-digest.js';
import { InputError } from '../errors.js';
import { readEvidenceFiles } from './evidence.js';
import { readGitConfig, runSshKeygen } from './git.js';
import type { GitEnvironment } from './git.js';
import { readScopeOf } from './read.js';

/** Where a manifest's evidence is read from when it is approved. */
export interface ApproveScope {
  /** The real path of the repository's top folder (outside one: the manifest's own folder). */
  root: string;
  /** The manifest's path relative to `root`, with `/`: what its evidence paths resolve against. */
  manifestPath: string;
  within: 'repository' | 'folder';
}

/**
 * The scope of the manifest at `abs` for `approve`: the repository `validate` reads it in (the
 * one around `cwd` when the path lies in it), so that the evidence it binds is the evidence
 * `check` reads. The manifest's path is that of its name (a link keeps its own place), under the
 * real folder that holds it.
 */
export function approveScope(abs: string, cwd: string): ApproveScope {
  const scope = readScopeOf(abs, resolve(cwd));
  const root = scope.realRoot ?? realpathSync.native(dirname(abs));
  let folder: string;
  try {
    folder = realpathSync.native(dirname(abs));
  } catch {
    folder = dirname(abs);
  }
  const rel = relative(root, folder).split(sep).join('/');
  return {
    root,
    manifestPath: rel === '' ? basename(abs) : `${rel}/${basename(abs)}`,
    within: scope.within,
  };
}

/**
 * The bound evidence files as the working tree holds them, by repository path: data files (JSON,
 * YAML) read as text, every file hashed. Nothing outside `root` is read, no link out of it is
 * followed, and folders, FIFOs and devices are never opened (see `readEvidenceFiles`).
 */
export function readBoundEvidence(
  root: string,
  bound: readonly BoundFile[],
): (repoPath: string) => EvidenceFile | undefined {
  const found = readEvidenceFiles(
    root,
    bound.map((file) => ({ path: file.repoPath, text: file.data, sha256: true })),
  );
  return (repoPath) => found.get(repoPath);
}

/**
 * Who runs `approve`, as `Name <email>` from git's `user.name` and `user.email` where the
 * manifest is (`Name` or `<email>` when only one is set); undefined when neither is.
 */
export async function recordedByOf(dir: string, env?: GitEnvironment): Promise<string | undefined> {
  const [name, email] = await Promise.all([
    readGitConfig(dir, 'user.name', env),
    readGitConfig(dir, 'user.email', env),
  ]);
  if (name !== undefined && email !== undefined) return `${name} <${email}>`;
  if (name !== undefined) return name;
  if (email !== undefined) return `<${email}>`;
  return undefined;
}

/** The first line of a program's error output that says something, without its prefixes. */
function firstLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    // past the progress line and the banner of a key file others can read
    .find(
      (l) =>
        l !== '' &&
        !/^Signing data on standard input/i.test(l) &&
        !/^@+$/.test(l) &&
        !/^@.*@$/.test(l),
    );
  return (line ?? '').replace(/^(ssh-keygen|error|fatal):\s*/i, '');
}

/**
 * Signs `message` with `ssh-keygen -Y sign -f <key> -n mlops-approval`, reading the message on
 * its standard input, and returns the armored signature without its last line break. `key` is
 * a private key file, or a public key whose private half is in ssh-agent; `shown` is how the
 * user wrote it, `manifest` the manifest as the user sees it. A key that is not a file, a
 * program that cannot run or a signature refused is an InputError naming both and the fix.
 */
export async function signWithSshKey(
  key: string,
  shown: string,
  message: string,
  manifest: string,
): Promise<string> {
  let isFile = false;
  try {
    isFile = statSync(key).isFile();
  } catch {
    isFile = false;
  }
  const unchanged = `${manifest} was left unchanged`;
  const useAgent = 'or, with ssh-agent, its public key (.pub)';
  if (!isFile) {
    throw new InputError(`--sign-key ${shown}: no such key file; ${unchanged}`, {
      hint: `pass the ssh private key listed for the approver in the allowed signers file, ${useAgent}`,
    });
  }
  const r = await runSshKeygen(['-Y', 'sign', '-f', key, '-n', SIGNATURE_NAMESPACE], message);
  if (r.status === null) {
    throw new InputError(
      `cannot sign the approval of ${manifest} with ${shown}: ${firstLine(r.stderr) || 'ssh-keygen did not run'}; ${unchanged}`,
      {
        hint: 'install OpenSSH (ssh-keygen 8.2 or later) and make sure it is on PATH, or leave out --sign-key',
      },
    );
  }
  const signature = r.stdout.replace(/\r?\n$/, '');
  if (r.status !== 0 || !signature.startsWith('-----BEGIN SSH SIGNATURE-----')) {
    const why = firstLine(r.stderr) || `ssh-keygen exited with status ${r.status}`;
    throw new InputError(
      `cannot sign the approval of ${manifest} with ${shown}: ${why}; ${unchanged}`,
      {
        hint: `pass an ssh private key that needs no passphrase, ${useAgent} after \`ssh-add\`; a private key must be readable by you alone (chmod 600)`,
      },
    );
  }
  return signature;
}
