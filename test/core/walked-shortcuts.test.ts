// What a walk saw answers, for the folders below it, which config files apply to a manifest and
// which repository holds it, without a look at each folder: these answers must be exactly those
// the looks give. Random trees of folders, manifests, config files and `.git` entries, walked
// from random roots, read from random working folders.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/io/config.js';
import { walkForManifests } from '../../src/io/fs.js';
import { scopesOf } from '../../src/io/validate-files.js';
import { tempDir } from '../helpers/gitdir.js';

const CONFIG = 'apiVersion: mlops/v1\nkind: Config\nstrict: true\n';
const MANIFEST = 'apiVersion: mlops/v1\n';

/** Folders as paths of names, and what each holds. */
const treeArb = fc.array(
  fc.record({
    path: fc.array(fc.constantFrom('a', 'b', 'c', '.h', 'node_modules'), {
      minLength: 0,
      maxLength: 4,
    }),
    manifest: fc.boolean(),
    config: fc.constantFrom(false, false, false, false, true),
    git: fc.constantFrom('none', 'none', 'none', 'dir', 'file'),
  }),
  { minLength: 1, maxLength: 12 },
);
const pick = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 });

describe("a walk's view of the folders below it", () => {
  it('gives the config files and repositories that looking at each folder gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        treeArb,
        fc.array(pick, { minLength: 1, maxLength: 2 }),
        pick,
        async (tree, roots, cwdPath) => {
          const base = join(tempDir(), 'top');
          mkdirSync(base);
          for (const { path, manifest, config, git } of tree) {
            const dir = join(base, ...path);
            mkdirSync(dir, { recursive: true });
            if (manifest) writeFileSync(join(dir, 'mlops.yaml'), MANIFEST);
            if (config) writeFileSync(join(dir, 'mlops.config.yaml'), CONFIG);
            // never at the top, which is where a repository's root would be found by git
            const dotGit = join(dir, '.git');
            if (path.length > 0 && git !== 'none' && !existsSync(dotGit)) {
              if (git === 'dir') mkdirSync(dotGit);
              else writeFileSync(dotGit, 'gitdir: x\n');
            }
          }
          const walkedRoots = [...new Set(roots.map((r) => join(base, ...r)))];
          for (const r of walkedRoots) mkdirSync(r, { recursive: true });
          const cwd = join(base, ...cwdPath);
          mkdirSync(cwd, { recursive: true });
          const walked = {
            roots: walkedRoots,
            dirs: new Set<string>(),
            gitDirs: new Set<string>(),
          };
          const files = [
            ...new Set(walkedRoots.flatMap((r) => walkForManifests(r, walked))),
          ].sort();
          const paths = walkedRoots;

          // the walk's answers first: a folder answered by looking is remembered
          const fromWalk = scopesOf(files, { cwd, paths, walked });
          const scopesSeen = files.map((_, i) => fromWalk(i));
          const looked = scopesOf(files, { cwd, paths });
          expect(scopesSeen).toEqual(files.map((_, i) => looked(i)));

          const chains = async (known: boolean): Promise<unknown> => {
            const applied = await applyConfig(files, {
              cwd,
              paths,
              ...(known ? { known: walked } : {}),
            });
            return {
              files: applied.files,
              chains: applied.files.map((f) => applied.configOf(f).chain.map((c) => c.dir)),
            };
          };
          expect(await chains(true)).toEqual(await chains(false));
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  }, 120_000);
});
