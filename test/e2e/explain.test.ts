import { readFileSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/core/check/registry.js';
import { CHECK_CODES } from '../../src/core/codes/check.js';
import { CODES } from '../../src/core/codes/index.js';
import type { Code } from '../../src/core/codes/index.js';
import { MESSAGES } from '../../src/report/messages/index.js';
import { BIN, runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/gitdir.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');
const ALL_CODES = Object.keys(CODES) as Code[];
/** Run through npx: hints spell commands `npx mlops ...`. */
const NPX = { npm_command: 'exec' };

describe('mlops explain <rule>', () => {
  it('prints what the rule checks, why, its legal reference, whether it can be waived, and its findings', () => {
    const r = runBin(['explain', 'E5'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const e5 = RULES.find((rule) => rule.id === 'E5')!;
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(r.stdout.startsWith('E5  Risks complete\n')).toBe(true);
    expect(flat).toContain(`phases envision`);
    expect(flat).toContain(`passes when ${e5.help}`);
    expect(flat).toContain(`why ${e5.rationale}`);
    expect(flat).toContain(`legal ${e5.legal!.ref} ${e5.legal!.url}`);
    expect(flat).toContain('waiver may be waived');
    expect(flat).toContain(`RISK_DEFENSE_LINE ${MESSAGES.RISK_DEFENSE_LINE.title}`);
    expect(flat).toContain(MESSAGES.RISK_DEFENSE_LINE.help);
  });

  it('takes any case, and gives the same answer', () => {
    const dir = tempDir();
    const upper = runBin(['explain', 'G3'], dir);
    expect(runBin(['explain', 'g3'], dir)).toEqual(upper);
    expect(upper.stdout).not.toContain('legal');
  });

  it('points a rule that needs files at G1 for the evidence findings, which G1 lists', () => {
    const b4 = runBin(['explain', 'B4'], tempDir(), NPX).stdout;
    expect(b4).toContain('DOCUMENT_MISSING');
    expect(b4).toContain('`npx mlops explain G1`');
    expect(b4).not.toContain('EVIDENCE_UNTRACKED');
    const g1 = runBin(['explain', 'G1'], tempDir()).stdout;
    for (const code of Object.keys(CHECK_CODES).filter((c) => c.startsWith('EVIDENCE_')))
      expect(g1).toContain(`  ${code}`);
  });
});

describe('mlops explain <code>', () => {
  it('prints the title, meaning and severity of a finding code, and the rules that report it', () => {
    const r = runBin(['explain', 'evidence_untracked'], tempDir());
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(r.stdout.startsWith(`EVIDENCE_UNTRACKED  ${MESSAGES.EVIDENCE_UNTRACKED.title}\n`)).toBe(
      true,
    );
    expect(flat).toContain(`means ${MESSAGES.EVIDENCE_UNTRACKED.help}`);
    expect(flat).toContain('severity error');
    expect(flat).toContain('reported by mlops check');
    expect(flat).toContain('rules G1 (Evidence committed to git), B4 (Model card and datasheets)');
    expect(flat).toContain(
      'excused by an approved waiver of the rule that reports it about the same item',
    );
    expect(runBin(['explain', 'Evidence-Untracked'], tempDir()).stdout).toBe(r.stdout);
  });

  it('says which commands report a manifest, diff or config code, and that it cannot be waived', () => {
    const dir = tempDir();
    const schema = runBin(['explain', 'SCHEMA_ENUM'], dir).stdout.replace(/\s+/g, ' ');
    expect(schema).toContain(`means ${MESSAGES.SCHEMA_ENUM.help}`);
    expect(schema).toContain('reported by mlops validate, check, diff and approve');
    expect(schema).toContain('cannot be waived');
    expect(schema).not.toContain('rules ');
    const diff = runBin(['explain', 'change_removed'], dir).stdout.replace(/\s+/g, ' ');
    expect(diff).toContain('severity warning');
    expect(diff).toContain('reported by mlops diff');
    expect(diff).toContain('--fail-on');
    const config = runBin(['explain', 'config_enum'], dir).stdout.replace(/\s+/g, ' ');
    expect(config).toContain('when they read mlops.config.yaml');
  });
});

describe('names explain does not know', () => {
  it('exits 2 with a did-you-mean and the hint to list them', () => {
    const dir = tempDir();
    const typos: [string, string][] = [
      ['G9', 'G1'],
      ['SCHEMA_ENUMM', 'SCHEMA_ENUM'],
      ['evidence-untrackd', 'EVIDENCE_UNTRACKED'],
    ];
    for (const [name, meant] of typos) {
      const r = runBin(['explain', name], dir, NPX);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `mlops: no rule or finding code is named "${name}" (did you mean "${meant}"?)\nhint: run \`npx mlops explain --list\` for every rule and code\n`,
      );
    }
    const far = runBin(['explain', 'nothing-like-it'], dir);
    expect(far.code).toBe(2);
    expect(far.stderr.split('\n')[0]).toBe(
      'mlops: no rule or finding code is named "nothing-like-it"',
    );
  });

  it('exits 2 without a name, with a name and --list, or with an unknown format', () => {
    const dir = tempDir();
    for (const argv of [['explain'], ['explain', 'G1', '--list'], ['explain', 'G1', '-f', 'xml']]) {
      const r = runBin(argv, dir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(runBin(['explain'], dir, NPX).stderr).toContain('hint: run `npx mlops explain --list`');
  });

  it('spells the hint as the user runs mlops: `mlops` when it is the one on the PATH', () => {
    const dir = tempDir();
    const bin = tempDir('mlops-bin-');
    symlinkSync(BIN, join(bin, 'mlops'));
    // typed in a shell: not through npx, and this mlops first on the PATH
    const shell = {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      npm_command: '',
      npm_lifecycle_event: '',
    };
    const r = runBin(['explain', 'G9'], dir, shell);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: run `mlops explain --list` for every rule and code\n');
    const g1 = runBin(['explain', 'B4'], dir, shell);
    expect(g1.stdout).toContain('`mlops explain G1`');
    expect(runBin(['explain', 'B4'], dir, NPX).stdout).toContain('`npx mlops explain G1`');
  });
});

describe('mlops explain --list', () => {
  it('lists every rule and code, one line each, within 80 columns', () => {
    const r = runBin(['explain', '--list'], tempDir());
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    for (const rule of RULES)
      expect(lines.filter((l) => l.startsWith(`  ${rule.id}  ${rule.title}`))).toHaveLength(1);
    for (const code of ALL_CODES) {
      const line = lines.filter((l) => new RegExp(`^ {2}${code} +\\S`).test(l));
      expect(line, code).toHaveLength(1);
      expect(line[0]).toContain(MESSAGES[code].title);
    }
  });

  it('as JSON: every rule and code with what a script needs', () => {
    const r = runBin(['explain', '--list', '--format', 'json'], tempDir());
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      schemaVersion: number;
      command: string;
      rules: { id: string; title: string; phases: string[]; waivable: boolean }[];
      codes: { code: string; title: string; severity: string; area: string }[];
    };
    expect(json.schemaVersion).toBe(1);
    expect(json.command).toBe('explain');
    expect(json.rules.map((x) => [x.id, x.title, x.phases, x.waivable])).toEqual(
      RULES.map((x) => [x.id, x.title, [...x.phases], x.waivable]),
    );
    expect(json.codes.map((x) => [x.code, x.title, x.severity])).toEqual(
      ALL_CODES.map((c) => [c, MESSAGES[c].title, CODES[c].severity]),
    );
    expect(json.codes.find((c) => c.code === 'SCHEMA_ENUM')!.area).toBe('manifest');
    expect(json.codes.find((c) => c.code === 'APPROVAL_STALE')!.area).toBe('check');
  });
});

/** The codes each rule reports, read from the rules' sources and their helpers'. */
function codesFromSources(): Map<string, Set<string>> {
  const check = new Set(Object.keys(CHECK_CODES));
  const literals = (text: string): string[] =>
    [...text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!).filter((c) => check.has(c));
  const evidence = literals(read('src/core/check/evidence.ts'));
  expect(evidence.length).toBeGreaterThan(10);
  // reports why evidence does not count (asking whether it counts, to skip, reports nothing)
  const judgesEvidence = (text: string): boolean => /\bissueFinding\(/.test(text);
  // the helpers of src/core/check/rules/common.ts (and eu-common.ts, of the EU AI Act rules),
  // each with the codes it reports
  const helpers = new Map<string, string[]>();
  const helperSources = ['common.ts', 'eu-common.ts']
    .map((f) => read(`src/core/check/rules/${f}`))
    .join('\n');
  for (const chunk of helperSources.split(/^export function /m).slice(1)) {
    const name = /^\w+/.exec(chunk)![0];
    helpers.set(name, [...literals(chunk), ...(judgesEvidence(chunk) ? evidence : [])]);
  }
  const out = new Map<string, Set<string>>();
  for (const rule of RULES) {
    const text = read(`src/core/check/rules/${rule.id.toLowerCase()}.ts`);
    const codes = new Set([...literals(text), ...(judgesEvidence(text) ? evidence : [])]);
    for (const [name, helperCodes] of helpers)
      if (new RegExp(`\\b${name}\\(`).test(text)) for (const c of helperCodes) codes.add(c);
    out.set(rule.id, codes);
  }
  return out;
}

describe('every rule and code, in process', () => {
  it('names for each rule exactly the codes its source reports, and for each check code its rules', async () => {
    const dir = tempDir();
    const expected = codesFromSources();
    const reporting = new Map<string, string[]>();
    for (const rule of RULES) {
      const r = await runCli(['explain', rule.id, '--format', 'json'], dir);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { rule: { codes: { code: string }[] } };
      const codes = json.rule.codes.map((c) => c.code);
      expect(new Set(codes), rule.id).toEqual(expected.get(rule.id));
      for (const c of codes) reporting.set(c, [...(reporting.get(c) ?? []), rule.id]);
    }
    for (const code of Object.keys(CHECK_CODES)) {
      const r = await runCli(['explain', code, '--format', 'json'], dir);
      const json = JSON.parse(r.stdout) as { code: { rules: { id: string }[] } };
      expect(
        json.code.rules.map((x) => x.id),
        code,
      ).toEqual(reporting.get(code) ?? []);
    }
    // a check code no rule reports is one of check's waiver pass (which is no rule): explain
    // lists no rule for it
    const waiverPass = new Set(
      [...read('src/core/check/waivers.ts').matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!),
    );
    expect(Object.keys(CHECK_CODES).filter((c) => !reporting.has(c) && !waiverPass.has(c))).toEqual(
      [],
    );
    expect([...waiverPass].filter((c) => !reporting.has(c))).toEqual([
      'WAIVER_EXPIRING',
      'WAIVER_NOT_IN_FORCE',
    ]);
  });

  it('gives every rule and code as JSON, with the words of the registry and the messages', async () => {
    const dir = tempDir();
    for (const rule of RULES) {
      const r = await runCli(['explain', rule.id.toLowerCase(), '-f', 'json'], dir);
      const json = JSON.parse(r.stdout) as { schemaVersion: number; rule: Record<string, unknown> };
      expect(json.schemaVersion).toBe(1);
      expect(json.rule).toMatchObject({
        id: rule.id,
        title: rule.title,
        phases: [...rule.phases],
        help: rule.help,
        rationale: rule.rationale,
        waivable: rule.waivable,
      });
      expect(json.rule.legal).toEqual(rule.legal);
    }
    for (const code of ALL_CODES) {
      const r = await runCli(['explain', code.toLowerCase(), '-f', 'json'], dir);
      const json = JSON.parse(r.stdout) as { code: Record<string, unknown> };
      expect(json.code).toMatchObject({
        code,
        title: MESSAGES[code].title,
        help: MESSAGES[code].help,
        severity: CODES[code].severity,
      });
    }
  });

  it('wraps every explanation at 80 columns, or at the width of the terminal', async () => {
    const dir = tempDir();
    for (const name of [...RULES.map((r) => r.id), ...ALL_CODES]) {
      const piped = await runCli(['explain', name], dir);
      expect(piped.code).toBe(0);
      for (const line of piped.stdout.split('\n'))
        expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(80);
      const narrow = await runCli(['explain', name], dir, { COLUMNS: '60' }, { tty: true });
      // a word wider than the column it is in (a URL) is never broken
      for (const line of narrow.stdout.split('\n'))
        if (!line.split(/\s+/).some((word) => word.length > 60 - 15))
          expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(60);
      // the same words, however they are wrapped
      expect(narrow.stdout.replace(/\s+/g, ' ')).toBe(piped.stdout.replace(/\s+/g, ' '));
    }
  });
});
