#!/usr/bin/env node
/**
 * The cdktf app: writes the Kubernetes objects of EKS serving for one environment as Terraform JSON.
 *   npm run synth:k8s -- -c env=prod          (or --env prod)
 *   [--outdir cdktf.out] [--ingress-cidr 10.0.0.0/24 ...] [--internet-facing-certificate arn:aws:acm:...] [--cdk-json cdk.json]
 * Uses the same environment loading and serving decisions as the CDK app, so it deploys exactly the models the
 * CDK serving stack put on EKS. Bad flags: one line on stderr and exit code 2; a bad config: exit code 1.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { App } from 'cdktf';
import { ServingKubernetesStack, type EksServedModel } from '../constructs/kubernetes/serving-kubernetes-stack';
import { ConfigError, loadEnvironment } from '../lib/config';
import { decideEnvironment, type EksSizing } from '../lib/decision';
import { SERVING_ARCHITECTURE } from './serving-stack';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface KubernetesAppOptions {
  readonly environment?: string;
  readonly outdir: string;
  readonly cdkJsonPath: string;
  readonly ingressCidrs: string[];
  /** ACM certificate: the models' load balancers become internet-facing with TLS; internal without it. */
  readonly internetFacingCertificateArn?: string;
}

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const ACM_CERTIFICATE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;

export function parseArguments(argv: readonly string[]): KubernetesAppOptions {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        context: { type: 'string', short: 'c', multiple: true },
        env: { type: 'string' },
        outdir: { type: 'string' },
        'ingress-cidr': { type: 'string', multiple: true },
        'internet-facing-certificate': { type: 'string' },
        'cdk-json': { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.split('\n')[0]}; allowed flags: -c env=NAME, --env NAME, --outdir DIR, --ingress-cidr CIDR, --internet-facing-certificate ARN, --cdk-json PATH`,
    );
  }
  let environment = values.env;
  for (const entry of values.context ?? []) {
    const match = /^([^=]+)=(.*)$/.exec(entry);
    if (!match) throw new UsageError(`-c ${entry}: expected KEY=VALUE, e.g. -c env=prod`);
    if (match[1] !== 'env') throw new UsageError(`-c ${match[1]}: the only context key is env`);
    environment = match[2];
  }
  const ingressCidrs = values['ingress-cidr'] ?? [];
  for (const cidr of ingressCidrs) if (!CIDR.test(cidr)) throw new UsageError(`--ingress-cidr ${cidr}: expected an IPv4 CIDR block such as 10.0.0.0/24`);
  const certificate = values['internet-facing-certificate'];
  if (certificate !== undefined && !ACM_CERTIFICATE.test(certificate)) {
    throw new UsageError(
      `--internet-facing-certificate ${certificate}: expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>`,
    );
  }
  return {
    environment,
    outdir: values.outdir ?? 'cdktf.out',
    cdkJsonPath: values['cdk-json'] ?? 'cdk.json',
    ingressCidrs,
    internetFacingCertificateArn: certificate,
  };
}

/** Builds and synthesizes the app; returns the stack so callers can report on it. */
export function synthKubernetes(options: KubernetesAppOptions): { stack: ServingKubernetesStack; stackName: string } {
  const environments = (JSON.parse(readFileSync(options.cdkJsonPath, 'utf8')) as { context?: { environments?: unknown } }).context?.environments;
  const { name, config } = loadEnvironment(environments, options.environment);
  const models: EksServedModel[] = decideEnvironment(config, { architecture: SERVING_ARCHITECTURE })
    .models.filter(({ decision }) => decision.target === 'eks')
    .map(({ modelName, decision }) => ({
      modelName,
      sizing: decision.options.eks!.sizing as EksSizing,
      captureSampleFraction: config.models.find((model) => model.name === modelName)?.drift?.captureSampleFraction,
    }));
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const stackName = `mlops-${name}-serving-k8s`;
  const stack = new ServingKubernetesStack(app, stackName, {
    models,
    // The serving stack names its cluster `<stack name>-cluster`; a shared cluster keeps its own name.
    clusterName: config.sharedEksClusterName ?? `mlops-${name}-serving-cluster`,
    awsRegion: config.region,
    // A shared cluster belongs to the team that runs it, autoscaler included.
    clusterAutoscaler: config.sharedEksClusterName === undefined,
    ingressCidrs: options.ingressCidrs,
    // One load-balancer subnet per zone of the environment's VPC (stacks/network-stack.ts).
    loadBalancerZones: config.availabilityZones?.length ?? 2,
    internetFacingCertificateArn: options.internetFacingCertificateArn,
    training: config.training?.eks && { gpuQuota: config.training.eks.gpuQuota },
  });
  // cdktf's default local backend would write this machine's absolute path into the JSON: state is the team's to place.
  stack.addOverride('terraform.backend', undefined);
  app.synth();
  return { stack, stackName };
}

const HELP = `Usage:
  npm run synth:k8s -- --env NAME [flags]      (or -c env=NAME)

Writes the Kubernetes objects of the environment's EKS models as Terraform JSON (cdktf), with the serving decisions
the CDK serving stack makes. The Terraform backend is the team's to configure (docs/eks-serving.md).

Flags:
  -c env=NAME, --env NAME   the environment of cdk.json (default dev)
  --outdir DIR              where cdktf writes (default cdktf.out)
  --ingress-cidr CIDR ...   address ranges the models' network policy admits, besides the cluster (repeatable)
  --internet-facing-certificate ARN
                            an ACM certificate: the models' load balancers become internet-facing with TLS (default internal)
  --cdk-json PATH           the cdk.json to read (default cdk.json)
  --help                    print this help and exit

Exit codes: 0 written; 1 a bad configuration; 2 a bad flag.`;

function main(): void {
  try {
    if (process.argv.slice(2).includes('--help')) {
      console.log(HELP);
      return;
    }
    const options = parseArguments(process.argv.slice(2));
    const { stack, stackName } = synthKubernetes(options);
    const names = stack.workloads.map((w) => w.node.id);
    console.log(
      `${stackName}: ${names.length ? `EKS models ${names.join(', ')}` : 'no model of this environment is served on EKS'}` +
        `${stack.clusterAutoscaler ? ' + Cluster Autoscaler' : ''}${stack.devicePlugin ? ' + NVIDIA device plugin' : ''}` +
        `${stack.trainingNamespace ? ' + training namespace' : ''} -> ${options.outdir}/stacks/${stackName}/cdk.tf.json`,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`synth:k8s: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) main();
