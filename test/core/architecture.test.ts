import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const FORBIDDEN_IN_CORE = [
  /^node:fs/,
  /^fs$/,
  /^node:child_process/,
  /^child_process$/,
  /^simple-git/,
  /^inquirer/,
  /^@inquirer\//,
  /^chalk/,
];

function sources(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

function imports(file: string): string[] {
  return importClauses(file).map((i) => i.from);
}

/** Each import of a file: where from, the names it takes, and whether it is for types only. */
function importClauses(file: string): { from: string; names: string[]; typeOnly: boolean }[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)\s([^'"]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => ({
    from: m[2] ?? m[3]!,
    names: [...(m[1] ?? '').matchAll(/\b(\w+)\b(?:\s+as\s+\w+)?/g)].map((n) => n[1]!),
    typeOnly: /^type\s/.test(m[1] ?? ''),
  }));
}

/** `spec` imported by `file`, as a path under src (for relative imports). */
function resolveImport(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return join(dirname(file), spec).replace(/\.js$/, '.ts');
}

describe('import direction (style.md)', () => {
  it('core is pure: no file system, processes, git, prompts, colors or console', () => {
    const offenders = sources('core').flatMap((f) => {
      const bad = imports(f).filter((i) => FORBIDDEN_IN_CORE.some((re) => re.test(i)));
      if (/\bconsole\./.test(readFileSync(join(SRC, f), 'utf8'))) bad.push('console');
      return bad.map((b) => `${f}: ${b}`);
    });
    expect(sources('core').length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });

  it('core, io and report never import the cli; core never imports io or report', () => {
    const offenders = [...sources('core'), ...sources('io'), ...sources('report')].flatMap((f) =>
      imports(f)
        .filter(
          (i) => i.includes('/cli/') || (f.startsWith('core') && /\.\.\/(io|report)\//.test(i)),
        )
        .map((i) => `${f}: ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only io/prompts.ts imports the prompt library', () => {
    const offenders = sources('.').filter(
      (f) =>
        f !== join('io', 'prompts.ts') && imports(f).some((i) => /^(@inquirer\/|inquirer)/.test(i)),
    );
    expect(offenders).toEqual([]);
  });

  it('there is no import cycle (types aside: they leave no trace at run time)', () => {
    const files = new Set(sources('.'));
    const edges = new Map(
      [...files].map((f) => [
        f,
        importClauses(f)
          .filter((i) => !i.typeOnly)
          .map((i) => resolveImport(f, i.from))
          .filter((t): t is string => t !== undefined && files.has(t)),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of edges.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe('one git runner, thin commands', () => {
  const COMMANDS = sources(join('cli', 'commands'));
  const GIT_RUNNER = join('io', 'git.ts');
  /** The runner's low-level door, and the adapters built on it: io's business only. */
  const LOW_LEVEL_GIT = ['runGit', 'runGitText'];
  const GIT_PLUMBING = [/\/io\/git-batch\.js$/, /\/io\/git-state\.js$/];

  it('only io/git.ts starts processes, and nothing uses simple-git', () => {
    const offenders = sources('.').flatMap((f) =>
      imports(f)
        .filter(
          (i) => /^simple-git/.test(i) || (f !== GIT_RUNNER && /^(node:)?child_process$/.test(i)),
        )
        .map((i) => `${f}: ${i}`),
    );
    expect(COMMANDS.length).toBeGreaterThanOrEqual(4);
    expect(offenders).toEqual([]);
  });

  it('commands parse options, call io and core, and pick a reporter: no processes, parsers or git plumbing', () => {
    const offenders = COMMANDS.flatMap((f) => {
      const bad = importClauses(f).flatMap(({ from, names }) => {
        if (/^(node:)?child_process$|^simple-git|^yaml$|^js-yaml$/.test(from)) return [from];
        if (GIT_PLUMBING.some((re) => re.test(from))) return [from];
        if (/\/io\/git\.js$/.test(from))
          return names.filter((n) => LOW_LEVEL_GIT.includes(n)).map((n) => `${n} from ${from}`);
        return [];
      });
      // a git subcommand spelled out in a command is plumbing that belongs in src/io
      const text = readFileSync(join(SRC, f), 'utf8');
      for (const m of text.matchAll(
        /\[\s*'(rev-parse|ls-files|ls-tree|cat-file|merge-base|log|status|show|config|for-each-ref|diff-tree)'/g,
      ))
        bad.push(`git ${m[1]!}`);
      return bad.map((b) => `${f}: ${b}`);
    });
    expect(offenders).toEqual([]);
  });
});
