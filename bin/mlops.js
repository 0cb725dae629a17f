#!/usr/bin/env node
// CommonJS (see bin/package.json): starting the ES module loader would cost ~10-15 ms a run.
'use strict';
require('../dist/cli/launch.cjs').main();
