// Build step (run by bundle.mjs): writes the declarations of the programmatic API, made by tsc
// (tsconfig.api.json) from src/api.ts, into the folder given: api.d.ts and the declarations it
// refers to, and no other. They must need no package but Node.js' own types, since the
// installed package has no dependencies.
// Usage: node src/build/declarations.mjs <out>
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = process.argv[2];
if (!out) throw new Error('usage: node src/build/declarations.mjs <out>');

const ts = createRequire(import.meta.url)('typescript');
const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.api.json`, undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
const emitted = new Map();
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const result = program.emit(undefined, (file, text) => emitted.set(file, text), undefined, true);
// type errors are the typecheck's to report; these are the ones that stop declarations
const errors = [...program.getSyntacticDiagnostics(), ...result.diagnostics];
if (errors.length > 0) {
  process.stderr.write(
    `declarations of src/api.ts:\n${ts.formatDiagnostics(errors, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    })}`,
  );
  process.exit(1);
}

const outDir = config.options.outDir;
const wanted = [join(outDir, 'api.d.ts')];
const seen = new Set();
while (wanted.length > 0) {
  const file = wanted.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const text = emitted.get(file);
  if (text === undefined) throw new Error(`declarations: tsc wrote no ${relative(root, file)}`);
  for (const [, spec] of text.matchAll(/(?:from |import\()['"]([^'"]+)['"]/g)) {
    if (spec.startsWith('.')) wanted.push(join(dirname(file), spec.replace(/\.js$/, '.d.ts')));
    else if (!spec.startsWith('node:')) {
      process.stderr.write(
        `declarations: ${relative(outDir, file)} refers to the package "${spec}", which the installed mlops does not have\nhint: export plain types from src/api.ts, not types of a bundled library\n`,
      );
      process.exit(1);
    }
  }
}
for (const file of seen) {
  const target = join(out, relative(outDir, file));
  if (existsSync(target)) throw new Error(`declarations: ${target} would overwrite a bundle`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, emitted.get(file));
}
