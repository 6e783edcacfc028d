import { z } from 'zod';

/**
 * The audit report as data: the one structure the JSON file, the Markdown file and the console summary are made
 * from, so their counts agree. `npm run audit -- --schema` prints it as JSON Schema.
 *
 * Every row names where it was read: the stack part (`data`, `serving`, …: the stack name without `mlops-<env>-`) and
 * the logical ID, so two environments' reports can be compared row by row.
 */

export const AUDIT_REPORT_SCHEMA_VERSION = '2';

const location = {
  /** The stack the row was read from. */
  stack: z.string(),
  /** The stack name without its `mlops-<env>-` prefix: the same in every environment. */
  stackPart: z.string(),
  /** The CloudFormation logical ID (or Terraform resource address for Kubernetes rows). */
  logicalId: z.string(),
};

export const provenanceSchema = z.strictObject({
  commit: z.string().describe('git commit the report was produced from, or "unknown"'),
  dirty: z.boolean().describe('whether the work tree had uncommitted changes'),
  configSha256: z.string().describe("sha256 of the environment's config (canonical JSON)"),
  tools: z.record(z.string(), z.string()).describe('tool and library versions that produced the templates'),
  generatedAt: z.string(),
});

export const gateSchema = z.strictObject({ plugin: z.string(), unacknowledgedFindings: z.number().int().nonnegative() });

export const acknowledgmentSchema = z.strictObject({
  ...location,
  constructPath: z.string(),
  rule: z.string(),
  reason: z.string(),
  madeBy: z.enum(['platform', 'aws-cdk-lib']),
});

export const justificationSchema = z.strictObject({ rule: z.string(), reason: z.string() });

export const wildcardSchema = z.strictObject({
  kind: z.enum(['action', 'resource', 'not-action', 'not-resource']),
  /** As the policy gates render it (`<Bucket.Arn>/datasets/*`). */
  value: z.string(),
  /** The acknowledgment that allows it on this statement, or null: UNJUSTIFIED. */
  justification: justificationSchema.nullable(),
});

export const iamStatementSchema = z.strictObject({
  ...location,
  /** The policy's kind: an attached policy, a managed policy or an inline policy of a role. */
  policyType: z.string(),
  /** The roles (logical IDs) the policy is attached to. */
  roles: z.array(z.string()),
  statementIndex: z.number().int().nonnegative(),
  actions: z.array(z.string()),
  resources: z.array(z.string()),
  conditions: z.boolean(),
  wildcards: z.array(wildcardSchema),
  status: z.enum(['justified', 'UNJUSTIFIED']),
});

export const roleSchema = z.strictObject({
  ...location,
  /** Who may assume the role, rendered (`Service:lambda.amazonaws.com`, `AWS:arn:…`). */
  trustedBy: z.array(z.string()),
  managedPolicies: z.array(z.string()),
  /** Wildcard statements in policies attached to this role. */
  wildcardStatements: z.number().int().nonnegative(),
});

export const loadBalancerSchema = z.strictObject({
  ...location,
  scheme: z.string(),
  listeners: z.array(z.strictObject({ logicalId: z.string(), protocol: z.string(), port: z.number().nullable(), tlsPolicy: z.string().nullable() })),
});

export const securityGroupRuleSchema = z.strictObject({
  ...location,
  direction: z.enum(['ingress', 'egress']),
  /** `inline` on the group, or `standalone` (AWS::EC2::SecurityGroupIngress/Egress). */
  declared: z.enum(['inline', 'standalone']),
  cidr: z.string(),
  protocol: z.string(),
  ports: z.string(),
});

export const resourceGrantSchema = z.strictObject({
  ...location,
  type: z.string(),
  /** Who the statement allows: `*`, an account or role ARN, or a service. */
  principal: z.string(),
  /** `public`: anyone; `cross-account`: another account; `service-scoped`: an AWS service limited by aws:SourceAccount/SourceArn (or a KMS context); `service`: a service without such a condition. */
  kind: z.enum(['public', 'cross-account', 'service-scoped', 'service']),
  actions: z.array(z.string()),
  condition: z.string().nullable(),
});

export const exposureSchema = z.strictObject({
  loadBalancers: z.array(loadBalancerSchema),
  publicSubnets: z.array(z.strictObject({ ...location, cidr: z.string(), availabilityZone: z.string() })),
  openSecurityGroupRules: z.array(securityGroupRuleSchema),
  functionUrls: z.array(z.strictObject({ ...location, authType: z.string() })),
  eksEndpoints: z.array(z.strictObject({ ...location, publicAccess: z.boolean(), privateAccess: z.boolean(), publicCidrs: z.array(z.string()) })),
  /** Resource policies (S3, SNS, SQS, KMS, model package groups, Lambda permissions) that reach beyond the account. */
  resourceGrants: z.array(resourceGrantSchema),
});

export const storeSchema = z.strictObject({
  ...location,
  type: z.string(),
  encrypted: z.boolean(),
  encryption: z.string(),
  /** Logical ID (and stack part) of the customer-managed key, when one is used. */
  key: z.string().nullable(),
  keyRotation: z.boolean().nullable(),
  versioning: z.string().nullable(),
  retention: z.string().nullable(),
  deletionPolicy: z.string(),
});

