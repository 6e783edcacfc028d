import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { ServingKubernetesStack, ServingWorkload } from '../../../../constructs/kubernetes';
import { CAPTURE_ENV, loadCaptureSettings } from '../../../../serving/src/capture/capture-settings';
import { synthKubernetes } from '../../../../stacks/k8s-app';
import { REPO_ROOT } from '../../../support/cdk-context';
import { prodEksSizing, resourceOf, synthJson, type TerraformJson } from './support';

type EnvVar = { name: string; value: string };
const containerEnv = (json: TerraformJson, model: string): EnvVar[] =>
  resourceOf(json, 'kubernetes_deployment_v1', `${model}_`).spec.template.spec.container[0].env;

describe('inference capture on EKS (Terraform JSON)', () => {
  const json = JSON.parse(
    Testing.synth(
      new ServingKubernetesStack(Testing.app(), 'k8s', {
        models: [
          { modelName: 'fraud-scorer', sizing: prodEksSizing('fraud-scorer'), captureSampleFraction: 0.01 },
          { modelName: 'doc-embedder', sizing: prodEksSizing('doc-embedder') },
        ],
      }),
    ),
  ) as TerraformJson;

  test('a captured model gets its own fraction and the capture_destination variable (CDK output CaptureDestinationOutput)', () => {
    expect(json.variable.capture_destination).toMatchObject({
      type: 'string',
      nullable: false,
      description: expect.stringContaining('CaptureDestinationOutput'),
    });
    const env = containerEnv(json, 'fraud-scorer');
    expect(env).toContainEqual({ name: CAPTURE_ENV.sampleFraction, value: 'fraud-scorer=0.01' });
    expect(env).toContainEqual({ name: CAPTURE_ENV.destination, value: '${var.capture_destination}' });
    // What the container parses out of it.
    const settings = loadCaptureSettings({ [CAPTURE_ENV.sampleFraction]: 'fraud-scorer=0.01', [CAPTURE_ENV.destination]: 's3://silver' });
    expect(settings.fractions.get('fraud-scorer')).toBe(0.01);
  });

  test('a model without capture gets no capture variables', () => {
    expect(containerEnv(json, 'doc-embedder').map((e) => e.name)).not.toContain(CAPTURE_ENV.sampleFraction);
  });

  test('no captured model: no capture_destination variable to fill in', () => {
    const none = JSON.parse(
      Testing.synth(new ServingKubernetesStack(Testing.app(), 'k8s', { models: [{ modelName: 'fraud-scorer', sizing: prodEksSizing('fraud-scorer') }] })),
    ) as TerraformJson;
    expect(none.variable.capture_destination).toBeUndefined();
  });

  test.each([
    [{ sampleFraction: 2, destination: 's3://silver' }, /capture\.sampleFraction = 2; a fraction from 0 \(off\) to 1/],
    [{ sampleFraction: 0.5, destination: 'silver' }, /capture\.destination = "silver"; s3:\/\/<silver bucket>/],
  ])('ServingWorkload refuses %j', (capture, message) => {
    expect(() =>
      synthJson((scope) => {
        new ServingWorkload(scope, 'w', {
          modelName: 'fraud-scorer',
          sizing: prodEksSizing('fraud-scorer'),
          image: 'i',
          modelRepositoryUri: 's3://r/models/',
          awsRegion: 'us-east-1',
          capture,
        });
      }),
    ).toThrow(message);
  });

  test("synth:k8s prod takes the fraction from the model's drift block in cdk.json", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir-'));
    try {
      const { stackName } = synthKubernetes({ environment: 'prod', outdir, cdkJsonPath: join(REPO_ROOT, 'cdk.json'), ingressCidrs: [] });
      const prod = JSON.parse(readFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8')) as TerraformJson;
      expect(containerEnv(prod, 'fraud-scorer')).toContainEqual({ name: CAPTURE_ENV.sampleFraction, value: 'fraud-scorer=0.01' });
      expect(containerEnv(prod, 'doc-embedder').map((e) => e.name)).not.toContain(CAPTURE_ENV.sampleFraction);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
