const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// Every synth in this run (Template.fromStack, App without outdir, cdktf) writes under one private temp dir,
// which the teardown removes whole; concurrent runs on the same machine never touch each other's folders.
module.exports = async () => {
  const runTmp = mkdtempSync(join(tmpdir(), 'mlops-jest-'));
  process.env.MLOPS_JEST_TMPDIR = runTmp;
  process.env.TMPDIR = runTmp;
};
