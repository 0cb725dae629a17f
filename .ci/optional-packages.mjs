// npm skips an optional package silently when its download or its platform check fails, and the
// lock file still says the install succeeded. The test runner's bundler (rolldown) and the build's
// (esbuild) each load a native binding that comes as such a package: without it, nothing runs.
// This finds every optional package of the lock file that fits this machine (os, cpu, libc) but is
// missing from node_modules, and puts it in place from the registry, checked against the lock's
// integrity. Exits non-zero, naming the package, when one cannot be put in place.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));

function libc() {
  if (process.platform !== 'linux') return undefined;
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'utf8');
    if (ldd.includes('musl')) return 'musl';
    if (ldd.includes('GNU C Library')) return 'glibc';
  } catch {
    // no ldd: ask the running Node.js below
  }
  const header = process.report?.getReport()?.header;
  return header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

function fits(list, value) {
  if (!Array.isArray(list) || list.length === 0) return true;
  if (value === undefined) return true;
  const denied = list.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const allowed = list.filter((v) => !v.startsWith('!'));
  if (denied.includes(value)) return false;
  return allowed.length === 0 || allowed.includes(value);
}

// the optional packages that an installed package asks for: one whose parent is missing (an
// optional peer nobody installed) is not wanted either
const wanted = new Set();
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (path !== '' && !existsSync(join(path, 'package.json'))) continue;
  for (const name of Object.keys(entry.optionalDependencies ?? {})) wanted.add(name);
}

const family = libc();
const missing = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (!path.startsWith('node_modules/') || !entry.optional || !entry.version) continue;
  // a platform's package says which platform; an optional package without that is a dependency of
  // one (the WebAssembly binding's runtime, say), needed only where that one fits
  if (!entry.os && !entry.cpu && !entry.libc) continue;
  if (!fits(entry.os, process.platform) || !fits(entry.cpu, process.arch)) continue;
  if (!fits(entry.libc, family)) continue;
  if (existsSync(join(path, 'package.json'))) continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  if (!wanted.has(name)) continue;
  missing.push({ path, name, version: entry.version, integrity: entry.integrity });
}

let failed = 0;
for (const pkg of missing) {
  const spec = `${pkg.name}@${pkg.version}`;
  console.error(`npm left out ${spec} (optional, fits this machine): putting it in place`);
  const dir = mkdtempSync(join('node_modules', '.optional-')); // same file system as the target
  try {
    const out = execFileSync('npm', ['pack', spec, '--json', '--pack-destination', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [packed] = JSON.parse(out);
    if (pkg.integrity && packed.integrity !== pkg.integrity) {
      throw new Error(`integrity ${packed.integrity} differs from the lock's ${pkg.integrity}`);
    }
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(dir, packed.filename), '-C', unpacked], { stdio: 'inherit' });
    mkdirSync(join(pkg.path, '..'), { recursive: true });
    rmSync(pkg.path, { recursive: true, force: true });
    renameSync(join(unpacked, 'package'), pkg.path);
  } catch (err) {
    failed += 1;
    console.error(`could not put ${spec} in place: ${err instanceof Error ? err.message : err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
