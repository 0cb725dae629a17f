import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { parseManifest } from '../../src/core/load.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/gitdir.js';

const BASE = readFileSync(new URL('../fixtures/diff-base/mlops.yaml', import.meta.url), 'utf8');

/** Compares two manifest texts as files (no git), in the given format. */
async function compare(before: string, after: string, format: string, ...flags: string[]) {
  const dir = tempDir();
  writeFiles(dir, { 'before.yaml': before, 'after.yaml': after });
  return runCli(['diff', 'before.yaml', 'after.yaml', '--format', format, ...flags], dir);
}

describe('mlops diff reports', () => {
  it('markdown keeps the table whole and the comment inert: no raw HTML, pipes or @-mentions', async () => {
    const after = BASE.replace(
      'rollback: switch the queue back to rules',
      'rollback: "a | b <img src=x> @ops"',
    ).replace('version: 1.2.0', 'version: 1.2.1');
    const r = await compare(BASE, after, 'markdown', '--fail-on', 'info');
    expect(r.code).toBe(1);
    const row = r.stdout.split('\n').find((l) => l.includes('integration rollback'))!;
    expect(row).toContain('a \\| b &lt;img src=x&gt; @&#8203;ops');
    expect(row.split(/(?<!\\)\|/).length).toBe(6); // four cells between five pipes
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toMatch(/^### 🟢 mlops diff: 1 info: 1 of 1 manifest changed$/m);
    expect(r.stdout).toContain('No errors or warnings.');
  });

  it('markdown lists an acknowledged change as a warning with who signed it off', async () => {
    const loosened = BASE.replace('min: 0.8, max: 1.25', 'min: 0.7, max: 1.25').replace(
      'version: 1.2.0',
      'version: 2.0.0',
    );
    const envision = (parseManifest(loosened, 'x').data as { envision: unknown }).envision;
    const after = `${loosened}approvals:\n  - { phase: envision, role: decision_maker, by: cco, decision: conditional, date: 2026-11-20, digest: "${digestOf(envision)}" }\n`;
    const r = await compare(BASE, after, 'markdown');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '| 🟡 warn | `churn-model` | **loosened** guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.7<br>✔ acknowledged: envision signed off by Helena Marsh (decision_maker, conditional) on 2026-11-20 |',
    );
  });

  it('text names the two files and says when nothing changed', async () => {
    const r = await compare(BASE, `# a comment\n${BASE}`, 'text');
    expect(r).toEqual({
      code: 0,
      stdout: 'mlops diff before.yaml → after.yaml\n\n✔ no semantic changes in 1 manifest\n',
      stderr: '',
    });
  });

  it('json carries each change with its path by ids, old and new, and fingerprint', async () => {
    const after = BASE.replace('target: { value: 3.5 }', 'target: { value: 4.0 }').replace(
      'version: 1.2.0',
      'version: 2.0.0',
    );
    const r = await compare(BASE, after, 'json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'diff',
      ok: false,
      base: { label: 'before.yaml' },
      head: { label: 'after.yaml' },
      findings: [],
    });
    expect(json.changes).toEqual([
      {
        class: 'loosened',
        level: 'error',
        model: 'churn-model',
        file: 'after.yaml',
        path: ['envision', 'valueMetrics', 'churn-rate', 'target', 'value'],
        field: 'value metric `churn-rate`: target',
        old: 3.5,
        new: 4,
        description: 'value metric `churn-rate`: target 3.5 → 4, toward the baseline 4.2',
        message: 'churn-model: value metric `churn-rate`: target 3.5 → 4, toward the baseline 4.2',
        section: 'envision',
        hint: expect.stringContaining('mlops approve after.yaml --phase envision'),
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      },
    ]);
  });
});
