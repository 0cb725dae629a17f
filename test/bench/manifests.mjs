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
  .join('\n');

/** The text of manifest number `i`: valid, distinct content. */
export function manifestText(i) {
  const n = String(i).padStart(5, '0');
  return `${TEMPLATE.replace('name: my-model', `name: churn-model-${n}`)
    .replace('value: 2.5', `value: ${(2.5 + (i % 50) / 100).toFixed(2)}`)
    .replace('value: 400000', `value: ${400000 + i}`)
    .replace('name: Model Owner', `name: Owner ${n}`)}\n`;
}

/** Writes `count` manifests as <dir>/models/mNNNNN/mlops.yaml and returns their paths. */
export function writeManifests(dir, count) {
  const files = [];
  for (let i = 0; i < count; i++) {
    const sub = join(dir, 'models', `m${String(i).padStart(5, '0')}`);
    mkdirSync(sub, { recursive: true });
    const file = join(sub, 'mlops.yaml');
    writeFileSync(file, manifestText(i));
    files.push(file);
  }
  return files;
}
