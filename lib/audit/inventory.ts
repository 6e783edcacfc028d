import type { CfnResourceJson, StackTemplate } from './types';

export interface InventoryRow {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly detail: string;
}

type Entry = readonly [stackName: string, logicalId: string, resource: CfnResourceJson];

function entries(stacks: readonly StackTemplate[]): Entry[] {
  return stacks.flatMap((s) => Object.entries(s.template.Resources ?? {}).map(([id, r]) => [s.stackName, id, r] as const));
}

function prop<T = unknown>(resource: CfnResourceJson, ...path: string[]): T | undefined {
  let value: unknown = resource.Properties;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value as T | undefined;
}

const present = (value: unknown) => value !== undefined && value !== null;

/** How each resource that stores data is encrypted at rest; "NOT ENCRYPTED" rows are what an auditor looks for. */
export function encryptionInventory(stacks: readonly StackTemplate[]): InventoryRow[] {
  const describe: Record<string, (r: CfnResourceJson) => string> = {
    'AWS::S3::Bucket': (r) => {
      const rule = prop<Array<{ ServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }>>(r, 'BucketEncryption', 'ServerSideEncryptionConfiguration')?.[0];
      const algorithm = rule?.ServerSideEncryptionByDefault?.SSEAlgorithm;
      return algorithm === 'aws:kms' ? 'SSE-KMS (customer-managed key)' : algorithm === 'AES256' ? 'SSE-S3 (AES-256)' : 'NOT ENCRYPTED';
    },
    'AWS::KMS::Key': (r) => (prop(r, 'EnableKeyRotation') === true ? 'customer-managed key, rotation on' : 'customer-managed key, ROTATION OFF'),
    'AWS::Logs::LogGroup': (r) => (present(prop(r, 'KmsKeyId')) ? 'KMS' : 'NOT ENCRYPTED with a customer key'),
    'AWS::SQS::Queue': (r) => (present(prop(r, 'KmsMasterKeyId')) ? 'SSE-KMS' : prop(r, 'SqsManagedSseEnabled') === true ? 'SSE-SQS' : 'NOT ENCRYPTED'),
    'AWS::SNS::Topic': (r) => (present(prop(r, 'KmsMasterKeyId')) ? 'SSE-KMS' : 'NOT ENCRYPTED'),
    'AWS::SageMaker::FeatureGroup': (r) =>
      [
        present(prop(r, 'OnlineStoreConfig', 'SecurityConfig', 'KmsKeyId')) ? 'online store KMS' : 'online store default key',
        present(prop(r, 'OfflineStoreConfig', 'S3StorageConfig', 'KmsKeyId')) ? 'offline store KMS' : 'offline store default key',
      ].join(', '),
    'AWS::EKS::Cluster': (r) => (present(prop(r, 'EncryptionConfig')) ? 'Kubernetes secrets envelope-encrypted with KMS' : 'secrets NOT KMS-encrypted'),
    'AWS::Athena::WorkGroup': (r) =>
      prop(r, 'WorkGroupConfiguration', 'ResultConfiguration', 'EncryptionConfiguration', 'EncryptionOption') ?? 'results NOT ENCRYPTED',
    'AWS::Lambda::Function': (r) => (present(prop(r, 'KmsKeyArn')) ? 'environment encrypted with a customer key' : 'environment encrypted with the AWS-managed key'),
  };
  return entries(stacks)
    .filter(([, , r]) => r.Type in describe)
    .map(([stackName, logicalId, r]) => ({ stackName, logicalId, type: r.Type, detail: describe[r.Type](r) }));
}

