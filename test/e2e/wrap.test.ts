import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir } from '../helpers/gitdir.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const hasScript = spawnSync('script', ['--version']).status === 0;
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const COLUMNS = 80;

/** The examples committed on main, a feature branch that loosens the forecast, a broken copy. */
function examplesRepo(): string {
  const dir = gitDir();
  cpSync(EXAMPLES, join(dir, 'examples'), { recursive: true });
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'examples'], {
    GIT_AUTHOR_DATE: '2026-11-24T09:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-24T09:00:00Z',
  });
  const forecast = join(dir, 'examples/forecast/mlops.yaml');
  const text = readFileSync(forecast, 'utf8');
  for (const needle of ['riskTier: medium', 'max: 0.3'])
    if (!text.includes(needle)) throw new Error(`the forecast example has no "${needle}"`);
  writeFileSync(
    forecast,
    text.replace('max: 0.3', 'max: 0.45').replace('riskTier: medium', 'riskTier: low'),
  );
  // what validate reports of a broken copy of the forecast: long messages with their hints
  writeFileSync(
    join(dir, 'broken.yaml'),
    text
      .replace('riskTier: medium', 'riskTier: medum')
      .replace('envision:\n', 'envision:\n  valueMetric: []\n  hypothesisStatement: a sentence\n'),
  );
  return dir;
}

/** Shell quoting for one argument. */
const sh = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs the built CLI on a pseudo-terminal `COLUMNS` wide (stdout and stderr both on it), as a
 * person at a terminal sees it. Under a timeout, so a hang fails instead of stopping the run.
 */
