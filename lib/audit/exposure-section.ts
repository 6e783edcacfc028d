import { conditionKeys, describeCondition, principalsOf, rendered, statementsOf, type PolicyStatement } from './policy-documents';
import type { Exposure, ResourceGrantRow } from './report-schema';
import { renderCfnValue } from './render-cfn-value';
import { at, listOf, locationOf, prop, type ResourceEntry, type TemplateIndex } from './template-index';

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
/** Conditions that tie a service principal's access to this account's own resources (listed apart, not flagged). */
const SOURCE_SCOPING_KEYS = [
  /^aws:sourceaccount$/,
  /^aws:sourcearn$/,
  /^aws:sourceorgid$/,
  /^kms:encryptioncontext:/,
  /^kms:viaservice$/,
  /^kms:calleraccount$/,
];
/** Conditions that confine an `*` principal to this account or organization. */
const ACCOUNT_SCOPING_KEYS = [/^aws:principalaccount$/, /^aws:principalorgid$/, /^kms:calleraccount$/, /^aws:sourceaccount$/];
const ACCOUNT_IN_ARN = /^(?:arn:.*?:iam::)?(\d{12})(?::|$)/;

/**
 * Where a resource policy reaches: the account's own principals are left out (they are governed by IAM); `*`, other
 * accounts and AWS services are listed, services apart when a source condition scopes them.
 */
function classify(principal: string, statement: PolicyStatement, ownAccount: string | undefined): ResourceGrantRow['kind'] | undefined {
  const keys = conditionKeys(statement);
  const has = (patterns: RegExp[]) => keys.some((k) => patterns.some((p) => p.test(k)));
  if (principal === '*') return has(ACCOUNT_SCOPING_KEYS) ? undefined : 'public';
  if (principal.startsWith('Service:')) return has(SOURCE_SCOPING_KEYS) ? 'service-scoped' : 'service';
  if (principal.startsWith('AWS:')) {
    const value = principal.slice('AWS:'.length);
    if (value.includes('<AWS::AccountId>')) return undefined;
    const account = ACCOUNT_IN_ARN.exec(value)?.[1];
    if (account === undefined || account === ownAccount) return undefined;
    return 'cross-account';
  }
  return 'cross-account';
}

const POLICY_OF: Record<string, (r: ResourceEntry['resource']) => unknown> = {
  'AWS::S3::BucketPolicy': (r) => prop(r, 'PolicyDocument'),
  'AWS::SNS::TopicPolicy': (r) => prop(r, 'PolicyDocument'),
  'AWS::SNS::TopicInlinePolicy': (r) => prop(r, 'PolicyDocument'),
  'AWS::SQS::QueuePolicy': (r) => prop(r, 'PolicyDocument'),
  'AWS::KMS::Key': (r) => prop(r, 'KeyPolicy'),
  'AWS::ECR::Repository': (r) => prop(r, 'RepositoryPolicyText'),
  'AWS::SageMaker::ModelPackageGroup': (r) => {
    const policy = prop(r, 'ModelPackageGroupPolicy');
    return typeof policy === 'string' ? (JSON.parse(policy) as unknown) : policy;
  },
};

/** What a policy resource protects: the bucket/queue/topic it names, or the resource itself. */
function protectedResource(index: TemplateIndex, entry: ResourceEntry): string {
  const target =
    prop(entry.resource, 'Bucket') ??
    listOf(prop(entry.resource, 'Queues'))[0] ??
    listOf(prop(entry.resource, 'Topics'))[0] ??
    prop(entry.resource, 'TopicArn');
  return target === undefined ? `${entry.stackPart}/${entry.logicalId}` : index.describeReference(entry.stack, target);
}

