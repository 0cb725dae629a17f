import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIMENSIONS } from '../../src/core/manifest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import { validator } from '../helpers/validator.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? manifests(p) : name === 'mlops.yaml' ? [p] : [];
  });
}

describe('dogfood: the bundled examples and templates validate against schemas/', () => {
  const examples = manifests(join(ROOT, 'examples'));
  it('has at least two example projects', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });
  for (const file of examples) {
    it(`${file.slice(ROOT.length)} validates with no finding, warnings included`, () => {
      expect(readManifest(readFileSync(file, 'utf8'), file, validator).findings).toEqual([]);
    });
  }
  const templates = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.yaml'));
  for (const name of templates) {
    it(`templates/${name} validates, warns only of its placeholders, and covers all six dimensions`, () => {
      const text = readFileSync(join(ROOT, 'templates', name), 'utf8');
      const read = readManifest(text, name, validator);
      // a template is a scaffold: its "TODO:" strings are what a team fills in, and validate
      // says where each one is
      expect(read.findings.filter((f) => f.code !== 'PLACEHOLDER')).toEqual([]);
      const todos = [...text.matchAll(/^[^#\n]*"TODO:/gm)].length;
      expect(read.findings.length).toBe(todos);
      expect(todos).toBeGreaterThan(0);
      const data = read.data as { envision: { trustworthyAI: object } };
      expect(Object.keys(data.envision.trustworthyAI).sort()).toEqual([...DIMENSIONS].sort());
    });
  }
});
