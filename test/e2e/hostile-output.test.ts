import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';
import { sarifErrors } from '../helpers/sarif.js';

const FORECAST = fileURLToPath(new URL('../../examples/forecast/', import.meta.url));
const TODAY = ['--today', '2026-11-27'];
/** The forecast is not ready for build: every check below exits 1. */
const CHECK = [...TODAY, '--phase', 'build'];

/** What a terminal acts on: C0 controls but tab and newline, DEL and C1 (ESC, BEL, OSC, CSI). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** The color codes mlops writes itself (SGR), the only escape sequences allowed in colored text. */
const OUR_COLORS = /\u001b\[[0-9;]*m/g;

/** Every terminal trick at once, as a YAML double-quoted string: SGR, OSC 8 link, BEL, CSI, DEL, newline. */
const HOSTILE_YAML = String.raw`\e[31mRED\e]8;;http://evil.example/\aLINK\e]8;;\a\x9bC1\x7fDEL\aBEL\nNL`;
/** Short, so that diff quotes it whole. */
const SHORT_YAML = String.raw`\e[31m\e]8;;x\a\x9b\x7f`;
/** Everything a pull-request comment would act on. */
const MARKDOWN = '@team # h ![x](http://e/) <img> [l](x) a | b';
/** A folder named with control characters and a newline. */
const FOLDER = 'models/fore\u001b[31mcast\u0007\u009b\u007f\nx';

/** The first raw control character of `text`, with what surrounds it, for a readable failure. */
function rawControl(text: string): string | undefined {
  const m = RAW_CONTROL.exec(text);
  return m ? JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20)) : undefined;
}

/**
 * The forecast example under FOLDER, committed, then edited in the working tree: a waiver and
 * evidence with hostile strings, an evidence report holding one, a manifest that does not
 * validate because of one, and changes of short hostile values for diff.
 */
function hostileRepo(): string {
  const dir = gitDir();
  cpSync(FORECAST, join(dir, FOLDER), { recursive: true });
  const file = join(dir, FOLDER, 'mlops.yaml');
  let manifest = readFileSync(file, 'utf8')
    .replace('  title: Daily', `  x-note: "${SHORT_YAML}"\n  x-md: "old"\n  title: Daily`)
    .replace('modelCard: docs/model-card.md', `modelCard: "docs/card${HOSTILE_YAML}.md"`)
    .replace(
      'description: Current 8-week moving average by weekday, as run by the replenishment engine',
      'description: Moving average',
    );
  manifest += `waivers:\n  - rule: B3\n    reason: "${HOSTILE_YAML} ${MARKDOWN}"\n    owner: ds-lead\n    expires: 2099-01-01\n`;
  writeFileSync(file, manifest);
  writeFileSync(
    join(dir, FOLDER, 'reports/fairness.json'),
    JSON.stringify({ metrics: { wape_gap_low_income_stores: '\u001b[31m0.01\u0007\u009b' } }),
  );
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'forecast']);
  manifest = manifest
    .replace('version: 0.3.0', 'version: 0.4.0')
    .replace(`x-note: "${SHORT_YAML}"`, `x-note: "${SHORT_YAML}x"`)
    .replace('x-md: "old"', `x-md: "${MARKDOWN}"`)
    .replace('description: Moving average', 'description: "@team | ![x](http://evil/) <b>"');
  writeFileSync(file, manifest);
  const bad = join(dir, 'bad\u001b]8;;x\u0007');
  mkdirSync(bad);
  writeFileSync(
    join(bad, 'mlops.yaml'),
    `apiVersion: mlops/v1\nkind: ModelManifest\nmetadata:\n  name: "${HOSTILE_YAML}"\n  version: 1.0.0\n  owner: { name: x }\n  riskTier: "${SHORT_YAML}"\n  "un\\e[31mknown\\a": 1\nenvision:\n  hypothesis: x\n`,
  );
  return dir;
}

