const { rmSync } = require('node:fs');

module.exports = async () => {
  const runTmp = process.env.MLOPS_JEST_TMPDIR;
  if (runTmp) rmSync(runTmp, { recursive: true, force: true });
};
