// Generates a repository of many changed manifests for the memory bench and the scale test:
// the two bundled examples (examples/churn and examples/forecast) with all their evidence,
// copied under models/mNNNNN/ with a unique name and varied numbers, committed at `base`;
// then one commit `head` that changes every manifest (a guardrail loosened, a target moved,
// a stakeholder added, each with the version bump it needs) and some of their evidence. Built
// with one `git fast-import`: evidence that is the same in many folders is one blob.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
/** The commit times: base, then head a day later; check's --today is a week after base. */
const BASE_TIME = Date.parse('2026-11-20T12:00:00Z') / 1000;
export const SCALE_TODAY = '2026-11-27';

function filesOf(dir) {
  const out = [];
  const walk = (abs, prefix) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(abs, e.name), `${prefix}${e.name}/`);
      else out.push([`${prefix}${e.name}`, readFileSync(join(abs, e.name), 'utf8')]);
    }
  };
  walk(dir, '');
  return out;
}

const EXAMPLE = Object.fromEntries(
  ['churn', 'forecast'].map((name) => {
    const files = filesOf(join(EXAMPLES, name));
    return [
      name,
      {
        manifest: files.find(([p]) => p === 'mlops.yaml')[1],
        evidence: files.filter(([p]) => p !== 'mlops.yaml'),
      },
    ];
  }),
);

function edit(text, from, to) {
  if (!text.includes(from)) throw new Error(`the example manifest has no "${from}"`);
  return text.replace(from, to);
}

const pad = (i) => String(i).padStart(5, '0');
const kindOf = (i) => (i % 2 === 0 ? 'churn' : 'forecast');

/** Manifest `i` at the base: an example with a unique name, owner and baseline. */
export function baseManifest(i) {
  const kind = kindOf(i);
  let text = EXAMPLE[kind].manifest;
  if (kind === 'churn') {
    text = edit(text, 'name: churn-propensity', `name: churn-propensity-${pad(i)}`);
    text = edit(text, 'name: Priya Raman\n', `name: Priya Raman ${pad(i)}\n`);
    text = edit(text, 'baseline: { value: 410,', `baseline: { value: ${400 + (i % 20)},`);
  } else {
    text = edit(text, 'name: store-demand-forecast', `name: store-demand-forecast-${pad(i)}`);
    text = edit(text, 'name: Daniel Osei\n', `name: Daniel Osei ${pad(i)}\n`);
    text = edit(text, 'baseline: { value: 182,', `baseline: { value: ${180 + (i % 9)},`);
  }
  return text;
}

/** Manifest `i` at the head: one of three edits, with the version it needs. */
export function headManifest(i) {
  const kind = kindOf(i);
  const text = baseManifest(i);
  const [from, major, minor, patch] =
    kind === 'churn'
      ? ['version: 1.4.0', '2.0.0', '1.5.0', '1.4.1']
      : ['version: 0.3.0', '0.4.0', '0.3.1', '0.3.1'];
  switch (i % 3) {
    case 0: // loosened: a guardrail's bound widened
      return edit(
        kind === 'churn'
          ? edit(text, 'min: 0.8\n          max: 1.25', 'min: 0.75\n          max: 1.25')
          : edit(text, 'max: 0.25', 'max: 0.3'),
        from,
        `version: ${major}`,
      );
    case 1: // tightened: a target moved further from its baseline
      return edit(
        kind === 'churn'
          ? edit(text, 'target: { value: 1.6,', 'target: { value: 1.5,')
          : edit(text, 'target: { value: 140,', 'target: { value: 135,'),
        from,
        `version: ${patch}`,
      );
    default: // added: a stakeholder
      return edit(
        edit(
          text,
          '  stakeholders:\n',
          '  stakeholders:\n    - id: legal\n      name: Legal counsel\n      role: legal\n',
        ),
        from,
        `version: ${minor}`,
      );
  }
}

/** The repository's config: its approvals count as recorded (anyone recorded them). */
const CONFIG = 'apiVersion: mlops/v1\nkind: Config\napprovals:\n  identity: recorded\n';

const addKey = (text, key, value) => {
  const out = text.replace(/\n\}\s*$/, `,\n  "${key}": ${JSON.stringify(value)}\n}\n`);
  if (out === text) throw new Error('the example report does not end with a closing brace');
  return out;
};

/**
 * Evidence `path` of manifest `i`: one report per folder carries the folder's own run id, and
 * at the head a third of the manifests commit new reports (with the history check reads).
 */
function evidenceAt(kind, path, text, i, side) {
  let out = text;
  if (path === (kind === 'churn' ? 'reports/evaluation.json' : 'reports/backtest.json'))
    out = addKey(out, 'run', pad(i));
  if (side === 'head' && i % 3 === 1 && /^reports\/[a-z-]+\.json$/.test(path))
    out = addKey(out, 'revision', 2);
  return out;
}

function gitRun(dir, args, input) {
  return execFileSync('git', args, {
    cwd: dir,
    input,
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      // fast-import grows and trims its heap for every object: with glibc, half its time
      MALLOC_TOP_PAD_: String(256 << 20),
      MALLOC_TRIM_THRESHOLD_: String(256 << 20),
    },
  });
}

/**
 * Builds the repository in `dir` (an empty folder): tags `base` and `head`, branch main at
 * head, checked out unless `checkout` is false. Returns the number of tracked files.
 */
export function buildScaleRepo(dir, count, { checkout = true } = {}) {
  gitRun(dir, ['init', '-q', '-b', 'main']);
  gitRun(dir, ['config', 'gc.auto', '0']);
  const chunks = [];
  let mark = 1;
  const marks = new Map();
  const blob = (content) => {
    let m = marks.get(content);
    if (m !== undefined) return m;
    m = mark++;
    marks.set(content, m);
    const buf = Buffer.from(content);
    chunks.push(Buffer.from(`blob\nmark :${m}\ndata ${buf.length}\n`), buf, Buffer.from('\n'));
    return m;
  };
  const commit = (ref, time, message, ops) => {
    chunks.push(
      Buffer.from(
        `commit ${ref}\ncommitter Bench <bench@example.com> ${time} +0000\ndata ${message.length}\n${message}\n${ops.join('\n')}\n\n`,
      ),
    );
  };
  let files = 0;
  for (const side of ['base', 'head']) {
    const ops = [];
    for (let i = 0; i < count; i++) {
      const kind = kindOf(i);
      const folder = `models/m${pad(i)}`;
      const text = side === 'base' ? baseManifest(i) : headManifest(i);
      ops.push(`M 100644 :${blob(text)} ${folder}/mlops.yaml`);
      for (const [path, content] of EXAMPLE[kind].evidence) {
        const m = blob(evidenceAt(kind, path, content, i, side));
        ops.push(`M 100644 :${m} ${folder}/${path}`);
      }
    }
    files = ops.length;
    // the approvals were recorded by whoever generated the repository, not by the approvers
    ops.push(`M 100644 :${blob(CONFIG)} mlops.config.yaml`);
    commit(
      'refs/heads/main',
      side === 'base' ? BASE_TIME : BASE_TIME + 86400,
      side === 'base' ? `${count} manifests` : `change ${count} manifests`,
      ops,
    );
    chunks.push(Buffer.from(`reset refs/tags/${side}\nfrom refs/heads/main\n\n`));
  }
  // some 10,000 distinct manifests of 15 kB: light compression is three times faster
  gitRun(dir, ['-c', 'core.compression=1', 'fast-import', '--quiet'], Buffer.concat(chunks));
  if (checkout) gitRun(dir, ['reset', '-q', '--hard', 'main']);
  return files;
}
