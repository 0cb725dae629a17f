import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS benchmark helper, shared so tests use the same realistic manifests
import { writeManifests } from '../bench/manifests.mjs';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/gitdir.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/validate/', import.meta.url));

function project(): { dir: string; cache: string } {
  const dir = tempDir();
  cpSync(join(FIXTURES, 'minimal'), join(dir, 'minimal'), { recursive: true });
  cpSync(join(FIXTURES, 'broken'), join(dir, 'broken'), { recursive: true });
  return { dir, cache: join(dir, 'xdg') };
}

describe('validate cache', () => {
  it('a warm run reports exactly what a cold run reports, from $XDG_CACHE_HOME/mlops', () => {
    const { dir, cache } = project();
    const env = { XDG_CACHE_HOME: cache };
    const cold = runBin(['validate', 'minimal', 'broken'], dir, env);
    expect(cold.code).toBe(1);
    expect(existsSync(join(cache, 'mlops', 'validate-cache.txt'))).toBe(true);
    const warm = runBin(['validate', 'minimal', 'broken'], dir, env);
    expect(warm).toEqual(cold);
  });

  it('lives in the user cache folder, never inside the project, even when it has node_modules', () => {
    const { dir, cache } = project();
    mkdirSync(join(dir, 'node_modules'));
    runBin(['validate', 'minimal'], dir, { XDG_CACHE_HOME: cache });
    expect(existsSync(join(cache, 'mlops', 'validate-cache.txt'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules', '.cache'))).toBe(false);
  });

  it('--no-cache neither reads nor writes it', () => {
    const { dir, cache } = project();
    expect(runBin(['validate', '--no-cache', 'minimal'], dir, { XDG_CACHE_HOME: cache }).code).toBe(
      0,
    );
    // the launcher's code cache may be there; the validate cache is not
    expect(existsSync(join(cache, 'mlops', 'validate-cache.txt'))).toBe(false);
  });

  it('a change to a file is seen at once: the cache is keyed by content', () => {
    const { dir, cache } = project();
    const env = { XDG_CACHE_HOME: cache };
    expect(runBin(['validate', 'minimal'], dir, env).code).toBe(0);
    const file = join(dir, 'minimal', 'mlops.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('riskTier: low', 'riskTier: lo'));
    const r = runBin(['validate', 'minimal'], dir, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"lo" is not one of low');
  });

  it('is never trusted when corrupt, nor when written by another version or schema', () => {
    const { dir, cache } = project();
    const env = { XDG_CACHE_HOME: cache };
    const expected = runBin(['validate', '--no-cache', 'minimal', 'broken'], dir, env);
    const cacheFile = join(cache, 'mlops', 'validate-cache.txt');
    mkdirSync(join(cache, 'mlops'), { recursive: true });
    runBin(['validate', 'minimal', 'broken'], dir, env);
    const [header, ...entries] = readFileSync(cacheFile, 'utf8').trimEnd().split('\n');
    expect(entries).toHaveLength(2);
    const withFindings = entries.find((e) => e.includes('"SCHEMA_ENUM"'))!;
    const hash = withFindings.split('\t')[0]!;
    // the stats index would answer before the content cache once the files are 3 s old
    const dropStats = (): void => {
      for (const f of readdirSync(join(cache, 'mlops')))
        if (f.startsWith('validate-stats-')) rmSync(join(cache, 'mlops', f));
    };
    for (const content of [
      'mlops validate cache',
      '[]',
      `${header}\n${hash}\t[{"code": 1}]\n`, // findings that are not findings
      `${header}\n${hash}\t[{"code": "SCHEMA_ENUM", "mess\n`, // cut short
      `${header}\n${withFindings.replace('"SCHEMA_ENUM"', '"NO_SUCH_CODE"')}\n`, // unknown code
      `${header}\n${hash}\t"broken"\t8:x\n`, // a name at no position
    ]) {
      dropStats();
      writeFileSync(cacheFile, content);
      expect(runBin(['validate', 'minimal', 'broken'], dir, env)).toEqual(expected);
    }
    // a well-formed cache under another key claims the broken file is clean: it must be ignored
    dropStats();
    writeFileSync(cacheFile, `${header!.replace(/\t[^:]*:/, '\t0.0.0:')}\n${hash}\n`);
    expect(runBin(['validate', 'minimal', 'broken'], dir, env)).toEqual(expected);
    // and under the right key it is believed: proof that the lines above were read at all
    dropStats();
    writeFileSync(cacheFile, `${header}\n${hash}\n`);
    expect(runBin(['validate', 'minimal', 'broken'], dir, env).code).toBe(0);
  });
});

describe('validate cache: files known by their stat', () => {
  it('a file untouched since it was last validated is not read; any write is still seen', async () => {
    const { dir, cache } = project();
    const env = { XDG_CACHE_HOME: cache };
    const file = join(dir, 'minimal', 'mlops.yaml');
    const statsFiles = (): string[] =>
      readdirSync(join(cache, 'mlops')).filter((f) => f.startsWith('validate-stats-'));
    expect(runBin(['validate', 'minimal'], dir, env)).toMatchObject({ code: 0 });
    // files changed in the last 3 s are never recorded: a later change could share their times
    expect(statsFiles()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 3200));
    expect(runBin(['validate', 'minimal'], dir, env)).toMatchObject({ code: 0 });
    const [statsFile] = statsFiles().map((f) => join(cache, 'mlops', f));
    const recorded = readFileSync(statsFile!, 'utf8').trimEnd().split('\n');
    const line = recorded.find((l) => l.endsWith(`\t${file}`))!;
    // generation, ino, size, mtime, ctime, content hash, its outcome (name, line:column,
    // findings), path
    const fields = line.split('\t');
    const cleanHash = fields[5];
    const cleanEntry = fields.slice(6, 9).join('\t');

    // the same size, a broken risk tier, and the old modification time put back
    const before = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('riskTier: low', 'riskTier: lwo'));
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    const broken = runBin(['validate', 'minimal'], dir, env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('"lwo" is not one of low');

    /** Records, as a run would for a file last changed long ago, that `file` has the clean content. */
    const forge = (): void => {
      const st = statSync(file);
      writeFileSync(
        statsFile!,
        `${recorded.slice(0, 2).join('\n')}\n1\t${st.ino}\t${st.size}\t${st.mtimeMs}\t${st.ctimeMs}\t${cleanHash}\t${cleanEntry}\t${file}\n`,
      );
    };
    // recorded with its stat as clean, the file is believed without being read...
    forge();
    expect(runBin(['validate', 'minimal'], dir, env)).toMatchObject({
      code: 0,
      stdout: '✔ 1 manifest valid\n',
    });
    // ...while nothing touches it: even putting the same times back moves the change time
    forge();
    utimesSync(file, before.atime, before.mtime);
    expect(runBin(['validate', 'minimal'], dir, env).stdout).toContain('"lwo" is not one of low');
  });
});

describe('validate at scale', () => {
  it(
    'worker threads report the same findings, in the same order, as one thread',
    { timeout: 60_000 },
    () => {
      const dir = tempDir();
      writeManifests(dir, 450);
      const models = readdirSync(join(dir, 'models')).sort();
      for (const m of [models[7]!, models[300]!]) {
        const file = join(dir, 'models', m, 'mlops.yaml');
        writeFileSync(
          file,
          readFileSync(file, 'utf8').replace('riskTier: medium', 'riskTier: hgh'),
        );
      }
      const one = runBin(['validate', '--no-cache', '--jobs', '1', 'models'], dir);
      const auto = runBin(['validate', '--no-cache', 'models'], dir);
      const two = runBin(['validate', '--no-cache', '--jobs', '2', 'models'], dir);
      expect(one.code).toBe(1);
      expect(one.stdout).toContain('✖ 2 errors in 2 of 450 manifests');
      expect(one.stdout.indexOf('m00007')).toBeLessThan(one.stdout.indexOf('m00300'));
      expect(auto).toEqual(one);
      expect(two).toEqual(one);
    },
  );

  it(
    'from 5,000 manifests every slice goes to a worker: the same findings, in the same order',
    { timeout: 120_000 },
    () => {
      const dir = tempDir();
      writeManifests(dir, 5000, (i: number) => (i === 7 || i === 4321 ? 'error' : 'clean'));
      const one = runBin(['validate', '--no-cache', '--jobs', '1', 'models'], dir);
      const two = runBin(['validate', '--no-cache', '--jobs', '2', 'models'], dir);
      expect(one.code).toBe(1);
      expect(one.stdout).toContain('✖ 2 errors in 2 of 5000 manifests');
      expect(one.stdout.indexOf('m00007')).toBeLessThan(one.stdout.indexOf('m04321'));
      expect(two).toEqual(one);
    },
  );

  it(
    'threads started while 2,500 manifests are found end when a config file skips all but 10',
    { timeout: 60_000 },
    () => {
      const dir = tempDir();
      writeManifests(dir, 2500);
      // all but models/m02400 to m02409
      const skipped = ['m00', 'm01', 'm020', 'm021', 'm022', 'm023', 'm0241', 'm0242', 'm0243'];
      skipped.push('m0244', 'm0245', 'm0246', 'm0247', 'm0248', 'm0249');
      const config = `apiVersion: mlops/v1\nkind: Config\nignore:\n${skipped.map((p) => `  - models/${p}*/**\n`).join('')}`;
      writeFileSync(join(dir, 'mlops.config.yaml'), config);
      const started = Date.now();
      const some = runBin(['validate', '--no-cache', '--format', 'json', 'models'], dir);
      expect(some.code, some.stderr).toBe(0);
      const json = JSON.parse(some.stdout) as { files: string[] };
      expect(json.files).toEqual(
        Array.from({ length: 10 }, (_, i) => `models/m0240${i}/mlops.yaml`),
      );
      // every manifest skipped: the error, and an exit that no thread holds up
      writeFileSync(join(dir, 'mlops.config.yaml'), `${config}  - models/**\n`);
      const none = runBin(['validate', '--no-cache', 'models'], dir);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('every mlops.yaml found is ignored by mlops.config.yaml');
      expect(Date.now() - started).toBeLessThan(30_000);
    },
  );

  it('--jobs takes a whole number', () => {
    const { dir } = project();
    const r = runBin(['validate', '--jobs', 'many', 'minimal'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs must be a whole number');
  });
});
