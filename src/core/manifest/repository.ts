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
  // one pass: a name seen once keeps its manifest, a repeated one a list (names are nearly
  // always unique, and a list per name would be all waste); indexed, in runs too short for a
  // for-of to be optimized
  const byName = new Map<string, NamedManifest | NamedManifest[]>();
  for (let i = 0; i < manifests.length; i++) {
    const m = manifests[i]!;
    const seen = byName.get(m.name);
    if (seen === undefined) byName.set(m.name, m);
    else if (Array.isArray(seen)) seen.push(m);
    else byName.set(m.name, [seen, m]);
  }
  const out: Finding[] = [];
  byName.forEach((same, name) => {
    if (!Array.isArray(same)) return;
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
  });
  return out;
}
