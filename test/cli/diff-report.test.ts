import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { readManifest, readYaml } from '../../src/core/manifest/reader.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/gitdir.js';
import { validator } from '../helpers/validator.js';

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
    const envision = (readYaml(loosened, 'x').data as { envision: unknown }).envision;
    const after = `${loosened}approvals:\n  - { id: envision-cco-2026-11-20, phase: envision, role: decision_maker, by: cco, decision: conditional, conditions: "review in a month", date: 2026-11-20, digest: "${digestOf(envision)}", evidence: {} }\n`;
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
    const lines = after.slice(0, after.indexOf('value: 4.0')).split('\n');
    expect(json.changes).toEqual([
      {
        code: 'CHANGE_LOOSENED',
        // the changed key in the head
        line: lines.length,
        column: lines.at(-1)!.length + 1,
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

  it('--verbose text says where each change is in the head, by line and by ids', async () => {
    const after = BASE.replace('target: { value: 3.5 }', 'target: { value: 4.0 }').replace(
      'version: 1.2.0',
      'version: 2.0.0',
    );
    const r = await compare(BASE, after, 'text', '--verbose');
    const lines = after.slice(0, after.indexOf('value: 4.0')).split('\n');
    expect(r.stdout).toMatch(
      new RegExp(
        `\\n +after\\.yaml:${lines.length}:${lines.at(-1)!.length + 1}  envision › valueMetrics › churn-rate › target › value  [0-9a-f]{16}\\n`,
      ),
    );
  });
});

describe('mlops diff: a side that does not validate', () => {
  const invalid = (text: string): string =>
    text.replace('  riskTier: medium\n', '  riskTier: medium\n  colour: red\n');
  const loosened = BASE.replace('bins: 10, max: 0.25', 'bins: 10, max: 0.4').replace(
    'version: 1.2.0',
    'version: 2.0.0',
  );

  it('text: an invalid head is an error listing what validate finds, and is still compared', async () => {
    const r = await compare(BASE, invalid(loosened), 'text');
    expect(r.code).toBe(1);
    // the finding as validate reports it, in its words
    const [unknown] = readManifest(invalid(loosened), 'after.yaml', validator).findings;
    expect(unknown).toMatchObject({ code: 'SCHEMA_UNKNOWN_KEY', line: 8, column: 3 });
    expect(r.stdout).toBe(
      [
        'mlops diff before.yaml → after.yaml',
        '',
        'churn-model  after.yaml  1.2.0 → 2.0.0',
        '  ✖ error  invalid   head does not validate (1 error); still compared',
        `                     after.yaml:8:3  error    SCHEMA_UNKNOWN_KEY  ${describeFinding(unknown!).message}`,
        '                     hint: fix the findings, then run `mlops validate after.yaml`',
        '  ✖ error  loosened  drift check `feature-drift`: max 0.25 → 0.4',
        '  ℹ info   changed   metadata: colour set to red',
        '  hint: to acknowledge a deliberate change to deploy, sign off deploy again (decision_maker): `mlops approve after.yaml --phase deploy --by "STAKEHOLDER_ID"` (STAKEHOLDER_ID: the id of the decision_maker), then commit it from the approver\'s own git identity: `git add after.yaml && git commit -m "Sign off deploy"`',
        '',
        '✖ 2 errors, 1 info: 1 of 1 manifest changed',
        '',
      ].join('\n'),
    );
  });

  it('json: the finding carries the located findings of validate; an invalid base is a warning', async () => {
    const head = await compare(BASE, invalid(loosened), 'json');
    const [sideInvalid] = JSON.parse(head.stdout).findings;
    expect(sideInvalid).toMatchObject({
      code: 'SIDE_INVALID',
      level: 'error',
      file: 'after.yaml',
      message: 'churn-model: head does not validate (1 error); still compared',
      findings: [
        {
          code: 'SCHEMA_UNKNOWN_KEY',
          severity: 'error',
          file: 'after.yaml',
          line: sideInvalid.line,
          column: sideInvalid.column,
          path: ['metadata', 'colour'],
          message: expect.stringContaining('colour'),
        },
      ],
    });

    const base = await compare(invalid(BASE), loosened, 'json');
    expect(base.code).toBe(1); // the loosened change, not the base
    const json = JSON.parse(base.stdout);
    expect(json.findings).toMatchObject([
      { code: 'SIDE_INVALID', level: 'warn', file: 'before.yaml' },
    ]);
    expect(json.summary).toMatchObject({ errors: 1, warnings: 1 });
  });

  it('a side that does not parse is compared with nothing; its first error is named', async () => {
    const r = await compare(BASE, 'apiVersion: mlops/v1\nmetadata:\n  name: [unclosed\n', 'json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.changes).toEqual([]);
    expect(json.manifests).toMatchObject([{ status: 'unparseable' }]);
    const [cannot] = json.findings;
    expect(cannot).toMatchObject({
      code: 'CANNOT_DIFF',
      level: 'error',
      findings: [{ code: 'YAML_SYNTAX', line: cannot.line, column: cannot.column }],
    });
    expect(cannot.message).toMatch(
      new RegExp(
        `^churn-model: cannot diff: head does not parse: after\\.yaml:${cannot.line}:${cannot.column} \\S`,
      ),
    );
  });
});
