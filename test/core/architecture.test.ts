import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  const text = readFileSync(join(SRC, file), 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2]!);
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
});
