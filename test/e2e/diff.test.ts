import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir } from '../helpers/gitdir.js';

const BASE = readFileSync(new URL('../fixtures/diff-base/mlops.yaml', import.meta.url), 'utf8');
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

function edit(text: string, ...edits: [string, string][]): string {
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

/** main holds two models; the feature branch loosens one, tightens and extends the other. */
function pullRequest(): string {
  const dir = gitDir();
  const forecast = edit(BASE, ['name: churn-model', 'name: forecast-model']);
  commitFiles(
    dir,
    { 'models/churn/mlops.yaml': BASE, 'models/forecast/mlops.yaml': forecast },
    'two models',
  );
  git(dir, ['checkout', '-q', '-b', 'feature']);
  commitFiles(
    dir,
    {
      'models/churn/mlops.yaml': edit(
        BASE,
        ['target: { value: 3.5 }', 'target: { value: 4.0 }'],
        ['min: 0.8, max: 1.25', 'min: 0.7, max: 1.25'],
      ),
      'models/forecast/mlops.yaml': edit(
        forecast,
        ['version: 1.2.0', 'version: 1.3.0'],
        ['bins: 10, max: 0.25', 'bins: 10, max: 0.2'],
        [
          '    - { id: ops, name: Marco Santini, role: domain_expert }\n',
          '    - { id: ops, name: Marco Santini, role: domain_expert }\n    - { id: dpo, name: Ingrid Solberg, role: privacy }\n',
        ],
      ),
    },
    'loosen churn, tighten forecast',
  );
  return dir;
}

const normalize = (s: string): string => s.replace(/\(([0-9a-f]{7})\)/g, '(<commit>)');

function mlops(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const r = runBin(['diff', ...args], cwd, { ...ISOLATED_GIT, ...env });
  return { code: r.code, stdout: normalize(r.stdout), stderr: r.stderr };
}

describe('mlops diff (built binary)', () => {
  it('text: grouped by model, loosened first, with the bump each model needs', () => {
    const r = mlops(['main'], pullRequest());
    expect(r).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "",
        "stdout": "mlops diff main (<commit>) → working tree

      churn-model  models/churn/mlops.yaml  1.2.0
        ✖ error  loosened    value metric \`churn-rate\`: target 3.5 → 4, toward the baseline 4.2
        ✖ error  loosened    guardrail \`disparate-impact\` (fairImpartial): min 0.8 → 0.7
        ✖ error  not bumped  version 1.2.0 did not go up; the loosened changes need a major bump: 2.0.0
                             hint: set \`metadata.version\` to \`2.0.0\`
        hint: to acknowledge a deliberate change to envision, sign off envision again (decision_maker): \`npx mlops approve models/churn/mlops.yaml --phase envision --by "STAKEHOLDER_ID"\` (STAKEHOLDER_ID: the id of the decision_maker), then commit it from the approver's own git identity: \`git add models/churn/mlops.yaml && git commit -m "Sign off envision"\`

      forecast-model  models/forecast/mlops.yaml  1.2.0 → 1.3.0
        ℹ info   added       stakeholder \`dpo\` added: Ingrid Solberg, privacy
        ℹ info   tightened   drift check \`feature-drift\`: max 0.25 → 0.2

      ✖ 3 errors, 2 info: 2 of 2 manifests changed
      ",
      }
    `);
  });

  it('markdown: a PR comment with a summary, a table of findings and folded details', () => {
    const r = mlops(['main..feature', '--format', 'markdown'], pullRequest());
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatchInlineSnapshot(`
      "<!-- mlops:diff -->
      ### 🔴 mlops diff: 3 errors, 2 info: 2 of 2 manifests changed

      Base: \`main\` (<commit>) → head: \`feature\` (<commit>)

      | level | model | finding | fingerprint |
      |:--|:--|:--|:--|
      | 🔴 error | \`churn-model\` | **loosened** value metric \`churn-rate\`: target 3.5 → 4, toward the baseline 4.2 | \`3eeddf48c0f31331\` |
      | 🔴 error | \`churn-model\` | **loosened** guardrail \`disparate-impact\` (fairImpartial): min 0.8 → 0.7 | \`7384f98cdc7b66fb\` |
      | 🔴 error | \`churn-model\` | **not bumped** version 1.2.0 did not go up; the loosened changes need a major bump: 2.0.0 | \`9123325e9b778b3b\` |

      <details>
      <summary><code>churn-model</code> (<code>models/churn/mlops.yaml</code>, 1.2.0): 3 errors</summary>

      - hint: to acknowledge a deliberate change to envision, sign off envision again (decision_maker): \`npx mlops approve models/churn/mlops.yaml --phase envision --by "STAKEHOLDER_ID"\` (STAKEHOLDER_ID: the id of the decision_maker), then commit it from the approver's own git identity: \`git add models/churn/mlops.yaml && git commit -m "Sign off envision"\`
      - hint: set \`metadata.version\` to \`2.0.0\`

      </details>

      <details>
      <summary><code>forecast-model</code> (<code>models/forecast/mlops.yaml</code>, 1.2.0 → 1.3.0): 2 info</summary>

      | level | class | change | fingerprint |
      |:--|:--|:--|:--|
      | 🔵 info | added | stakeholder \`dpo\` added: Ingrid Solberg, privacy | \`f73be3489f8432e7\` |
      | 🔵 info | tightened | drift check \`feature-drift\`: max 0.25 → 0.2 | \`a0062c841964a111\` |

      </details>

      "
    `);
  });

  it('markdown: each change and finding once; revisions and paths as code', () => {
    const dir = pullRequest();
    const markdown = mlops(['main', '--format', 'markdown'], dir).stdout;
    const json = JSON.parse(mlops(['main', '--format', 'json'], dir).stdout);
    const items: { fingerprint: string; message: string; model: string }[] = [
      ...json.changes,
      ...json.findings,
    ];
    expect(items).toHaveLength(5);
    for (const i of items) {
      expect(markdown.split(i.fingerprint).length - 1, i.message).toBe(1);
      // the words of each, without the model the table names in its own cell
      const words = i.message.slice(`${i.model}: `.length);
      expect(markdown.split(words).length - 1, i.message).toBe(1);
    }
    expect(markdown).toContain('Base: `main` (<commit>) → head: working tree');
    expect(markdown).toContain('(<code>models/churn/mlops.yaml</code>, 1.2.0)');
    // a manifest with nothing beyond the table keeps its hints in its folded details
    expect(markdown).toMatch(/<summary><code>churn-model<\/code>[^\n]*\n\n- hint: /);
  });

  it('json: a stable envelope, nothing else on stdout', () => {
    const dir = pullRequest();
    const r = mlops(['main', 'feature', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'diff',
      ok: false,
      base: { label: 'main', rev: 'main', commit: git(dir, ['rev-parse', 'main']).trim() },
      head: { label: 'feature', rev: 'feature', commit: git(dir, ['rev-parse', 'feature']).trim() },
      summary: { compared: 2, changed: 2, errors: 3, warnings: 0, infos: 2 },
    });
    expect(
      json.changes.map((c: { class: string; level: string; model: string }) => [
        c.model,
        c.class,
        c.level,
      ]),
    ).toEqual([
      ['churn-model', 'loosened', 'error'],
      ['churn-model', 'loosened', 'error'],
      ['forecast-model', 'added', 'info'],
      ['forecast-model', 'tightened', 'info'],
    ]);
    expect(json.findings).toMatchObject([
      { code: 'VERSION_NOT_BUMPED', model: 'churn-model', level: 'error', line: 5, column: 3 },
    ]);
    // where the head has the changed key: `value` of `target: { value: 4.0 }`
    expect(json.changes[0]).toMatchObject({ code: 'CHANGE_LOOSENED', line: 24, column: 17 });
  });

  it('exit codes follow --fail-on; machine formats are never colored', () => {
    const dir = pullRequest();
    expect(mlops(['main'], dir).code).toBe(1);
    expect(mlops(['main', '--fail-on', 'none'], dir).code).toBe(0);
    expect(mlops(['main', '--', 'models/forecast'], dir).code).toBe(0);
    expect(mlops(['main', '--fail-on', 'info', '--', 'models/forecast'], dir).code).toBe(1);
    expect(mlops(['nope'], dir).code).toBe(2);
    const colored = mlops(['main'], dir, { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(colored.stdout).toContain('\u001b[31m');
    expect(
      mlops(['main', '--format', 'markdown'], dir, { NO_COLOR: '', FORCE_COLOR: '1' }).stdout,
    ).not.toContain('\u001b[');
  });
});
