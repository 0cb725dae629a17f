// npm run bench: every benchmark, one after the other. Each prints its own table of times and
// ratios against a baseline measured in the same run. Pass a name to run one: validate, check,
// diff, keys (parse time per key of one large manifest), memory (peak RSS of diff and check on
// 1,000 and 5,000 changed manifests), report (time and peak RSS of the site against check's on
// 1,000 manifests with 24 versions of evidence, and at 250 and 2,000).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ALL = ['validate', 'check', 'diff', 'keys', 'memory', 'report'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
let failed = false;
for (const name of wanted.length ? wanted : ALL) {
  const script = fileURLToPath(new URL(`./${name}-bench.mjs`, import.meta.url));
  if (!existsSync(script)) {
    console.error(`no benchmark named ${name} (expected ${script})`);
    failed = true;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [script, ...extra], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