export function resourceGrants(index: TemplateIndex, ownAccount: string | undefined): ResourceGrantRow[] {
  const fromPolicies = index.ofType(...Object.keys(POLICY_OF)).flatMap((entry) =>
    statementsOf(POLICY_OF[entry.resource.Type](entry.resource))
      .filter((s) => s.Effect === 'Allow')
      .flatMap((statement) =>
        principalsOf(statement).flatMap((principal) => {
          const kind = classify(principal, statement, ownAccount);
          if (!kind) return [];
          return [
            {
              ...locationOf(entry),
              type: `${entry.resource.Type} on ${protectedResource(index, entry)}`,
              principal,
              kind,
              actions: rendered(statement.Action),
              condition: describeCondition(statement),
            },
          ];
        }),
      ),
  );
  const fromLambdaPermissions = index.ofType('AWS::Lambda::Permission').flatMap((entry) => {
    const raw = renderCfnValue(prop(entry.resource, 'Principal'));
    const principal = /^\d{12}$/.test(raw) || raw.startsWith('arn:') ? `AWS:${raw}` : raw === '*' ? '*' : `Service:${raw}`;
    const condition: PolicyStatement['Condition'] = {};
    if (prop(entry.resource, 'SourceAccount') !== undefined) condition.StringEquals = { 'aws:SourceAccount': prop(entry.resource, 'SourceAccount') };
    if (prop(entry.resource, 'SourceArn') !== undefined) condition.ArnLike = { 'aws:SourceArn': prop(entry.resource, 'SourceArn') };
    const statement: PolicyStatement = { Effect: 'Allow', Condition: Object.keys(condition).length ? condition : undefined };
    const kind = classify(principal, statement, ownAccount);
    if (!kind) return [];
    return [
      {
        ...locationOf(entry),
        type: `AWS::Lambda::Permission on ${index.describeReference(entry.stack, prop(entry.resource, 'FunctionName'))}`,
        principal,
        kind,
        actions: rendered(prop(entry.resource, 'Action')),
        condition: describeCondition(statement),
      },
    ];
  });
  return [...fromPolicies, ...fromLambdaPermissions];
}

interface SgRule {
  CidrIp?: string;
  CidrIpv6?: string;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  GroupId?: unknown;
}

function ports(rule: SgRule): string {
  if (rule.IpProtocol === '-1' || rule.IpProtocol === undefined) return 'all';
  if (rule.FromPort === undefined) return 'all';
  return rule.FromPort === rule.ToPort || rule.ToPort === undefined ? String(rule.FromPort) : `${rule.FromPort}-${rule.ToPort}`;
}

function openRules(index: TemplateIndex): Exposure['openSecurityGroupRules'] {
  const row = (entry: ResourceEntry, direction: 'ingress' | 'egress', declared: 'inline' | 'standalone', rule: SgRule, group: ResourceEntry | undefined) => ({
    ...locationOf(group ?? entry),
    direction,
    declared,
    cidr: rule.CidrIp ?? rule.CidrIpv6 ?? '',
    protocol: rule.IpProtocol === '-1' ? 'all' : (rule.IpProtocol ?? 'all'),
    ports: ports(rule),
  });
  const open = (rule: SgRule) => ANYWHERE.has(rule.CidrIp ?? '') || ANYWHERE.has(rule.CidrIpv6 ?? '');
  const inline = index.ofType('AWS::EC2::SecurityGroup').flatMap((entry) => [
    ...listOf(prop<SgRule[]>(entry.resource, 'SecurityGroupIngress'))
      .filter(open)
      .map((r) => row(entry, 'ingress', 'inline', r, undefined)),
    ...listOf(prop<SgRule[]>(entry.resource, 'SecurityGroupEgress'))
      .filter(open)
      .map((r) => row(entry, 'egress', 'inline', r, undefined)),
  ]);
  const standalone = index.ofType('AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress').flatMap((entry) => {
    const rule = (entry.resource.Properties ?? {}) as SgRule;
    if (!open(rule)) return [];
    const direction = entry.resource.Type.endsWith('Ingress') ? ('ingress' as const) : ('egress' as const);
    return [
      {
        ...row(entry, direction, 'standalone', rule, undefined),
        logicalId: `${entry.logicalId} (group ${index.describeReference(entry.stack, rule.GroupId)})`,
      },
    ];
  });
  return [...inline, ...standalone];
}

