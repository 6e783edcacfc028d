/**
 * The one pricing table of the cost model: us-east-1, on-demand, USD.
 * Every figure carries the public page it comes from and the month it was last checked.
 * Figures are the starting list; `note` says where one could not be re-read at the source.
 */

export const PRICING_REGION = 'us-east-1';
export const PRICES_CHECKED = '2026-11';

const LAMBDA_PAGE = 'https://aws.amazon.com/lambda/pricing/';
const FARGATE_PAGE = 'https://aws.amazon.com/fargate/pricing/';
const ELB_PAGE = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const EKS_PAGE = 'https://aws.amazon.com/eks/pricing/';
const EC2_PAGE = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const VPC_PAGE = 'https://aws.amazon.com/vpc/pricing/';
const PRIVATELINK_PAGE = 'https://aws.amazon.com/privatelink/pricing/';
const KMS_PAGE = 'https://aws.amazon.com/kms/pricing/';
const CLOUDWATCH_PAGE = 'https://aws.amazon.com/cloudwatch/pricing/';
const PROMETHEUS_PAGE = 'https://aws.amazon.com/prometheus/pricing/';
const GRAFANA_PAGE = 'https://aws.amazon.com/grafana/pricing/';
const SAGEMAKER_PAGE = 'https://aws.amazon.com/sagemaker/ai/pricing/';
/** SageMaker training prices are per instance-hour, billed per second; managed spot bills the spot price (up to 90% less). */
const SAGEMAKER_TRAINING_NOTE = 'SageMaker AI training, on-demand; this machine cannot reach the page, re-check before relying on the figure';

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly description: string;
  readonly source: string;
  readonly checked: string;
  readonly note?: string;
}

function price(usd: number, unit: string, description: string, source: string, note?: string): Price {
  return { usd, unit, description, source, checked: PRICES_CHECKED, ...(note ? { note } : {}) };
}

const CLIENT_SIDE_NOTE = 'the AWS page renders its rates client-side; re-checked here only against third-party transcriptions of it, not the page itself';