export const keySchema = z.strictObject({
  ...location,
  rotation: z.boolean(),
  /** Principals that may administer the key (create grants, change the policy, schedule deletion). */
  administrators: z.array(z.string()),
  /** Principals that may use the key for cryptographic operations. */
  users: z.array(z.string()),
  deletionPolicy: z.string(),
});

export const dataProtectionSchema = z.strictObject({ stores: z.array(storeSchema), keys: z.array(keySchema) });

export const decisionSchema = z.strictObject({
  ...location,
  model: z.string(),
  target: z.string(),
  recommendedTarget: z.string(),
  forced: z.boolean(),
  monthlyCostUsd: z.record(z.string(), z.number().nullable()),
  reasons: z.array(z.string()),
  rejected: z.array(z.strictObject({ target: z.string(), reason: z.string() })),
  flipPoints: z.array(z.string()),
});

export const costLineSchema = z.strictObject({
  item: z.string(),
  count: z.number().nonnegative(),
  unit: z.string(),
  monthlyUsd: z.number().nonnegative().nullable(),
  /** Where the price comes from (a public page and the month it was checked), or what the figure is. */
  source: z.string(),
  note: z.string().nullable(),
});

export const costSchema = z.strictObject({
  lines: z.array(costLineSchema),
  /** Sum of the lines that have a monthly figure (usage-priced lines without one are listed, not summed). */
  monthlyTotalUsd: z.number().nonnegative(),
});

export const kubernetesSchema = z.strictObject({
  namespaces: z.array(z.strictObject({ ...location, name: z.string(), podSecurity: z.string().nullable() })),
  networkPolicies: z.array(z.strictObject({ ...location, namespace: z.string(), policyTypes: z.string() })),
  containers: z.array(
    z.strictObject({
      ...location,
      kind: z.string(),
      container: z.string(),
      nonRoot: z.boolean(),
      readOnlyRootFilesystem: z.boolean(),
      dropsAllCapabilities: z.boolean(),
    }),
  ),
});

export const alarmSchema = z.strictObject({ ...location, watches: z.string(), notifies: z.number().int().nonnegative() });

export const comparisonSchema = z.strictObject({
  other: z.string(),
  onlyHere: z.array(z.strictObject({ stackPart: z.string(), logicalId: z.string(), type: z.string() })),
  onlyInOther: z.array(z.strictObject({ stackPart: z.string(), logicalId: z.string(), type: z.string() })),
  changed: z.array(z.strictObject({ stackPart: z.string(), logicalId: z.string(), type: z.string(), properties: z.array(z.string()) })),
  resourceGrants: z.strictObject({ onlyHere: z.array(z.string()), onlyInOther: z.array(z.string()) }),
  monthlyCostUsd: z.strictObject({ here: z.number(), other: z.number() }),
});

export const summarySchema = z.strictObject({
  gatesPass: z.boolean(),
  unacknowledgedFindings: z.number().int().nonnegative(),
  acknowledgments: z.number().int().nonnegative(),
  unjustifiedWildcards: z.number().int().nonnegative(),
  crossAccountGrants: z.number().int().nonnegative(),
  publicGrants: z.number().int().nonnegative(),
  internetFacingEndpoints: z.number().int().nonnegative(),
  unencryptedStores: z.number().int().nonnegative(),
  containersNotHardened: z.number().int().nonnegative(),
  monthlyCostUsd: z.number().nonnegative(),
});

export const auditReportSchema = z
  .strictObject({
    schemaVersion: z.literal(AUDIT_REPORT_SCHEMA_VERSION),
    environment: z.string(),
    provenance: provenanceSchema,
    summary: summarySchema,
    gates: z.array(gateSchema),
    acknowledgments: z.array(acknowledgmentSchema),
    iam: z.strictObject({ roles: z.array(roleSchema), wildcardStatements: z.array(iamStatementSchema) }),
    exposure: exposureSchema,
    dataProtection: dataProtectionSchema,
    decisions: z.array(decisionSchema),
    cost: costSchema,
    kubernetes: kubernetesSchema.nullable(),
    alarms: z.array(alarmSchema),
    comparison: comparisonSchema.nullable(),
  })
  .describe('mlops-blueprint audit report of one environment, built from its synthesized templates');

export type AuditReport = z.infer<typeof auditReportSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
export type IamStatementRow = z.infer<typeof iamStatementSchema>;
export type RoleRow = z.infer<typeof roleSchema>;
export type Exposure = z.infer<typeof exposureSchema>;
export type ResourceGrantRow = z.infer<typeof resourceGrantSchema>;
export type DataProtection = z.infer<typeof dataProtectionSchema>;
export type StoreRow = z.infer<typeof storeSchema>;
export type KeyRow = z.infer<typeof keySchema>;
export type DecisionRow = z.infer<typeof decisionSchema>;
export type Cost = z.infer<typeof costSchema>;
export type CostLineRow = z.infer<typeof costLineSchema>;
export type KubernetesInventory = z.infer<typeof kubernetesSchema>;
export type AlarmRow = z.infer<typeof alarmSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type AuditSummary = z.infer<typeof summarySchema>;
export type AcknowledgmentRow = z.infer<typeof acknowledgmentSchema>;

/** The report's JSON Schema (draft 2020-12), for `npm run audit -- --schema` and for tools that consume the JSON. */
export function auditReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(auditReportSchema, { target: 'draft-2020-12' });
}
