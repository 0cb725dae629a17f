#!/usr/bin/env node
// CommonJS (see bin/package.json): starting the ES module loader would cost ~10-15 ms a run.
'use strict';
let launch;
try {
  launch = require('../dist/cli/launch.cjs');
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('launch.cjs'))
    throw error;
  process.stderr.write(
    'mlops: the CLI is not built (dist/cli/ is missing)\nhint: run `npm run build` in the mlops package, or `npm ci` without --ignore-scripts\n',
  );
  process.exit(2);
}
launch.main();
