import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../src/report/junit.js';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, writeFiles } from '../helpers/gitdir.js';
import { child, parseXml, readJUnit, testcases } from '../helpers/junit.js';
import { sarifErrors } from '../helpers/sarif.js';

const BASE = readFileSync(new URL('../fixtures/diff-base/mlops.yaml', import.meta.url), 'utf8');
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const CHURN = 'models/churn/mlops.yaml';
const BAD = 'models/bad/mlops.yaml';
const MACHINE = ['json', 'github', 'sarif', 'junit', 'codequality'] as const;

function edit(text: string, ...edits: [string, string][]): string {
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

/**
 * A value with everything XML and annotations must not pass on as it is: markup, quotes, ESC,
 * a C0 control, DEL, a CDATA end and a line break (as YAML double-quoted escapes).
 */
const HOSTILE_YAML = String.raw`"x<y>&\"'\e\x01\x7f]]>\nz"`;

/** The head of a pull request on models/churn: a loosened guardrail and target, a removed guardrail, a hostile stakeholder. */
const HEAD = edit(
  BASE,
  ['min: 0.8, max: 1.25', 'min: 0.7, max: 1.25'],
  ['target: { value: 3.5 }', 'target: { value: 4.0 }'],
  ['        - { id: parity, metric: statistical_parity_difference, min: -0.1, max: 0.1 }\n', ''],
  [
    '    - { id: ops, name: Marco Santini, role: domain_expert }\n',
    `    - { id: ops, name: Marco Santini, role: domain_expert }\n    - { id: dpo, name: ${HOSTILE_YAML}, role: privacy }\n`,
  ],
);

/** A repository on main with models/churn, and the working tree of a pull request on it. */
function pullRequest(): string {
  const dir = gitDir();
  commitFiles(dir, { [CHURN]: BASE }, 'churn');
  writeFiles(dir, { [CHURN]: HEAD });
  return dir;
}

/** A repository with models/churn and a manifest whose risk tier holds the hostile value. */
function withInvalid(): string {
  const dir = gitDir();
  const bad = edit(
    BASE,
    ['name: churn-model', 'name: bad-model'],
    ['riskTier: medium', `riskTier: ${HOSTILE_YAML}`],
  );
  commitFiles(dir, { [CHURN]: BASE, [BAD]: bad }, 'two models');
  return dir;
}

function mlops(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  return runBin(args, cwd, ISOLATED_GIT);
}

const CHECK = ['check', '--today', '2026-11-27'];

/** `::error file=...,line=...,col=...,title=...::message`, its properties decoded. */
function annotations(
  out: string,
): { kind: string; file: string; line: number; col: number; message: string }[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('::') && !l.startsWith('::notice title=mlops.config.yaml'))
    .map((l) => {
      const m =
        /^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),title=[^:]*::(.*)$/.exec(l);
      if (!m) throw new Error(`not an annotation: ${l}`);
      const decode = (s: string): string => decodeURIComponent(s);
      return {
        kind: m[1]!,
        file: decode(m[2]!),
        line: Number(m[3]),
        col: Number(m[4]),
        message: decode(m[5]!),
      };
    });
}

