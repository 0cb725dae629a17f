import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempDir, writeFiles } from '../helpers/gitdir.js';

const has = (shell: string): boolean => spawnSync(shell, ['--version']).status === 0;

/** The script of `shell`, saved in a fresh folder; the folder is the one to complete in. */
function script(shell: 'bash' | 'zsh' | 'fish'): { dir: string; file: string; text: string } {
  const dir = tempDir();
  const r = runBin(['completion', shell], dir);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  const file = join(dir, `.mlops.${shell}`);
  writeFileSync(file, r.stdout);
  return { dir, file, text: r.stdout };
}

function shellRun(shell: string, args: string[], cwd: string): string {
  const r = spawnSync(shell, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** What bash offers for the command line `words` (the last one is being completed). */
function bashComplete(file: string, cwd: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = shellRun(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _mlops; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    cwd,
  );
  return out.split('\n').filter(Boolean);
}

/** The options `mlops <command> --help` lists. */
function helpOptions(command: string, cwd: string): string[] {
  const help = runBin([command, '--help'], cwd).stdout;
  return [...help.matchAll(/^ {2}(-\w, )?(--[\w-]+)/gm)].flatMap((m) =>
    [m[1]?.slice(0, 2), m[2]].filter((x): x is string => x !== undefined),
  );
}

describe('mlops completion bash', () => {
  it('registers the completion when sourced', () => {
    const { dir, file } = script('bash');
    expect(shellRun('bash', ['--norc', '-c', `source '${file}'; complete -p mlops`], dir)).toBe(
      'complete -o default -F _mlops mlops\n',
    );
  });

  it('completes commands, options, formats, phases, templates and shells', () => {
    const { dir, file } = script('bash');
    const complete = (...words: string[]): string[] => bashComplete(file, dir, ['mlops', ...words]);
    expect(complete('')).toEqual(
      expect.arrayContaining([
        'init',
        'validate',
        'check',
        'approve',
        'diff',
        'schema',
        'explain',
        'completion',
      ]),
    );
    expect(complete('va')).toEqual(['validate']);
    expect(complete('validate', '-f', '')).toEqual([
      'text',
      'json',
      'github',
      'sarif',
      'junit',
      'codequality',
    ]);
    expect(complete('check', '--format', 'm')).toEqual(['markdown']);
    // --format=j, which bash splits at "="
    expect(complete('diff', '--format', '=', 'j')).toEqual(['json', 'junit']);
    expect(complete('check', '--phase', '')).toEqual(['envision', 'build', 'deploy', 'monitor']);
    expect(complete('approve', '--decision', 'c')).toEqual(['conditional']);
    expect(complete('diff', '--fail-on', '')).toEqual(['error', 'warn', 'info', 'none']);
    expect(complete('init', '--ci', '')).toEqual(['github', 'gitlab']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    const templates = runBin(['init', '--list-templates'], dir)
      .stdout.split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')[0]);
    expect(templates.length).toBeGreaterThan(1);
    expect(complete('init', '--template', '')).toEqual(templates);
    expect(complete('check', '--b')).toEqual(['--branch']);
    expect(complete('explain', 'EVIDENCE_UNT')).toEqual(['EVIDENCE_UNTRACKED']);
    expect(complete('explain', 'G')).toEqual(
      expect.arrayContaining(['G1', 'G2', 'G3', 'GOVERNANCE_OVERDUE']),
    );
    expect(complete('explain', '--format', '')).toEqual(['text', 'json']);
    expect(complete('validate', '--std')).toEqual(['--stdin-filepath']);
  });

  it('completes files after -o, after --format name= and as paths', () => {
    const { dir, file } = script('bash');
    writeFiles(dir, { 'models/churn/mlops.yaml': 'x', 'report.sarif': '' });
    expect(bashComplete(file, dir, ['mlops', 'validate', '-o', 'rep'])).toEqual(['report.sarif']);
    expect(bashComplete(file, dir, ['mlops', 'check', '-f', 'sarif', '=', 'rep'])).toEqual([
      'report.sarif',
    ]);
    expect(bashComplete(file, dir, ['mlops', 'validate', 'mod'])).toEqual(['models']);
    expect(bashComplete(file, dir, ['mlops', 'init', 'mod'])).toEqual(['models']);
  });

  it('completes the global options before the command, and the command after them', () => {
    const { dir, file } = script('bash');
    const complete = (...words: string[]): string[] => bashComplete(file, dir, ['mlops', ...words]);
    expect([...complete('-')].sort()).toEqual(
      ['-h', '--help', '-V', '--version', '--color', '--no-color', '--verbose', '--debug'].sort(),
    );
    expect(complete('--no-')).toEqual(['--no-color']);
    expect(complete('--no-color', 'ch')).toEqual(['check']);
    expect(complete('--debug', 'check', '--phase', '')).toEqual([
      'envision',
      'build',
      'deploy',
      'monitor',
    ]);
    expect(complete('check', '--verb')).toEqual(['--verbose']);
  });

  it('offers exactly the options each command has', () => {
    const { dir, file } = script('bash');
    const commands = ['init', 'validate', 'check', 'approve', 'diff', 'schema', 'explain'];
    for (const command of [...commands, 'completion']) {
      const offered = bashComplete(file, dir, ['mlops', command, '-']);
      expect([...offered].sort(), command).toEqual([...new Set(helpOptions(command, dir))].sort());
    }
  });
});

describe('mlops completion zsh', () => {
  it('is a completion function for mlops, sourced or autoloaded', () => {
    const { text } = script('zsh');
    expect(text.startsWith('#compdef mlops\n')).toBe(true);
    expect(text).toContain('compdef _mlops mlops');
    expect(text).toContain(
      "'*--format=[output format, or name=file to write it to a file]:format:(text json markdown github sarif junit codequality)'",
    );
    expect(text).toContain(":phase:(envision build deploy monitor)'");
    // the global options, before the command too
    expect(text).toMatch(/_arguments -C \\\n(.*\\\n)*\s+'--no-color\[no colored output\]' \\\n/);
    expect(text).toContain("'--format=[output format]:format:(text json)'");
  });

  it.skipIf(!has('zsh'))('parses in zsh and registers itself with compinit', () => {
    const { dir, file } = script('zsh');
    shellRun('zsh', ['-n', file], dir);
    const out = shellRun(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -U compinit; compinit -u -d '${dir}/.zcompdump'; source '${file}'; print -r -- $_comps[mlops]`,
      ],
      dir,
    );
    expect(out).toBe('_mlops\n');
  });
});

describe('mlops completion fish', () => {
  it('declares the commands and the values of their options', () => {
    const { text } = script('fish');
    expect(text).toContain(
      "complete -c mlops -n '__fish_seen_subcommand_from check' -l phase -x -a 'envision build deploy monitor'",
    );
    // global options complete anywhere: no condition
    expect(text).toContain("complete -c mlops -l verbose -d 'more detail'\n");
  });

  it.skipIf(!has('fish'))('completes in fish', () => {
    const { dir, file } = script('fish');
    shellRun('fish', ['-n', file], dir);
    const complete = (line: string): string[] =>
      shellRun('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], dir)
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]!);
    expect(complete('mlops ')).toEqual(
      expect.arrayContaining(['init', 'validate', 'check', 'approve', 'diff', 'completion']),
    );
    expect(complete('mlops validate -f ')).toEqual([
      'codequality',
      'github',
      'json',
      'junit',
      'sarif',
      'text',
    ]);
    expect(complete('mlops check --phase ')).toEqual(['build', 'deploy', 'envision', 'monitor']);
    expect(complete('mlops completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('mlops check --verb')).toEqual(['--verbose']);
    expect(complete('mlops --no-color ')).toEqual(expect.arrayContaining(['check', 'explain']));
    expect(complete('mlops explain EVIDENCE_UNT')).toEqual(['EVIDENCE_UNTRACKED']);
  });
});

it('an unknown shell is a usage error (exit 2)', () => {
  const r = runBin(['completion', 'powershell'], tempDir());
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    "value 'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
  );
  expect(r.stdout).toBe('');
});