function publicSubnets(index: TemplateIndex): Exposure['publicSubnets'] {
  const routeTablesToInternet = new Set(
    index
      .ofType('AWS::EC2::Route')
      .filter((e) => ANYWHERE.has(String(prop(e.resource, 'DestinationCidrBlock') ?? prop(e.resource, 'DestinationIpv6CidrBlock'))))
      .filter((e) => index.referencedResource(e.stack, prop(e.resource, 'GatewayId'))?.resource.Type === 'AWS::EC2::InternetGateway')
      .map((e) => `${e.stack}/${index.referencedResource(e.stack, prop(e.resource, 'RouteTableId'))?.logicalId}`),
  );
  const subnetsOnInternetTables = new Set(
    index
      .ofType('AWS::EC2::SubnetRouteTableAssociation')
      .filter((e) => routeTablesToInternet.has(`${e.stack}/${index.referencedResource(e.stack, prop(e.resource, 'RouteTableId'))?.logicalId}`))
      .map((e) => `${e.stack}/${index.referencedResource(e.stack, prop(e.resource, 'SubnetId'))?.logicalId}`),
  );
  return index
    .ofType('AWS::EC2::Subnet')
    .filter((e) => prop(e.resource, 'MapPublicIpOnLaunch') === true || subnetsOnInternetTables.has(`${e.stack}/${e.logicalId}`))
    .map((e) => ({
      ...locationOf(e),
      cidr: renderCfnValue(prop(e.resource, 'CidrBlock')),
      availabilityZone: renderCfnValue(prop(e.resource, 'AvailabilityZone')),
    }));
}

/** What accepts traffic or grants access from outside the account and the VPC. */
export function exposure(index: TemplateIndex, ownAccount: string | undefined): Exposure {
  const listeners = index.ofType('AWS::ElasticLoadBalancingV2::Listener');
  return {
    loadBalancers: index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').map((lb) => ({
      ...locationOf(lb),
      scheme: prop<string>(lb.resource, 'Scheme') ?? 'internet-facing',
      listeners: listeners
        .filter((l) => l.stack === lb.stack && index.referencedResource(l.stack, prop(l.resource, 'LoadBalancerArn'))?.logicalId === lb.logicalId)
        .map((l) => ({
          logicalId: l.logicalId,
          protocol: prop<string>(l.resource, 'Protocol') ?? 'unknown',
          port: prop<number>(l.resource, 'Port') ?? null,
          tlsPolicy: prop<string>(l.resource, 'SslPolicy') ?? null,
        })),
    })),
    publicSubnets: publicSubnets(index),
    openSecurityGroupRules: openRules(index),
    functionUrls: index.ofType('AWS::Lambda::Url').map((e) => ({ ...locationOf(e), authType: prop<string>(e.resource, 'AuthType') ?? 'unknown' })),
    eksEndpoints: index.ofType('AWS::EKS::Cluster').map((e) => ({
      ...locationOf(e),
      publicAccess: at<boolean>(e.resource.Properties, 'ResourcesVpcConfig', 'EndpointPublicAccess') ?? true,
      privateAccess: at<boolean>(e.resource.Properties, 'ResourcesVpcConfig', 'EndpointPrivateAccess') ?? false,
      publicCidrs: rendered(at(e.resource.Properties, 'ResourcesVpcConfig', 'PublicAccessCidrs')),
    })),
    resourceGrants: resourceGrants(index, ownAccount),
  };
}

/** Load balancers that the internet reaches, function URLs without IAM auth and EKS endpoints open to the public. */
export function internetFacingEndpoints(exposureSection: Exposure): number {
  return (
    exposureSection.loadBalancers.filter((lb) => lb.scheme === 'internet-facing').length +
    exposureSection.functionUrls.filter((u) => u.authType !== 'AWS_IAM').length +
    exposureSection.eksEndpoints.filter((e) => e.publicAccess).length
  );
}