describe('junit', () => {
  it('validate: a testsuite per manifest, a failing testcase per code with its message and place, escaped', () => {
    const dir = withInvalid();
    const r = mlops(['validate', '--no-cache', '--format', 'junit'], dir);
    expect(r.code).toBe(1);
    const root = readJUnit(r.stdout);
    expect(root.attributes).toMatchObject({ name: 'mlops validate', failures: '1', errors: '0' });
    expect(root.children.map((s) => s.attributes.name)).toEqual([BAD, CHURN]);
    const cases = testcases(root);
    const valid = cases.find((c) => c.suite === CHURN)!;
    expect(valid.children).toEqual([]);
    const failing = cases.find((c) => c.suite === BAD)!;
    expect(failing.attributes).toMatchObject({
      name: 'SCHEMA_ENUM: Value not allowed',
      file: BAD,
      line: '7',
    });
    const failure = child(failing, 'failure')!;
    expect(failure.attributes.type).toBe('SCHEMA_ENUM');
    // the value as the message quotes it, with markup kept and DEL shown: no raw control
    const shown = String.raw`x<y>&\"'\u001b\u0001\x7f]]>\nz"`;
    expect(failure.attributes.message).toContain(shown);
    expect(failure.text).toContain(`${BAD}:7:13  error  metadata.riskTier: "${shown}`);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
  });

  it('check: a testcase per phase and rule; failing where the model is held or claims, skipped beyond', () => {
    const dir = gitDir();
    commitFiles(dir, { [CHURN]: BASE }, 'churn');
    const r = mlops([...CHECK, '--format', 'junit'], dir);
    expect(r.code).toBe(1);
    const root = readJUnit(r.stdout);
    const cases = testcases(root);
    // status build: held to envision, claims build
    expect(cases.map((c) => c.attributes.name!.split(' ')[0])).toEqual([
      ...Array(11).fill('envision'),
      ...Array(10).fill('build'),
      ...Array(18).fill('deploy'),
      ...Array(9).fill('monitor'),
    ]);
    const failed = cases.filter((c) => child(c, 'failure'));
    expect(failed.map((c) => c.attributes.name)).toEqual([
      'envision G3: Phase signed off',
      'envision E2: Business value defined',
      'envision E4: Rigor fits the risk tier',
      'build G3: Phase signed off',
      'build B2: Value evaluated',
      'build B3: Build guardrails within bounds',
      'build B4: Model card and datasheets',
    ]);
    const g3 = child(failed[0]!, 'failure')!;
    expect(g3.attributes).toEqual({
      message: 'no envision approval by a decision_maker',
      type: 'G3',
    });
    expect(g3.text).toBe(
      `${CHURN}:10:1  error  no envision approval by a decision_maker\n    fix: sign it off and commit it: \`npx mlops approve ${CHURN} --phase envision --by cco\`, then \`git add ${CHURN} && git commit -m "Sign off envision"\``,
    );
    // seven guardrails without evidence: one testcase, every finding in its failure
    const b3 = child(failed[5]!, 'failure')!;
    expect(b3.attributes.message).toMatch(/ \(\+6 more\)$/);
    expect(
      b3.text.match(/^models\/churn\/mlops\.yaml:\d+:\d+ {2}warning {2}guardrail/gm),
    ).toHaveLength(7);
    const skipped = cases.filter((c) => child(c, 'skipped'));
    expect(skipped.length).toBeGreaterThan(0);
    for (const c of skipped) {
      expect(c.attributes.name).toMatch(/^(deploy|monitor) /);
      expect(child(c, 'skipped')!.attributes.message).toMatch(
        /^not required: (deploy|monitor) comes after the status build$/,
      );
    }
    expect(root.attributes).toMatchObject({
      tests: '48',
      failures: '7',
      skipped: String(skipped.length),
    });
  });

  it('check: a manifest that does not validate has the testcases of validate', () => {
    const r = mlops([...CHECK, '--format', 'junit'], withInvalid());
    const root = readJUnit(r.stdout);
    const bad = testcases(root).filter((c) => c.suite === BAD);
    expect(bad.map((c) => c.attributes.name)).toEqual(['SCHEMA_ENUM: Value not allowed']);
    expect(child(bad[0]!, 'failure')!.text).toContain(`${BAD}:7:13  error`);
  });

  it('diff: a testsuite per changed manifest, a testcase per code; info changes pass with their output', () => {
    const r = mlops(['diff', 'main', '--format', 'junit'], pullRequest());
    expect(r.code).toBe(1);
    const root = readJUnit(r.stdout);
    expect(root.children.map((s) => s.attributes.name)).toEqual([CHURN]);
    const cases = testcases(root);
    expect(cases.map((c) => [c.attributes.name, c.children.map((x) => x.name)])).toEqual([
      ['CHANGE_LOOSENED: Loosened', ['failure']],
      ['CHANGE_ADDED: Added', ['system-out']],
      ['VERSION_NOT_BUMPED: Version not bumped', ['failure']],
    ]);
    const loosened = child(cases[0]!, 'failure')!;
    expect(loosened.text.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      `${CHURN}:25:17  error  churn-model: value metric \`churn-rate\`: target 3.5 → 4, toward the baseline 4.2`,
      `${CHURN}:43:67  error  churn-model: guardrail \`disparate-impact\` (fairImpartial): min 0.8 → 0.7`,
      `${CHURN}:42:7  error  churn-model: guardrail \`parity\` (fairImpartial) removed: statistical_parity_difference min -0.1 max 0.1`,
    ]);
    const added = child(cases[1]!, 'system-out')!;
    expect(added.text).toBe(
      `${CHURN}:18:7  info  churn-model: stakeholder \`dpo\` added: ${String.raw`x<y>&"'\x1b\x01\x7f]]>\nz`}, privacy`,
    );
    expect(root.attributes).toMatchObject({ tests: '3', failures: '2', skipped: '0' });
  });

  it('diff: no changes is an empty report that still reads', () => {
    const dir = gitDir();
    commitFiles(dir, { [CHURN]: BASE }, 'churn');
    const r = mlops(['diff', 'main', '--format', 'junit'], dir);
    expect(r.code).toBe(0);
    expect(readJUnit(r.stdout).attributes).toMatchObject({ tests: '0', failures: '0' });
  });

  it('stays well-formed whatever the text holds, and reads back as it was shown', () => {
    const every = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    const text = `${every}\uD800 \uDC00 \uFFFE\uFFFF 😀 ]]> --> <![CDATA[ &amp;`;
    const xml = renderJUnit(text, [
      {
        name: text,
        cases: [
          {
            name: text,
            classname: text,
            file: text,
            line: 3,
            failure: {
              type: text,
              items: [{ severity: 'error', message: text, hint: text, file: text }],
            },
            notes: [{ severity: 'info', message: text, file: text }],
          },
          { name: 'skipped', classname: 'c', skipped: text },
        ],
      },
    ]);
    const root = readJUnit(xml);
    const tc = testcases(root)[0]!;
    // what a reader gets: controls shown as \x.., invalid code points as U+FFFD, the rest as is
    const shown = (s: string): string =>
      s
        .replace(
          /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g,
          (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
        )
        .replace(
          /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g,
          '\uFFFD',
        );
    expect(root.attributes.name).toBe(shown(text));
    expect(tc.attributes.name).toBe(shown(text));
    expect(tc.attributes.file).toBe(shown(text));
    // a finding's lines keep to one line each: a line break is shown as \n
    const line = shown(text).replace(/\n/g, '\\n');
    expect(child(tc, 'failure')!.attributes.message).toBe(line);
    expect(child(tc, 'failure')!.text).toBe(`${line}:1:1  error  ${line}\n    fix: ${line}`);
    expect(child(tc, 'system-out')!.text).toBe(`${line}:1:1  info  ${line}`);
    expect(child(testcases(root)[1]!, 'skipped')!.attributes.message).toBe(shown(text));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1', skipped: '1' });
  });

  it('the checker refuses what is not well-formed or not JUnit', () => {
    const ok = renderJUnit('r', [{ name: 's', cases: [{ name: 'c', classname: 'k' }] }]);
    expect(() => readJUnit(ok)).not.toThrow();
    expect(() => parseXml(ok.replace('name="c"', 'name="c\x1b"'))).toThrow(/does not allow/);
    expect(() => parseXml(ok.replace('name="c"', 'name="a & b"'))).toThrow(/bare &/);
    expect(() => parseXml(ok.replace('name="c"', 'name="<c>"'))).toThrow(/< in an attribute/);
    expect(() => parseXml(ok.replace('name="c"', 'name="&#1;"'))).toThrow(/does not allow/);
    expect(() => parseXml(ok.replace('</testsuite>', ''))).toThrow(/does not close|never closed/);
    expect(() => readJUnit(ok.replace('tests="1" failures', 'tests="2" failures'))).toThrow(
      /tests="2"/,
    );
    expect(() => readJUnit(ok.replace(' classname="k"', ''))).toThrow(/lacks classname/);
  });
});