export const PRICES = {
  lambdaRequests: price(0.2, 'per 1M requests', 'Lambda requests', LAMBDA_PAGE),
  lambdaDurationX86: price(0.0000166667, 'per GB-s', 'Lambda duration, x86_64', LAMBDA_PAGE),
  lambdaDurationArm: price(0.0000133334, 'per GB-s', 'Lambda duration, arm64', LAMBDA_PAGE),
  lambdaProvisionedX86: price(0.0000041667, 'per GB-s provisioned', 'Lambda provisioned concurrency, x86_64', LAMBDA_PAGE),
  lambdaProvisionedArm: price(
    0.0000033334,
    'per GB-s provisioned',
    'Lambda provisioned concurrency, arm64',
    LAMBDA_PAGE,
    `not in the issue's list; ${CLIENT_SIDE_NOTE}`,
  ),
  lambdaProvisionedDurationX86: price(
    0.0000097222,
    'per GB-s',
    'Lambda duration on provisioned concurrency, x86_64',
    LAMBDA_PAGE,
    `not in the issue's list; ${CLIENT_SIDE_NOTE}`,
  ),
  lambdaProvisionedDurationArm: price(
    0.0000077778,
    'per GB-s',
    'Lambda duration on provisioned concurrency, arm64',
    LAMBDA_PAGE,
    `not in the issue's list; ${CLIENT_SIDE_NOTE}`,
  ),
  fargateVcpuX86: price(0.04048, 'per vCPU-hour', 'Fargate Linux x86_64 vCPU', FARGATE_PAGE),
  fargateGbX86: price(0.004445, 'per GB-hour', 'Fargate Linux x86_64 memory', FARGATE_PAGE),
  fargateVcpuArm: price(0.03238, 'per vCPU-hour', 'Fargate Linux arm64 vCPU', FARGATE_PAGE, 'the page quotes $0.03238 (some transcriptions $0.032384)'),
  fargateGbArm: price(0.00356, 'per GB-hour', 'Fargate Linux arm64 memory', FARGATE_PAGE, 'the page quotes $0.00356 (some transcriptions $0.003556)'),
  albHour: price(0.0225, 'per hour', 'Application Load Balancer', ELB_PAGE),
  albLcuHour: price(0.008, 'per LCU-hour', 'Application Load Balancer capacity unit', ELB_PAGE),
  nlbHour: price(0.0225, 'per hour', 'Network Load Balancer', ELB_PAGE),
  nlbLcuHour: price(
    0.006,
    'per NLCU-hour',
    'Network Load Balancer capacity unit (TCP: 1 GB processed per hour, 800 new connections/s, 100,000 active)',
    ELB_PAGE,
  ),
  eksClusterHour: price(0.1, 'per cluster-hour', 'EKS control plane (standard support)', EKS_PAGE),
  ec2C7gXlarge: price(0.145, 'per hour', 'EC2 c7g.xlarge (4 vCPU, 8 GiB, arm64)', EC2_PAGE, CLIENT_SIDE_NOTE),
  ec2M7gXlarge: price(0.1632, 'per hour', 'EC2 m7g.xlarge (4 vCPU, 16 GiB, arm64)', EC2_PAGE, CLIENT_SIDE_NOTE),
  ec2C6iXlarge: price(0.17, 'per hour', 'EC2 c6i.xlarge (4 vCPU, 8 GiB, x86_64)', EC2_PAGE, CLIENT_SIDE_NOTE),
  ec2G5Xlarge: price(1.006, 'per hour', 'EC2 g5.xlarge (4 vCPU, 16 GiB, 1 NVIDIA A10G)', EC2_PAGE, CLIENT_SIDE_NOTE),
  ec2G6Xlarge: price(0.8048, 'per hour', 'EC2 g6.xlarge (4 vCPU, 16 GiB, 1 NVIDIA L4)', EC2_PAGE, CLIENT_SIDE_NOTE),
  natGatewayHour: price(0.045, 'per NAT gateway-hour', 'NAT gateway (data processed is $0.045/GB on top)', VPC_PAGE, CLIENT_SIDE_NOTE),
  interfaceEndpointHour: price(
    0.01,
    'per endpoint-hour per AZ',
    'Interface VPC endpoint (data processed is $0.01/GB on top)',
    PRIVATELINK_PAGE,
    CLIENT_SIDE_NOTE,
  ),
  kmsKeyMonth: price(1, 'per key-month', 'KMS customer-managed key (API requests $0.03 per 10,000 on top)', KMS_PAGE),
  cloudWatchAlarmMonth: price(0.1, 'per alarm-month', 'CloudWatch standard-resolution metric alarm', CLOUDWATCH_PAGE),
  ampSamplesIngested: price(0.9, 'per 10M samples', 'Amazon Managed Prometheus samples ingested (first 2 billion a month)', PROMETHEUS_PAGE, CLIENT_SIDE_NOTE),
  ampStorageGbMonth: price(0.03, 'per GB-month', 'Amazon Managed Prometheus metric storage', PROMETHEUS_PAGE, CLIENT_SIDE_NOTE),
  ampQuerySamples: price(0.1, 'per 1B query samples processed', 'Amazon Managed Prometheus query samples processed', PROMETHEUS_PAGE, CLIENT_SIDE_NOTE),
  ampCollectorHour: price(
    0.04,
    'per collector-hour',
    'Amazon Managed Prometheus managed collector (EKS scraper); samples collected are billed on top',
    PROMETHEUS_PAGE,
    CLIENT_SIDE_NOTE,
  ),
  grafanaEditorMonth: price(9, 'per active editor or admin user-month', 'Amazon Managed Grafana editor/admin license', GRAFANA_PAGE, CLIENT_SIDE_NOTE),
  grafanaViewerMonth: price(5, 'per active viewer user-month', 'Amazon Managed Grafana viewer license', GRAFANA_PAGE, CLIENT_SIDE_NOTE),
  sagemakerTrainingG4dnXlarge: price(
    0.736,
    'per instance-hour',
    'SageMaker training ml.g4dn.xlarge (4 vCPU, 16 GiB, 1 NVIDIA T4)',
    SAGEMAKER_PAGE,
    SAGEMAKER_TRAINING_NOTE,
  ),
  sagemakerTrainingG5Xlarge: price(
    1.408,
    'per instance-hour',
    'SageMaker training ml.g5.xlarge (4 vCPU, 16 GiB, 1 NVIDIA A10G)',
    SAGEMAKER_PAGE,
    SAGEMAKER_TRAINING_NOTE,
  ),
  sagemakerTrainingG52xlarge: price(
    1.515,
    'per instance-hour',
    'SageMaker training ml.g5.2xlarge (8 vCPU, 32 GiB, 1 NVIDIA A10G)',
    SAGEMAKER_PAGE,
    SAGEMAKER_TRAINING_NOTE,
  ),
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;
