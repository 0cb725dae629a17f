import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_CODES } from '../../src/core/codes/manifest.js';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, writeFiles } from '../helpers/gitdir.js';

/**
 * The fixture as the current contract has it: its approval with an `id` and the `evidence` it
 * binds (none for envision), and `head-sales` with the email of the git identity the tests commit
 * with, so that the approval `mlops approve` adds counts once committed (approvals.identity:
 * author, the default).
 */
function currentContract(text: string): string {
  const edits: [string | RegExp, (found: string) => string][] = [
    [
      '  - phase: envision\n',
      () => '  - id: envision-head-sales-2026-06-01\n    phase: envision\n',
    ],
    [/^    digest: sha256:[0-9a-f]{64}\n/m, (line) => `${line}    evidence: {}\n`],
    [
      '{ id: head-sales, name: Head of Sales, role: decision_maker }',
      () =>
        '{ id: head-sales, name: Head of Sales, role: decision_maker, email: test@example.com }',
    ],
  ];
  return edits.reduce((out, [from, to]) => {
    if (typeof from === 'string' ? !out.includes(from) : !from.test(out)) {
      throw new Error(`the base manifest has no ${String(from)}`);
    }
    return out.replace(from, to);
  }, text);
}

const BASE = currentContract(
  readFileSync(new URL('../fixtures/malformed/base.yaml', import.meta.url), 'utf8'),
);