function onTerminal(
  args: string[],
  cwd: string,
  env: Record<string, string> = { NO_COLOR: '1' },
): { code: number; lines: string[] } {
  const base: Record<string, string | undefined> = { ...process.env, ...ISOLATED_GIT, ...env };
  delete base.COLUMNS;
  delete base.LINES;
  if (env.NO_COLOR === undefined) delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  const command = `stty cols ${COLUMNS} rows 50; exec ${[process.execPath, BIN, ...args].map(sh).join(' ')}`;
  const r = spawnSync('script', ['-qfec', command, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    env: base,
    input: '',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  // the terminal turns each line break into CR LF
  const out = r.stdout.replaceAll('\r\n', '\n');
  return { code: r.status ?? -1, lines: out.replace(/\n$/, '').split('\n') };
}

/** The same run through a pipe. */
function throughPipe(args: string[], cwd: string): { code: number; lines: string[] } {
  const r = runBin(args, cwd, ISOLATED_GIT);
  return { code: r.code, lines: `${r.stdout}${r.stderr}`.replace(/\n$/, '').split('\n') };
}

/**
 * Columns on a terminal, counted apart from the code under test: escape codes none, emoji and
 * East Asian wide characters two, combining marks and variation selectors none.
 */
function columns(line: string): number {
  let n = 0;
  for (const c of line.replace(/\u001b\[[0-9;]*m/g, '')) {
    if (/[\p{M}\uFE0F\u200B-\u200D]/u.test(c)) continue;
    n +=
      /\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(
        c,
      )
        ? 2
        : 1;
  }
  return n;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * The terminal's lines put back together as the lines of the pipe: every pipe line is its first
 * terminal line and the continuation lines after it, each indented at least as much as the pipe
 * line, that carry on where the line broke. Returns, per pipe line, the hangs of its
 * continuation lines.
 */
function unwrap(terminal: string[], pipe: string[]): number[][] {
  const hangs: number[][] = [];
  let k = 0;
  for (const want of pipe) {
    let got = terminal[k++];
    expect(got, `the terminal has no line for: ${want}`).toBeDefined();
    expect(want.startsWith(got!), `"${got}" does not start "${want}"`).toBe(true);
    const mine: number[] = [];
    while (got !== want) {
      const next = terminal[k++];
      expect(next, `the terminal ends inside: ${want}`).toBeDefined();
      const hang = indentOf(next!);
      expect(hang, `a continuation of "${want}" lost its indent: "${next}"`).toBeGreaterThanOrEqual(
        indentOf(want),
      );
      mine.push(hang);
      const rest = next!.trimStart();
      // the break took the spaces between two words, or none inside a word too long for a line
      const gap = /^ */.exec(want.slice(got!.length))![0].length;
      expect(
        want.slice(got!.length + gap).startsWith(rest),
        `"${next}" does not carry on "${want}" after "${got}"`,
      ).toBe(true);
      got = want.slice(0, got!.length + gap + rest.length);
    }
    hangs.push(mine);
  }
  expect(terminal.slice(k)).toEqual([]);
  return hangs;
}

describe.skipIf(!hasScript)(`on a terminal ${COLUMNS} columns wide`, () => {
  const cases: [name: string, args: string[]][] = [
    ['check', ['check', '--today', '2026-11-27']],
    ['check --verbose', ['check', '--verbose', '--today', '2026-11-27']],
    ['diff', ['diff', 'main']],
    ['diff --verbose', ['diff', 'main', '--verbose']],
    ['diff of two files', ['diff', 'examples/churn/mlops.yaml', 'examples/forecast/mlops.yaml']],
    ['validate', ['validate', 'examples', 'broken.yaml']],
    ['init --list-templates', ['init', '--list-templates']],
  ];

  it.each(cases)(
    '%s: no line is wider than the terminal; through a pipe, each line is whole',
    (_, args) => {
      const dir = examplesRepo();
      const terminal = onTerminal(args, dir);
      const pipe = throughPipe(args, dir);
      expect(terminal.code).toBe(pipe.code);
      const wide = terminal.lines.filter((l) => columns(l) > COLUMNS);
      expect(wide).toEqual([]);
      // the pipe has lines the terminal had to wrap: the test shows wrapping, not short lines
      expect(Math.max(...pipe.lines.map(columns))).toBeGreaterThan(COLUMNS);
      unwrap(terminal.lines, pipe.lines);
    },
  );

  /** The hangs of the continuation lines of each line of `mlops <args>`, with the pipe's lines. */
  function hangsOf(args: string[], dir: string): { pipe: string[]; hangs: number[][] } {
    const pipe = throughPipe(args, dir).lines;
    return { pipe, hangs: unwrap(onTerminal(args, dir).lines, pipe) };
  }

  it('check: continuation lines hang under their words: why under why, a hint under its arrow', () => {
    const { pipe, hangs } = hangsOf(
      ['check', '--verbose', '--today', '2026-11-27'],
      examplesRepo(),
    );
    const under = (pattern: RegExp): number[] =>
      pipe.flatMap((l, i) => (pattern.test(l) ? hangs[i]! : []));
    // `        why: ` and `        → ` are 13 and 10 columns
    expect(under(/^ {8}why: /).length).toBeGreaterThan(0);
    expect(new Set(under(/^ {8}why: /))).toEqual(new Set([13]));
    expect(under(/^ {8}→ /).length).toBeGreaterThan(0);
    expect(new Set(under(/^ {8}→ /))).toEqual(new Set([10]));
  });

  it('init --list-templates: a description goes on under itself', () => {
    const { pipe, hangs } = hangsOf(['init', '--list-templates'], examplesRepo());
    const width = Math.max(...pipe.map((l) => l.indexOf('  ')));
    expect(hangs.flat().length).toBeGreaterThan(0);
    expect(new Set(hangs.flat())).toEqual(new Set([width + 2]));
  });

  it('diff: an item goes on under its words, after its level and class', () => {
    const { pipe, hangs } = hangsOf(['diff', 'main'], examplesRepo());
    const bump = pipe.findIndex((l) => /^ {2}✖ error {2}not bumped {2}version /.test(l));
    expect(hangs[bump]!.length).toBeGreaterThan(0);
    expect(new Set(hangs[bump])).toEqual(new Set([pipe[bump]!.indexOf('version ')]));
  });

  it('in color, a wrapped line keeps its color and no escape code is cut', () => {
    const dir = examplesRepo();
    const terminal = onTerminal(['check', '--verbose', '--today', '2026-11-27'], dir, {});
    const text = terminal.lines.join('\n');
    expect(text).toContain('\u001b[2m'); // colored: the rationale is dim
    expect(terminal.lines.filter((l) => columns(l) > COLUMNS)).toEqual([]);
    // every escape is a whole SGR sequence
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).not.toContain('\u001b');
    // a continuation of a dim rationale is dim too
    const why = terminal.lines.findIndex((l) => l.includes('why: '));
    expect(terminal.lines[why + 1]).toMatch(/^ {13}\u001b\[2m\S/);
  });

  it('init: the closing words fit, and the commands stand on lines of their own', () => {
    const dir = gitDir();
    const r = onTerminal(['init', 'models/demand', '--yes', '--template', 'forecasting'], dir);
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => columns(l) > COLUMNS)).toEqual([]);
    const commands = r.lines.filter((l) => /^ {7}(npx )?mlops /.test(l));
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/ validate models\/demand\/mlops\.yaml$/);
    expect(commands[1]).toMatch(/ check models\/demand\/mlops\.yaml$/);
  });
});