describe('codequality', () => {
  const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'];

  /** The report parsed and held to what GitLab reads; the fingerprints, each once. */
  function readCodeQuality(
    out: string,
    dir: string,
  ): { issues: Record<string, unknown>[]; prints: string[] } {
    const issues = JSON.parse(out) as Record<string, unknown>[];
    expect(Array.isArray(issues)).toBe(true);
    for (const i of issues) {
      expect(Object.keys(i).sort()).toEqual([
        'check_name',
        'description',
        'fingerprint',
        'location',
        'severity',
      ]);
      expect(i.description).toEqual(expect.any(String));
      expect(i.check_name).toEqual(expect.any(String));
      expect(SEVERITIES).toContain(i.severity);
      const location = i.location as { path: string; lines: { begin: number } };
      expect(Object.keys(location).sort()).toEqual(['lines', 'path']);
      expect(existsSync(join(dir, location.path))).toBe(true);
      expect(Number.isInteger(location.lines.begin) && location.lines.begin >= 1).toBe(true);
    }
    const prints = issues.map((i) => i.fingerprint as string);
    expect(new Set(prints).size).toBe(prints.length);
    return { issues, prints };
  }

  it('validate, check and diff: every finding with its stable fingerprint, at its line', () => {
    const invalid = withInvalid();
    const validate = readCodeQuality(
      mlops(['validate', '--no-cache', '--format', 'codequality'], invalid).stdout,
      invalid,
    );
    expect(validate.issues).toEqual([
      {
        description: expect.stringContaining('metadata.riskTier: "x<y>&'),
        check_name: 'SCHEMA_ENUM',
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        severity: 'major',
        location: { path: BAD, lines: { begin: 7 } },
      },
    ]);
    const json = JSON.parse(mlops(['validate', '--no-cache', '--format', 'json'], invalid).stdout);
    expect(validate.prints).toEqual(
      json.diagnostics.map((d: { fingerprint: string }) => d.fingerprint),
    );

    const dir = pullRequest();
    const diff = readCodeQuality(
      mlops(['diff', 'main', '--format', 'codequality'], dir).stdout,
      dir,
    );
    const diffJson = JSON.parse(mlops(['diff', 'main', '--format', 'json'], dir).stdout);
    const items = [...diffJson.changes, ...diffJson.findings] as {
      fingerprint: string;
      line: number;
      level: string;
    }[];
    expect(diff.prints.sort()).toEqual(items.map((i) => i.fingerprint).sort());
    for (const i of items) {
      const issue = diff.issues.find((x) => x.fingerprint === i.fingerprint)!;
      expect(issue.location).toEqual({ path: CHURN, lines: { begin: i.line } });
      expect(issue.severity).toBe({ error: 'major', warn: 'minor', info: 'info' }[i.level]);
    }

    git(dir, ['checkout', '-q', '--', '.']);
    const check = readCodeQuality(mlops([...CHECK, '--format', 'codequality'], dir).stdout, dir);
    expect(check.issues.map((i) => [i.check_name, i.severity])).toEqual([
      ['G3', 'major'],
      ...Array(2).fill(['E2', 'major']),
      ...Array(4).fill(['E4', 'major']),
      ['G3', 'minor'],
      ...Array(4).fill(['B2', 'minor']),
      ...Array(7).fill(['B3', 'minor']),
      ['B4', 'minor'],
    ]);
  });
});

