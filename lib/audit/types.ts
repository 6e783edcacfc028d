import type { Provenance } from './report-schema';

/** A CloudFormation template as synthesized (only the parts the report reads). */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResourceJson>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>>;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

export interface StackTemplate {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/** A Terraform JSON document written by the cdktf app (the Kubernetes objects of one environment). */
export interface TerraformDocument {
  readonly stackName: string;
  readonly document: { readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>> };
}

export interface AcknowledgedFinding {
  readonly stackName: string;
  readonly constructPath: string;
  /** Logical ID of the CloudFormation resource the acknowledgment is on (its default child for an L2). */
  readonly logicalId: string;
  readonly ruleId: string;
  readonly reason: string;
  /** `platform`: made by this repository; `aws-cdk-lib`: built into CDK's own constructs. */
  readonly source: 'platform' | 'aws-cdk-lib';
}

export interface GateOutcome {
  readonly plugin: string;
  readonly unacknowledgedFindings: number;
}

/** What the environment's config says that the templates cannot: the account, and budgets for usage-priced services. */
export interface AuditedConfig {
  /** The environment's account, when the config names one: principals of any other account are cross-account. */
  readonly account?: string;
  /** Monthly budgets from the config (e.g. training) that the cost section lists as such. */
  readonly budgets: ReadonlyArray<{ readonly item: string; readonly monthlyUsd: number; readonly source: string }>;
  /** Active Grafana users a month the config expects (Grafana bills per active user): prices the workspace. */
  readonly grafanaUsers?: { readonly editors: number; readonly viewers: number };
}

export interface AuditInput {
  readonly environmentName: string;
  readonly stacks: readonly StackTemplate[];
  readonly acknowledgments: readonly AcknowledgedFinding[];
  readonly gates: readonly GateOutcome[];
  readonly kubernetes?: TerraformDocument;
  readonly config: AuditedConfig;
  readonly provenance: Provenance;
}
