import type { EnvironmentServingDecision } from '../decision';

/** A CloudFormation template as synthesized (only the parts the report reads). */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResourceJson>>;
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

export interface AcknowledgedFinding {
  readonly stackName: string;
  readonly constructPath: string;
  readonly ruleId: string;
  readonly reason: string;
  /** `platform`: made by this repository; `aws-cdk-lib`: built into CDK's own constructs. */
  readonly source: 'platform' | 'aws-cdk-lib';
}

export interface GateOutcome {
  readonly plugin: string;
  readonly unacknowledgedFindings: number;
}

export interface AuditInput {
  readonly environmentName: string;
  readonly generatedAt: string;
  readonly stacks: readonly StackTemplate[];
  readonly acknowledgments: readonly AcknowledgedFinding[];
  readonly gates: readonly GateOutcome[];
  readonly servingDecisions: EnvironmentServingDecision;
}