describe('sarif', () => {
  it('diff: a valid log, each change at its line with its fingerprint, rules with help', () => {
    const dir = pullRequest();
    const r = mlops(['diff', 'main', '--format', 'sarif'], dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.automationDetails).toEqual({ id: 'mlops/diff/' });
    const json = JSON.parse(mlops(['diff', 'main', '--format', 'json'], dir).stdout);
    const items = [...json.changes, ...json.findings] as {
      code: string;
      fingerprint: string;
      line: number;
      column: number;
    }[];
    expect(run.results).toHaveLength(items.length);
    for (const i of items) {
      const result = run.results.find(
        (x: { partialFingerprints: Record<string, string> }) =>
          x.partialFingerprints['mlops/v1'] === i.fingerprint,
      );
      expect(result).toMatchObject({
        ruleId: i.code,
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: CHURN, uriBaseId: '%SRCROOT%' },
              region: { startLine: i.line, startColumn: i.column },
            },
          },
        ],
      });
    }
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toEqual(['CHANGE_ADDED', 'CHANGE_LOOSENED', 'VERSION_NOT_BUMPED']);
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text).toEqual(expect.any(String));
      expect(rule.help.markdown).toEqual(expect.any(String));
    }
  });

  it('check: rule help from the registry, with the law it serves linked', () => {
    const dir = gitDir();
    commitFiles(dir, { [CHURN]: BASE }, 'churn');
    const log = JSON.parse(mlops([...CHECK, '--format', 'sarif'], dir).stdout);
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.automationDetails).toEqual({ id: 'mlops/check/' });
    const rule = (id: string) => run.tool.driver.rules.find((x: { id: string }) => x.id === id);
    expect(rule('D3')).toMatchObject({
      helpUri: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
      help: {
        text: expect.stringContaining('Why: '),
        markdown: expect.stringMatching(
          /\*\*Why:\*\* .*\n\n\*\*Legal reference:\*\* \[EU AI Act, Art\. 14 \(human oversight\)\]\(https:\/\/eur-lex\.europa\.eu\/eli\/reg\/2024\/1689\/oj\)$/s,
        ),
      },
    });
    expect(rule('D1').helpUri).toBe('https://eur-lex.europa.eu/eli/reg/2016/679/oj');
    expect(rule('G3').helpUri).toBeUndefined();
    expect(rule('G3').help.markdown).toContain(
      '`mlops approve <manifest> --phase <p> --by <stakeholder>`',
    );
    for (const result of run.results)
      expect(result.partialFingerprints['mlops/v1']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('validate: a prohibited use links the EU AI Act', () => {
    const dir = gitDir();
    const prohibited = edit(BASE, [
      'riskTier: medium',
      'riskTier: medium\n  euAiAct: { classification: prohibited }',
    ]);
    commitFiles(dir, { [CHURN]: prohibited }, 'churn');
    const log = JSON.parse(mlops(['validate', '--no-cache', '--format', 'sarif'], dir).stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].automationDetails).toEqual({ id: 'mlops/validate/' });
    expect(log.runs[0].tool.driver.rules).toContainEqual(
      expect.objectContaining({
        id: 'EU_AI_ACT_PROHIBITED',
        helpUri: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
      }),
    );
  });
});

