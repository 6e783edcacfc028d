import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthKubernetes } from '../../../../stacks/k8s-app';
import { REPO_ROOT } from '../../../support/cdk-context';

test('the Terraform JSON of synth:k8s names no backend and no path of the machine that wrote it (the team configures state)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir-portable-'));
  try {
    const { stackName } = synthKubernetes({ environment: 'prod', outdir, cdkJsonPath: join(REPO_ROOT, 'cdk.json'), ingressCidrs: [] });
    const text = readFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8');
    const document = JSON.parse(text) as { terraform?: { backend?: unknown }; resource?: unknown };
    expect(document.resource).toBeDefined();
    expect(document.terraform?.backend).toBeUndefined();
    for (const machinePath of [REPO_ROOT, outdir, homedir(), tmpdir()]) expect(text).not.toContain(machinePath);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