/** `from` replaced by `to` in the base manifest; throws when the base has no `from`. */
function edit(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from)) throw new Error(`the base manifest has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
}

/**
 * Inputs that two parsers once read differently, a consistency error and a schema error. Each
 * becomes `<name>/mlops.yaml` with `metadata.name: <name>` (no two manifests share a name, so
 * the repository-level pass of validate adds nothing).
 */
const CASES: { name: string; make: (text: string) => string; expect?: string }[] = [
  // yaml's core schema reads +.5 as the number 0.5, where metadata.title wants text
  {
    name: 'number-title',
    make: edit('  title: Lead scoring', '  title: +.5'),
    expect: 'SCHEMA_TYPE',
  },
  // a valid manifest whose envision holds a value two parsers read as -31 and "-0x1F"
  {
    name: 'hex-ticket',
    make: edit('envision:\n', 'envision:\n  x-ticket: -0x1F\n  x-review: +0o17\n'),
  },
  { name: 'cr-only', make: (text) => text.replace(/\n/g, '\r') },
  // without the leading comment, which would otherwise run to the end of a CR-only file
  { name: 'cr-only-body', make: (text) => text.replace(/^#.*\n/, '').replace(/\n/g, '\r') },
  // CRLF in the first lines only: valid, and the approval must keep both kinds of line end
  {
    name: 'mixed-eol',
    make: (text) => {
      const lines = text.split('\n');
      return [lines.slice(0, 8).join('\r\n'), ...lines.slice(8)].join('\n');
    },
  },
  {
    name: 'flow-continuation',
    make: edit('  tags: [sales, scoring]', '  tags: [sales,\nscoring]'),
  },
  { name: 'complex-key', make: edit('\napiVersion: mlops/v1', '\n[apiVersion]: mlops/v1') },
  {
    name: 'duplicate-id',
    make: edit('{ id: auc, metric: roc_auc', '{ id: parity, metric: roc_auc'),
    expect: 'DUPLICATE_ID',
  },
  {
    name: 'unknown-key',
    make: edit('  riskTier: low\n', '  riskTier: low\n  ownr: Ada Example\n'),
    expect: 'SCHEMA_UNKNOWN_KEY',
  },
];

interface Located {
  code: string;
  severity?: string;
  level?: string;
  line: number;
  column: number;
}

const fileOf = (name: string): string => `${name}/mlops.yaml`;
const isError = (f: Located): boolean => (f.severity ?? f.level) === 'error';
/** What "the same finding" means across commands: the code at the same line and column. */
const keys = (findings: readonly Located[]): string[] =>
  [...new Set(findings.map((f) => `${f.line}:${f.column} ${f.code}`))].sort();

function json(r: { code: number; stdout: string; stderr: string }): unknown {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

/**
 * Every manifest finding (a code of the manifest catalog, with a line and column) anywhere in a
 * JSON report, by the file of the nearest object that names one.
 */
function manifestFindings(report: unknown): Map<string, Located[]> {
  const out = new Map<string, Located[]>();
  const walk = (node: unknown, file: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, file);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const here =
      typeof o.file === 'string' ? o.file : typeof o.headFile === 'string' ? o.headFile : file;
    if (
      typeof o.code === 'string' &&
      Object.hasOwn(MANIFEST_CODES, o.code) &&
      typeof o.line === 'number' &&
      typeof o.column === 'number' &&
      here !== undefined
    ) {
      out.set(here, [...(out.get(here) ?? []), o as unknown as Located]);
    }
    for (const value of Object.values(o)) walk(value, here);
  };
  walk(report, undefined);
  return out;
}

/** The findings `mlops approve` lists on stderr, as `mlops validate` lists them. */
function listedFindings(stderr: string, file: string): Located[] {
  const prefix = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(
    `^${prefix}:(\\d+):(\\d+)\\s+(error|warning|info)\\s+([A-Z][A-Z0-9_]*)\\s`,
    'gm',
  );
  return [...stderr.matchAll(line)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    severity: m[3]!,
    code: m[4]!,
  }));
}

interface CheckJson {
  manifests: {
    file: string;
    invalid?: Located[];
    phases: { phase: string; rules: { id: string; status: string }[] }[];
  }[];
}

function g3(report: CheckJson, name: string, phase: string): string | undefined {
  const m = report.manifests.find((x) => x.file === fileOf(name));
  return m?.phases.find((p) => p.phase === phase)?.rules.find((r) => r.id === 'G3')?.status;
}

describe('every command reads a manifest the same way', () => {
  it('validate, check, diff and approve report the same findings, and approve signs what check sees', () => {
    const repo = gitDir();
    const named = (name: string): string => BASE.replace('name: lead-scoring', `name: ${name}`);
    // the base revision holds every manifest valid; the working tree holds the cases
    commitFiles(
      repo,
      Object.fromEntries(CASES.map((c) => [fileOf(c.name), named(c.name)])),
      'base',
    );
    const texts = Object.fromEntries(CASES.map((c) => [c.name, c.make(named(c.name))]));
    writeFiles(repo, Object.fromEntries(CASES.map((c) => [fileOf(c.name), texts[c.name]!])));

    const validate = runBin(['validate', '--no-cache', '-f', 'json'], repo);
    expect(validate.code, validate.stderr).toBeLessThanOrEqual(1);
    const validated = new Map<string, Located[]>();
    for (const d of (json(validate) as { diagnostics: (Located & { file: string })[] })
      .diagnostics) {
      validated.set(d.file, [...(validated.get(d.file) ?? []), d]);
    }
    // the same findings from the cache, cold and warm, and from worker threads
    const cache = { XDG_CACHE_HOME: join(repo, '.cache') };
    for (const args of [[], [], ['--no-cache', '--jobs', '2']]) {
      const again = runBin(['validate', '-f', 'json', ...args], repo, cache);
      expect.soft(json(again), args.join(' ') || 'cached').toEqual(json(validate));
    }
    const check = runBin(['check', '-f', 'json', '--today', '2026-08-01'], repo);
    expect(check.code, check.stderr).toBeLessThanOrEqual(1);
    const checked = json(check) as CheckJson;
    const diff = runBin(['diff', 'HEAD', '-f', 'json'], repo);
    expect(diff.code, diff.stderr).toBeLessThanOrEqual(1);
    const diffed = manifestFindings(json(diff));

    const valid: string[] = [];
    for (const c of CASES) {
      const file = fileOf(c.name);
      const byValidate = validated.get(file) ?? [];
      const errors = keys(byValidate.filter(isError));
      if (c.expect) expect.soft(errors.join('\n'), c.name).toContain(c.expect);
      const report = checked.manifests.find((m) => m.file === file);
      expect.soft(report, `${c.name}: check reports it`).toBeDefined();
      expect
        .soft({ case: c.name, errors: keys((report?.invalid ?? []).filter(isError)) }, 'check')
        .toEqual({ case: c.name, errors });
      expect
        .soft({ case: c.name, errors: keys((diffed.get(file) ?? []).filter(isError)) }, 'diff')
        .toEqual({ case: c.name, errors });

      const approve = runBin(
        ['approve', file, '--phase', 'envision', '--by', 'head-sales', '--date', '2026-07-01'],
        repo,
      );
      if (errors.length > 0) {
        expect.soft({ case: c.name, code: approve.code }).toEqual({ case: c.name, code: 2 });
        expect.soft(approve.stderr).toContain(`${file} does not validate`);
        expect.soft({ case: c.name, listed: keys(listedFindings(approve.stderr, file)) }).toEqual({
          case: c.name,
          listed: keys(byValidate),
        });
        expect.soft(readFileSync(join(repo, file), 'utf8')).toBe(texts[c.name]);
      } else {
        expect.soft({ case: c.name, code: approve.code, stderr: approve.stderr }).toEqual({
          case: c.name,
          code: 0,
          stderr: '',
        });
        // the approval is appended; nothing before it moves
        expect
          .soft(readFileSync(join(repo, file), 'utf8').startsWith(texts[c.name]!), c.name)
          .toBe(true);
        // the base's approval signs another digest: stale before, current after
        expect.soft({ case: c.name, G3: g3(checked, c.name, 'envision') }).toEqual({
          case: c.name,
          G3: 'fail',
        });
        valid.push(c.name);
      }
    }
    expect(valid).toContain('hex-ticket');

    // an approval counts once committed, from the approver's own git identity
    git(repo, ['add', '--', ...valid.map(fileOf)]);
    git(repo, ['commit', '-q', '-m', 'Sign off envision']);
    const after = runBin(['check', '-f', 'json', '--today', '2026-08-01'], repo);
    const afterReport = json(after) as CheckJson;
    for (const name of valid) {
      expect.soft({ case: name, G3: g3(afterReport, name, 'envision') }).toEqual({
        case: name,
        G3: 'pass',
      });
    }
  }, 120_000);
});