describe('diff --format github', () => {
  it('annotates each change on the changed key in the head; a removal on the nearest key still there', () => {
    const dir = pullRequest();
    const r = mlops(['diff', 'main', '--format', 'github'], dir);
    expect(r.code).toBe(1);
    const head = readFileSync(join(dir, CHURN), 'utf8').split('\n');
    const at = (a: { line: number; col: number }): string => head[a.line - 1]!.slice(a.col - 1);
    const found = annotations(r.stdout);
    const starts = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}`));
    expect(found.map((a) => [a.kind, a.file, at(a), a.message])).toEqual([
      [
        'error',
        CHURN,
        starts(String.raw`value: 4\.0 \}`),
        starts('churn-model: value metric `churn-rate`: target 3.5 → 4, toward the baseline 4.2 '),
      ],
      [
        'error',
        CHURN,
        starts('min: 0.7, max: 1.25'),
        starts(
          String.raw`churn-model: guardrail \`disparate-impact\` \(fairImpartial\): min 0\.8 → 0\.7 `,
        ),
      ],
      [
        'error',
        CHURN,
        starts('guardrails:$'),
        starts(String.raw`churn-model: guardrail \`parity\` \(fairImpartial\) removed: `),
      ],
      [
        'notice',
        CHURN,
        starts('\\{ id: dpo, '),
        starts('churn-model: stakeholder `dpo` added: x<y>&'),
      ],
      [
        'error',
        CHURN,
        starts('version: 1.2.0$'),
        starts('churn-model: version 1.2.0 did not go up'),
      ],
    ]);
    // the guardrails key of the dimension the guardrail was removed from
    const removed = found[2]!;
    expect(head.slice(removed.line - 3, removed.line)).toEqual([
      '    fairImpartial:',
      '      rigor: dialUp',
      '      guardrails:',
    ]);
    // the hint names the file to sign off, and the message carries no raw control character
    expect(found[0]!.message).toContain(`mlops approve ${CHURN} --phase envision`);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('a finding about the base is annotated on the head file as a whole, not at a line of the base', () => {
    const dir = gitDir();
    commitFiles(dir, { [CHURN]: edit(BASE, ['riskTier: medium', 'riskTier: hgh']) }, 'invalid');
    writeFiles(dir, { [CHURN]: BASE });
    const json = JSON.parse(mlops(['diff', 'main', '--format', 'json'], dir).stdout);
    expect(json.findings[0]).toMatchObject({ code: 'SIDE_INVALID', line: 7, column: 13 });
    const found = annotations(mlops(['diff', 'main', '--format', 'github'], dir).stdout);
    expect(found.map((a) => [a.kind, a.file, a.line, a.col, a.message.split(';')[0]])).toEqual([
      ['warning', CHURN, 1, 1, 'churn-model: base does not validate (1 error)'],
      ['notice', CHURN, 7, 3, 'churn-model: metadata: risk tier hgh → medium'],
      ['error', CHURN, 5, 3, 'churn-model: version 1.2.0 did not go up'],
    ]);
  });

  it('a deleted manifest is annotated in the base file, a moved one in the head', () => {
    const dir = gitDir();
    commitFiles(
      dir,
      {
        [CHURN]: BASE,
        'models/old/mlops.yaml': edit(BASE, ['name: churn-model', 'name: old-model']),
      },
      'two',
    );
    git(dir, ['rm', '-q', 'models/old/mlops.yaml']);
    mkdirSync(join(dir, 'models', 'moved'));
    git(dir, ['mv', CHURN, 'models/moved/mlops.yaml']);
    const found = annotations(mlops(['diff', 'main', '--format', 'github'], dir).stdout);
    expect(found.map((a) => [a.kind, a.file, a.line])).toEqual([
      ['notice', 'models/moved/mlops.yaml', 1],
      ['error', 'models/old/mlops.yaml', 1],
    ]);
  });
});

