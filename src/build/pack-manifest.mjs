// npm pack and npm publish: the package.json that goes into the tarball carries no scripts (npm
// warns on every install of a package with an install-time script, such as `prepare`, which a
// clone needs to build on `npm ci`) and nothing else that only developing mlops uses.
//   node src/build/pack-manifest.mjs strip    (prepack) saves package.json as
//                                             package.json.packing and writes the packed one
//   node src/build/pack-manifest.mjs restore  (postpack) puts the saved one back, byte for byte
// A pack that died between the two leaves package.json.packing behind: the next strip or
// restore puts it back first.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = `${root}package.json`;
const saved = `${root}package.json.packing`;
/** Keys of package.json that an installed mlops has no use for. */
const DEVELOPMENT_ONLY = ['scripts', 'devDependencies', 'allowScripts', 'prettier'];

/** Writes `text` to `file` through a temporary file and a rename. */
function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function restore() {
  if (existsSync(saved)) renameSync(saved, manifest);
}

const action = process.argv[2];
if (action === 'restore') {
  restore();
} else if (action === 'strip') {
  restore();
  const text = readFileSync(manifest, 'utf8');
  const packed = JSON.parse(text);
  for (const key of DEVELOPMENT_ONLY) delete packed[key];
  const needed = Object.keys(packed.dependencies ?? {});
  if (needed.length > 0) {
    process.stderr.write(
      `package.json: "dependencies" lists ${needed.join(', ')}, which an installed mlops would fetch although dist/ bundles everything\nhint: move them to "devDependencies" (npm install --save-dev ${needed.join(' ')})\n`,
    );
    process.exit(1);
  }
  delete packed.dependencies;
  writeAtomic(saved, text);
  writeAtomic(manifest, `${JSON.stringify(packed, null, 2)}\n`);
} else {
  process.stderr.write('usage: node src/build/pack-manifest.mjs strip|restore\n');
  process.exit(2);
}
