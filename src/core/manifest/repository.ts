import { finding, fingerprintOf } from '../findings.js';
import type { Finding } from '../findings.js';
import type { ManifestName } from './reader.js';

/** A manifest of the repository by its name, as `manifestName` gives it, and its file. */
export interface NamedManifest extends ManifestName {
  file: string;
}

const MAX_OTHERS = 3;

/**
 * Findings across manifests, which no single reading can see: two or more manifests with the
 * same `metadata.name` (diff and check match manifests by it). Each gets a finding at its own
 * name, naming the other files.
 */
export function duplicateNames(manifests: readonly NamedManifest[]): Finding[] {
  // counted first: names are nearly always unique, and a list per name would be all waste
  // (indexed loops: one per manifest, in runs too short for a for-of to be optimized)
  const counts = new Map<string, number>();
  for (let i = 0; i < manifests.length; i++) {
    const name = manifests[i]!.name;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const byName = new Map<string, NamedManifest[]>();
  for (let i = 0; i < manifests.length; i++) {
    const m = manifests[i]!;
    if (counts.get(m.name)! < 2) continue;
    const same = byName.get(m.name);
    if (same) same.push(m);
    else byName.set(m.name, [m]);
  }
  const out: Finding[] = [];
  for (const [name, same] of byName) {
    const fingerprint = fingerprintOf([name, 'DUPLICATE_NAME', ['metadata', 'name'], { name }]);
    for (const m of same) {
      // a few of the others by name: a name copied into thousands of manifests must not make
      // output, or work, that grows with their square
      const others: string[] = [];
      for (const o of same) {
        if (others.length === MAX_OTHERS) break;
        if (o !== m) others.push(o.file);
      }
      const more = same.length - 1 - MAX_OTHERS;
      out.push(
        finding(
          'DUPLICATE_NAME',
          ['metadata', 'name'],
          {
            name,
            others,
            ...(more > 0 ? { more } : {}),
          },
          {
            file: m.file,
            line: m.line,
            column: m.column,
            fingerprint,
          },
        ),
      );
    }
  }
  return out;
}
