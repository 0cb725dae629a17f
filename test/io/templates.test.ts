import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../src/errors.js';
import { TEMPLATES_DIR } from '../../src/io/assets.js';
import { listTemplates, readTemplate } from '../../src/io/templates.js';
import { tempDir } from '../helpers/gitdir.js';

describe('templates', () => {
  it('lists the five templates, default first, each with a one-line description', () => {
    const list = listTemplates();
    expect(list.map((t) => t.name)).toEqual([
      'default',
      'classification',
      'forecasting',
      'recommendation',
      'genai',
    ]);
    for (const t of list) {
      expect(t.description.length).toBeGreaterThan(20);
      expect(t.description).not.toContain('\n');
    }
  });

  it('lists exactly the template files that ship', () => {
    const files = readdirSync(TEMPLATES_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect(
      listTemplates()
        .map((t) => t.name)
        .sort(),
    ).toEqual(files.sort());
    for (const name of files) expect(readTemplate(name)).toMatch(/^apiVersion: mlops\/v1$/m);
  });

  it('reports a broken installation as an internal error', () => {
    const dir = tempDir();
    expect(() => listTemplates(dir)).toThrow(InternalError);
    writeFileSync(join(dir, 'index.json'), '[{"name": "x"}]');
    expect(() => listTemplates(dir)).toThrow(/malformed/);
    writeFileSync(join(dir, 'index.json'), '[{"name": "x", "description": "listed, no file"}]');
    expect(listTemplates(dir)).toHaveLength(1);
    expect(() => readTemplate('x', dir)).toThrow(/listed but cannot be read/);
  });
});