describe('paths', () => {
  // each compares every machine format from the root and from a subfolder: a dozen runs
  const SLOW = { timeout: 120_000 };

  it(
    'diff: machine formats from the repository root wherever it runs; text and markdown from the current folder',
    SLOW,
    () => {
      const dir = pullRequest();
      const sub = join(dir, 'models', 'churn');
      for (const format of MACHINE) {
        const args = ['diff', 'main', '--format', format];
        const fromRoot = mlops(args, dir);
        expect(fromRoot.stdout).toContain(CHURN);
        expect(mlops(args, sub).stdout).toBe(fromRoot.stdout);
      }
      const text = mlops(['diff', 'main'], sub).stdout;
      expect(text).toContain('churn-model  mlops.yaml  1.2.0');
      expect(text).toContain('mlops approve mlops.yaml --phase envision');
      expect(text).not.toContain(CHURN);
      const markdown = mlops(['diff', 'main', '--format', 'markdown'], sub).stdout;
      expect(markdown).toContain(
        '<summary><code>churn-model</code> (<code>mlops.yaml</code>, 1.2.0)',
      );
      expect(markdown).not.toContain(CHURN);
    },
  );

  it(
    'validate: machine formats from the repository root; text from the current folder',
    SLOW,
    () => {
      const dir = withInvalid();
      const sub = join(dir, 'models', 'bad');
      for (const format of MACHINE) {
        const args = ['validate', '--no-cache', '--format', format];
        const fromRoot = mlops(args, dir);
        expect(fromRoot.stdout).toContain(BAD);
        expect(mlops(args, sub).stdout).toBe(fromRoot.stdout);
      }
      const text = mlops(['validate', '--no-cache'], sub).stdout;
      expect(text).toMatch(/^mlops\.yaml:7:13 {2}error/);
      expect(text).not.toContain(BAD);
    },
  );

  it('check: machine formats from the repository root; text from the current folder', SLOW, () => {
    const dir = withInvalid();
    const sub = join(dir, 'models', 'bad');
    for (const format of MACHINE) {
      const args = [...CHECK, '--format', format];
      const fromRoot = mlops(args, dir);
      expect(fromRoot.stdout).toContain(BAD);
      expect(mlops(args, sub).stdout).toBe(fromRoot.stdout);
    }
    const text = mlops(CHECK, sub).stdout;
    expect(text).toContain('mlops.yaml  bad-model');
    expect(text).toContain('../churn/mlops.yaml  churn-model');
    expect(text).not.toContain('models/');
  });

  it('check: evidence, fixes and values in JSON are from the repository root too', () => {
    const dir = gitDir();
    commitFiles(dir, { [CHURN]: BASE }, 'churn');
    const sub = join(dir, 'models');
    const json = mlops([...CHECK, '--format', 'json'], sub).stdout;
    expect(json).toBe(mlops([...CHECK, '--format', 'json'], dir).stdout);
    expect(json).toContain('models/churn/docs/runbook.md does not exist');
    expect(json).toContain(`"${CHURN}"`);
    const text = mlops(CHECK, sub).stdout;
    expect(text).toContain('churn/docs/runbook.md does not exist');
    expect(text).toContain('mlops approve churn/mlops.yaml --phase envision --by cco');
    expect(text).not.toContain('models/churn');
  });
});

describe('markdown', () => {
  it('check and diff start with the marker that lets CI update one comment', () => {
    const dir = pullRequest();
    expect(mlops(['diff', 'main', '--format', 'markdown'], dir).stdout.split('\n')[0]).toBe(
      '<!-- mlops:diff -->',
    );
    git(dir, ['checkout', '-q', '--', '.']);
    expect(mlops([...CHECK, '--format', 'markdown'], dir).stdout.split('\n')[0]).toBe(
      '<!-- mlops:check -->',
    );
  });
});
