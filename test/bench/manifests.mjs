// Generates realistic manifests for benchmarks: the classification template without its
// comments (~150 lines), with a unique name and varied numbers per manifest.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEMPLATE = readFileSync(
  new URL('../../templates/classification.yaml', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => !/^\s*#/.test(line) && line.trim() !== '')
  .join('\n')
  // a team's manifest, not a scaffold: its placeholders filled in and its numbers known
  .replace(/"TODO:\s*/g, '"')
  .replace(
    '      direction: decrease\n',
    '      direction: decrease\n      baseline: { value: 2.5 }\n      target: { value: 2.1, by: "2027-06-30" }\n      minimumAcceptable: 2.4\n',
  )
  .replace(
    '      direction: increase\n',
    '      direction: increase\n      baseline: { value: 400000 }\n      target: { value: 520000, by: "2027-06-30" }\n      minimumAcceptable: 440000\n',
  );

/** A monitor section whose PSI check states no bins: one warning (PSI_BINS_MISSING). */
const PSI_WITHOUT_BINS =
  'monitor:\n  drift:\n    - id: feature-psi\n      type: data\n      method: psi\n      max: 0.25\n      warn: 0.1\n';

/**
 * The text of manifest number `i`: valid, distinct content. With `kind` 'warning' it carries one
 * warning; with 'error', one schema error (a risk tier that does not exist).
 */
export function manifestText(i, kind = 'clean') {
  const n = String(i).padStart(5, '0');
  let text = `${TEMPLATE.replace('name: my-model', `name: churn-model-${n}`)
    .replace('value: 2.5', `value: ${(2.5 + (i % 50) / 100).toFixed(2)}`)
    .replace('value: 400000', `value: ${400000 + i}`)
    .replace('name: Model Owner', `name: Owner ${n}`)}\n`;
  if (kind === 'warning') text += PSI_WITHOUT_BINS;
  if (kind === 'error') text = text.replace('riskTier: medium', 'riskTier: medum');
  return text;
}

/**
 * Writes `count` manifests as <dir>/models/mNNNNN/mlops.yaml and returns their paths. `kindOf`
 * says which of them carry a warning or an error (default: none).
 */
export function writeManifests(dir, count, kindOf = () => 'clean') {
  const files = [];
  for (let i = 0; i < count; i++) {
    const sub = join(dir, 'models', `m${String(i).padStart(5, '0')}`);
    mkdirSync(sub, { recursive: true });
    const file = join(sub, 'mlops.yaml');
    writeFileSync(file, manifestText(i, kindOf(i)));
    files.push(file);
  }
  return files;
}