/** Everything that accepts traffic from outside the VPC, and how it is authenticated. */
export function exposureInventory(stacks: readonly StackTemplate[]): InventoryRow[] {
  return entries(stacks).flatMap(([stackName, logicalId, r]) => {
    if (r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      return [{ stackName, logicalId, type: r.Type, detail: `scheme ${prop<string>(r, 'Scheme') ?? 'internet-facing (default)'}` }];
    }
    if (r.Type === 'AWS::Lambda::Url') return [{ stackName, logicalId, type: r.Type, detail: `auth ${prop<string>(r, 'AuthType')}` }];
    if (r.Type === 'AWS::ApiGatewayV2::Api') return [{ stackName, logicalId, type: r.Type, detail: `protocol ${prop<string>(r, 'ProtocolType')}` }];
    if (r.Type === 'AWS::EC2::SecurityGroup') {
      const open = (prop<Array<{ CidrIp?: string; CidrIpv6?: string; FromPort?: number }>>(r, 'SecurityGroupIngress') ?? []).filter(
        (rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0',
      );
      return open.length ? [{ stackName, logicalId, type: r.Type, detail: `open to the internet on ports ${open.map((o) => o.FromPort).join(', ')}` }] : [];
    }
    if (r.Type === 'AWS::EKS::Cluster') {
      const access = prop<{ EndpointPublicAccess?: boolean; EndpointPrivateAccess?: boolean }>(r, 'ResourcesVpcConfig');
      return [{ stackName, logicalId, type: r.Type, detail: `API endpoint public=${access?.EndpointPublicAccess ?? true} private=${access?.EndpointPrivateAccess ?? false}` }];
    }
    return [];
  });
}

/** IAM statements that allow actions on every resource: each should be an API that cannot be scoped. */
export function wildcardResourceInventory(stacks: readonly StackTemplate[]): InventoryRow[] {
  const documents = (r: CfnResourceJson): unknown[] => {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') return [prop(r, 'PolicyDocument')];
    if (r.Type === 'AWS::IAM::Role') return (prop<Array<{ PolicyDocument: unknown }>>(r, 'Policies') ?? []).map((p) => p.PolicyDocument);
    return [];
  };
  return entries(stacks).flatMap(([stackName, logicalId, r]) =>
    documents(r).flatMap((doc) => {
      const statements = ((doc as { Statement?: unknown[] })?.Statement ?? []) as Array<{ Effect?: string; Action?: unknown; Resource?: unknown }>;
      return statements
        .filter((s) => s.Effect === 'Allow' && [s.Resource].flat().includes('*'))
        .map((s) => ({ stackName, logicalId, type: r.Type, detail: [s.Action].flat().join(', ') }));
    }),
  );
}

/** What is kept and what is deleted when a stack is deleted. */
export function retentionInventory(stacks: readonly StackTemplate[]): InventoryRow[] {
  const stateful = new Set(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SageMaker::FeatureGroup', 'AWS::SQS::Queue', 'AWS::SageMaker::ModelPackageGroup']);
  return entries(stacks)
    .filter(([, , r]) => stateful.has(r.Type))
    .map(([stackName, logicalId, r]) => ({ stackName, logicalId, type: r.Type, detail: r.DeletionPolicy ?? 'Delete' }));
}

const COMPARISONS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

/** Every alarm, what it watches and whether it notifies anyone; "NO NOTIFICATION" rows rely on a poller (e.g. CodeDeploy). */
export function alarmInventory(stacks: readonly StackTemplate[]): InventoryRow[] {
  return entries(stacks)
    .filter(([, , r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([stackName, logicalId, r]) => {
      const metric = prop<string>(r, 'MetricName') ?? 'metric math';
      const comparison = COMPARISONS[prop<string>(r, 'ComparisonOperator') ?? ''] ?? prop<string>(r, 'ComparisonOperator');
      const actions = [prop(r, 'AlarmActions') ?? []].flat().length;
      const notifies = actions > 0 ? `notifies ${actions} action(s)` : 'NO NOTIFICATION';
      return { stackName, logicalId, type: r.Type, detail: `${metric} ${comparison} ${prop<number>(r, 'Threshold')}; ${notifies}` };
    });
}