describe('no input reaches a terminal as a control sequence', () => {
  const runs: Record<string, [string[], number][]> = {
    validate: [
      [['validate'], 1],
      [['validate', '--format', 'github'], 1],
      [['validate', '--format', 'json'], 1],
      [['validate', '--format', 'sarif'], 1],
    ],
    check: [
      [['check', ...CHECK], 1],
      [['check', ...CHECK, '--verbose'], 1],
      [['check', ...CHECK, 'models'], 1],
      [['check', ...CHECK, '--format', 'markdown'], 1],
      [['check', ...CHECK, '--format', 'markdown', 'models'], 1],
      [['check', ...CHECK, '--format', 'github'], 1],
      [['check', ...CHECK, '--format', 'json'], 1],
      [['check', ...CHECK, '--format', 'sarif'], 1],
    ],
    diff: [
      [['diff', 'HEAD'], 1],
      [['diff', 'HEAD', '--verbose'], 1],
      [['diff', 'HEAD', '--format', 'markdown'], 1],
      [['diff', 'HEAD', '--format', 'json'], 1],
      [['diff', 'HEAD', '--', 'models'], 0],
      [['diff', 'HEAD', '--format', 'markdown', '--', 'models'], 0],
    ],
  };
  for (const [command, cases] of Object.entries(runs)) {
    it(`every output of ${command} (text, markdown, github, JSON) shows them escaped`, () => {
      const dir = hostileRepo();
      const env = { XDG_CACHE_HOME: join(dir, '.cache') };
      for (const [args, code] of cases) {
        const r = runBin(args, dir, env);
        const what = args.join(' ');
        expect(r.code, `${what}: ${r.stderr}`).toBe(code);
        expect(rawControl(r.stdout), what).toBeUndefined();
        expect(rawControl(r.stderr), what).toBeUndefined();
        // the hostile strings did reach the output, escaped (by JSON as \u001b)
        expect(r.stdout, what).toMatch(/\\x1b|\\u001b/);
      }
    }, 120_000);
  }

  it('keeps its own colors and escapes the sequences of inputs when colored', () => {
    const dir = hostileRepo();
    const env = { XDG_CACHE_HOME: join(dir, '.cache'), NO_COLOR: '', FORCE_COLOR: '1' };
    for (const args of [['validate'], ['check', ...CHECK], ['diff', 'HEAD', '--', 'models']]) {
      const r = runBin(args, dir, env);
      const what = args.join(' ');
      expect(r.stdout, what).toMatch(OUR_COLORS);
      expect(rawControl(r.stdout.replace(OUR_COLORS, '')), what).toBeUndefined();
      expect(r.stdout.replace(OUR_COLORS, ''), what).toMatch(/\\x1b\[31m|\\u001b\[31m/);
    }
    const check = runBin(['check', ...CHECK, 'models'], dir, env).stdout.replace(OUR_COLORS, '');
    expect(check).toContain('\\x1b[31mRED\\x1b]8;;http://evil.example/\\x07LINK');
    expect(check).toContain('\\x9bC1\\x7fDEL\\x07BEL\\nNL');
    // the folder's newline does not break the line that names it
    expect(check).toMatch(/^models\/fore\\x1b\[31mcast\\x07\\x9b\\x7f\\nx\/mlops\.yaml /m);
  }, 120_000);

  it('JSON keeps the strings as they are', () => {
    const dir = hostileRepo();
    const r = runBin(['check', ...CHECK, '--format', 'json', 'models'], dir);
    const json = JSON.parse(r.stdout) as {
      manifests: { file: string; waivers: { reason: string }[] }[];
    };
    expect(json.manifests[0]!.file).toBe(`${FOLDER}/mlops.yaml`);
    expect(json.manifests[0]!.waivers[0]!.reason).toBe(
      `\u001b[31mRED\u001b]8;;http://evil.example/\u0007LINK\u001b]8;;\u0007\u009bC1\u007fDEL\u0007BEL\nNL ${MARKDOWN}`,
    );
  });

  it('errors that echo a revision, a path or a flag show control characters escaped', () => {
    const dir = hostileRepo();
    const cases: [string[], string][] = [
      [['diff', 'no\u001b[31mpe\u0007'], 'no\\x1b[31mpe\\x07'],
      [['validate', 'missing\u001b]8;;x\u0007.yaml'], 'missing\\x1b]8;;x\\x07.yaml'],
      [['check', '--phase', '\u009b31m'], '\\x9b31m'],
      [['check', '--today', '2026\u001b[2J'], '2026\\x1b[2J'],
      [['\u001b[31m\u007f'], '\\x1b[31m\\x7f'],
    ];
    for (const [args, shown] of cases) {
      const r = runBin(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(rawControl(r.stderr), args.join(' ')).toBeUndefined();
      expect(r.stderr).toContain(shown);
    }
  }, 120_000);
});

describe('markdown outputs are inert in a pull-request comment', () => {
  it('check: a waiver reason mentions nobody, links nothing and makes no heading or HTML', () => {
    const dir = hostileRepo();
    const r = runBin(['check', ...CHECK, '--format', 'markdown', 'models'], dir);
    // the waivers table gives each waiver's reason
    const line = r.stdout.split('\n').find((l) => l.startsWith('| waivers\\[0\\] | B3 |'))!;
    expect(line).toContain(
      '@&#8203;team # h !\\[x\\](http:&#8203;//e/) &lt;img&gt; \\[l\\](x) a \\| b',
    );
    expectInert(r.stdout);
  });

  it('diff: changed values and descriptions stay in their table cell, inert', () => {
    const dir = hostileRepo();
    const r = runBin(['diff', 'HEAD', '--format', 'markdown', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    const md = rows.find((l) => l.includes('x-md'))!;
    expect(md).toContain(
      '@&#8203;team # h !\\[x\\](http:&#8203;//e/) &lt;img&gt; \\[l\\](x) a \\| b',
    );
    const description = rows.find((l) => l.includes('description'))!;
    expect(description).toContain('@&#8203;team \\| !\\[x\\](http:&#8203;//evil/) &lt;b&gt;');
    // every row has as many cells as the header of its table
    let header = 0;
    for (const l of r.stdout.split('\n')) {
      if (!l.startsWith('|')) header = 0;
      else if (header === 0) header = cells(l).length;
      else expect(cells(l), l).toHaveLength(header);
    }
    expectInert(r.stdout);
  });
});

/** The cells of a GFM table row, split at each `|` that no backslash escapes, empty ends included. */
function cells(row: string): string[] {
  return row.replace(/\\./g, '..').split('|');
}

/** No mention, image, link, heading or HTML of an input outside code spans; our own tags only. */
function expectInert(text: string): void {
  const markdown = text.replace(/(?<!\\)`[^`\n]*`/g, '``');
  expect(markdown).not.toMatch(/@(?!&#8203;)\w/);
  expect(markdown).not.toMatch(/(?<!\\)\[[^\]]*\]\(/);
  expect(markdown).not.toMatch(/https?:\/\//);
  const tags = markdown.match(/<\/?[a-z][^>]*>/g) ?? [];
  expect(tags.filter((t) => !/^<\/?(details|summary|code|br)>$/.test(t))).toEqual([]);
  const headings = markdown.split('\n').filter((l) => /^\s*(?:[-*+]\s+)?#/.test(l));
  expect(headings.every((h) => /^#{2,3} /.test(h))).toBe(true);
}

describe('SARIF locations', () => {
  it('percent-encodes a URI with # ? and a space, and it resolves back to the file', () => {
    const dir = gitDir();
    const folder = 'models/a#b?c d';
    cpSync(FORECAST, join(dir, folder), { recursive: true });
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'forecast']);
    const check = JSON.parse(
      runBin(['check', ...TODAY, '--format', 'sarif'], dir).stdout,
    ) as SarifLog;
    writeFileSync(join(dir, folder, 'mlops.yaml'), 'apiVersion: mlops/v1\nkind: Nope\n');
    const validate = JSON.parse(
      runBin(['validate', '--format', 'sarif', '--no-cache'], dir).stdout,
    ) as SarifLog;
    for (const log of [check, validate]) {
      expect(sarifErrors(log)).toEqual([]);
      const uris = new Set(
        log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri),
      );
      expect([...uris]).toEqual(['models/a%23b%3Fc%20d/mlops.yaml']);
      const url = new URL([...uris][0]!, 'file:///repo/');
      expect(decodeURIComponent(url.pathname)).toBe(`/repo/${folder}/mlops.yaml`);
    }
  }, 120_000);

  it('columns count UTF-16 code units, as columnKind says, with an emoji before the finding', () => {
    const dir = tempDir();
    const line = 'metadata: { name: ab, version: 1.0.0, owner: { name: "😀😀 é" }, riskTier: hgh }';
    writeFileSync(
      join(dir, 'mlops.yaml'),
      `apiVersion: mlops/v1\nkind: ModelManifest\n${line}\nenvision:\n  hypothesis: x\n`,
    );
    const utf16 = line.indexOf('hgh') + 1;
    expect([...line.slice(0, utf16 - 1)].length + 1).not.toBe(utf16); // the emoji make them differ
    const log = JSON.parse(
      runBin(['validate', '--format', 'sarif', '--no-cache', 'mlops.yaml'], dir).stdout,
    ) as SarifLog;
    expect(log.runs[0]!.columnKind).toBe('utf16CodeUnits');
    const enumResult = log.runs[0]!.results.find((r) => r.ruleId === 'SCHEMA_ENUM')!;
    expect(enumResult.locations[0]!.physicalLocation.region).toEqual({
      startLine: 3,
      startColumn: utf16,
    });
    const text = runBin(['validate', '--no-cache', 'mlops.yaml'], dir).stdout;
    expect(text).toContain(`mlops.yaml:3:${utf16}  error    SCHEMA_ENUM`);
  });
});

interface SarifLog {
  runs: {
    columnKind: string;
    results: {
      ruleId: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region?: { startLine: number; startColumn?: number };
        };
      }[];
    }[];
  }[];
}

const LIMIT = 60_000;

/** The built CLI with a small heap and a timeout, so that a report that grows without end fails. */
function runBounded(args: string[], cwd: string): { code: number; stdout: string } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(cwd, '.cache') },
    timeout: 100_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout };
}

/** `n` small manifests, each with a value metric; then, uncommitted, each target loosened. */
function manyManifests(n: number): string {
  const dir = gitDir();
  const manifest = (i: number, target: number): string =>
    `apiVersion: mlops/v1\nkind: ModelManifest\nmetadata:\n  name: model-${i}\n  version: 1.0.0\n  owner: { name: Team }\n  riskTier: low\n  status: build\nenvision:\n  hypothesis: If we do ${i}, then less cost, measured by cost.\n  stakeholders:\n    - { id: dm, name: D, role: decision_maker }\n  valueMetrics:\n    - id: cost\n      name: Cost\n      unit: EUR\n      direction: decrease\n      baseline: { value: 100, asOf: 2026-01-01 }\n      target: { value: ${target} }\n      owner: dm\n`;
  for (let i = 0; i < n; i++) {
    mkdirSync(join(dir, `models/m${i}`), { recursive: true });
    writeFileSync(join(dir, `models/m${i}/mlops.yaml`), manifest(i, 80));
  }
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'many']);
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `models/m${i}/mlops.yaml`), manifest(i, 90));
  return dir;
}

/** Whole rows, whole code spans, closed folds. */
function expectWhole(markdown: string): void {
  const lines = markdown.split('\n');
  for (const l of lines) {
    if (l.startsWith('|')) expect(l.endsWith('|'), l).toBe(true);
    expect((l.replace(/\\`/g, '').match(/`/g) ?? []).length % 2, l).toBe(0);
  }
  expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length);
  expect(markdown.match(/^```/gm) ?? []).toHaveLength(0);
}

describe('markdown outputs fit in a pull-request comment', () => {
  it('check and diff stop at 60,000 characters, with a last line saying what was left out', () => {
    const n = 400;
    const dir = manyManifests(n);
    const check = runBounded(['check', ...TODAY, '--format', 'markdown'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout.length).toBeLessThanOrEqual(LIMIT);
    // it stops only when the next manifest's fold would not fit: what is left is less than one
    const folds = check.stdout.split('<details>').slice(1);
    const largest = Math.max(...folds.map((f) => f.length + '<details>'.length));
    expect(check.stdout.length).toBeGreaterThan(LIMIT - largest - 500);
    expectWhole(check.stdout);
    const shown = check.stdout.split('\n').filter((l) => l.startsWith('| model-')).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(n);
    const last = check.stdout.trimEnd().split('\n').pop()!;
    expect(last).toContain(`leaves out ${n - shown} of ${n} manifests`);
    expect(last).toContain('`--format json`');

    const diff = runBounded(['diff', 'HEAD', '--format', 'markdown'], dir);
    expect(diff.code).toBe(1);
    expect(diff.stdout.length).toBeLessThanOrEqual(LIMIT);
    expect(diff.stdout.length).toBeGreaterThan(LIMIT - 5000);
    expectWhole(diff.stdout);
    const rows = diff.stdout.split('\n').filter((l) => l.startsWith('| 🔴 error | `model-')).length;
    const end = diff.stdout.trimEnd().split('\n').pop()!;
    expect(end).toMatch(/leaves out [\d,]+ of the [\d,]+ errors and warnings in the table/);
    const [, left, total] = /leaves out ([\d,]+) of the ([\d,]+)/.exec(end)!;
    expect(Number(left!.replace(/,/g, '')) + rows).toBe(Number(total!.replace(/,/g, '')));
    expect(end).toContain('`--format json`');

    // the same runs below the limit are whole and have no such line
    const one = runBounded(['diff', 'HEAD', '--format', 'markdown', '--', 'models/m1'], dir);
    expect(one.stdout).not.toContain('leaves out');
    expect(one.stdout).toContain('</details>');
  }, 240_000);
});
