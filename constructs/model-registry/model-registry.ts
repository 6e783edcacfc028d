import { ArnFormat, type CfnResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { isModelPackageGroupName, MODEL_PACKAGE_GROUP_NAME_RULE } from '../../lib/registry';
import { acknowledgeWildcardResource } from '../serving/wildcard-findings';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { pascalCase } from '../shared/construct-id';
import { InvalidPropError } from '../shared/prop-validation';
import type { ApprovalMode, ModelRegistryProps } from './model-registry-props';
import {
  APPROVAL_STATUS_KEY,
  APPROVE_PACKAGE_ACTIONS,
  CROSS_ACCOUNT_READ_ACTIONS,
  DESCRIBE_PACKAGE_ACTIONS,
  REGISTER_PACKAGE_ACTIONS,
} from './registry-perms';

const NAME = 'ModelRegistry';

/**
 * The model registry of one environment: a SageMaker model package group per model, the approval mode turned into
 * IAM (an approver role and a deny on everyone else in manual mode; a grant for the evaluation gate in auto mode), an
 * optional cross-account production reader; `onPackageApproved` hands every `Approved` package to promotion.
 */
export class ModelRegistry extends Construct {
  readonly approvalMode: ApprovalMode;
  readonly modelNames: readonly string[];
  readonly groupNamePrefix: string;
  /** Model package groups by model name. */
  readonly groups: ReadonlyMap<string, sagemaker.CfnModelPackageGroup>;
  /** Manual mode only: the one role allowed to approve packages. */
  readonly approverRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    this.approvalMode = props.approvalMode ?? 'manual';
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.groupNamePrefix = props.groupNamePrefix ?? '';
    validateModelNames(props.modelNames);
    validateGroupNames(this.groupNamePrefix, props.modelNames);
    validateAccountId(props.productionReaderAccountId);
    this.modelNames = [...props.modelNames];

    if (this.approvalMode === 'manual') {
      this.approverRole = new ManagedPolicyRole(this, 'ApproverRole', {
        assumedBy: props.approverPrincipal ?? new iam.AccountRootPrincipal(),
        description: `The only principal that may approve model packages of ${Stack.of(this).stackName} (manual approval mode)`,
      });
      this.approverRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ApproveModelPackages', actions: [...APPROVE_PACKAGE_ACTIONS, ...DESCRIBE_PACKAGE_ACTIONS], resources: this.packageArns() }),
      );
      const policy = this.approverRole.node.findChild('Permissions').node.defaultChild as CfnResource;
      for (const modelName of this.modelNames) {
        acknowledgeWildcardResource(
          policy,
          this.packageArnPattern(modelName),
          `The approver approves any version of the ${this.groupName(modelName)} group; SageMaker numbers versions as they are registered, ` +
            'so the ARN names the group and leaves the version open.',
        );
      }
    }

    const groups = new Map<string, sagemaker.CfnModelPackageGroup>();
    for (const modelName of props.modelNames) {
      const group = new sagemaker.CfnModelPackageGroup(this, `Group${pascalCase(modelName)}`, {
        modelPackageGroupName: this.groupName(modelName),
        modelPackageGroupDescription: `Versions of the ${modelName} model; approval mode ${this.approvalMode}`,
        modelPackageGroupPolicy: this.groupPolicy(modelName, props.productionReaderAccountId),
      });
      group.applyRemovalPolicy(removalPolicy);
      groups.set(modelName, group);
    }
    this.groups = groups;
  }

  /**
   * An EventBridge rule (a child of the registry, with the given ID) on every package of these groups that becomes
   * `Approved`: what model promotion listens to.
   */
  onPackageApproved(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: {
        ...options.eventPattern,
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: { ...options.eventPattern?.detail, ModelPackageGroupName: this.modelNames.map((name) => this.groupName(name)), ModelApprovalStatus: ['Approved'] },
      },
    });
    if (options.target) rule.addTarget(options.target);
    return rule;
  }

  /** The model package group name of one of `modelNames`: `groupNamePrefix` + model name. */
  groupName(modelName: string): string {
    if (!this.modelNames.includes(modelName)) throw new Error(`${NAME}: no model ${JSON.stringify(modelName)}; the registry holds ${this.modelNames.join(', ')}`);
    return `${this.groupNamePrefix}${modelName}`;
  }

  /** `{ <group name>: <model name> }` for every group: how promotion maps SageMaker's group back to the serving layout. */
  modelNamesByGroup(): Record<string, string> {
    return Object.fromEntries(this.modelNames.map((name) => [this.groupName(name), name]));
  }

  /** ARN of one model's group (built from its name, so policies do not depend on the group resource). */
  groupArn(modelName: string): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: this.groupName(modelName).toLowerCase(), arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** ARN pattern of every package version of one model's group: `model-package/<group>/*`. */
  packageArnPattern(modelName: string): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'model-package',
      resourceName: `${this.groupName(modelName).toLowerCase()}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** DescribeModelPackage on every package of every group (promotion). */
  grantDescribe(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: DESCRIBE_PACKAGE_ACTIONS, resourceArns: this.packageArns() });
  }

  /**
   * CreateModelPackage, only with the status `PendingManualApproval` (training pipelines), in the group of `modelName`,
   * or in every group when it is omitted.
   */
  grantRegister(grantee: iam.IGrantable, modelName?: string): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: REGISTER_PACKAGE_ACTIONS,
      resourceArns: this.packageArns(modelName),
      conditions: { StringEquals: { [APPROVAL_STATUS_KEY]: 'PendingManualApproval' } },
    });
  }

  /** UpdateModelPackage (approve or reject) in the group of `modelName`, or every group: the evaluation gate, in auto mode only. */
  grantApprove(grantee: iam.IGrantable, modelName?: string): iam.Grant {
    if (this.approvalMode === 'manual') {
      throw new InvalidPropError(NAME, 'approvalMode', this.approvalMode, 'grantApprove is for auto mode; in manual mode only approverRole approves');
    }
    return iam.Grant.addToPrincipal({ grantee, actions: [...APPROVE_PACKAGE_ACTIONS, ...DESCRIBE_PACKAGE_ACTIONS], resourceArns: this.packageArns(modelName) });
  }

  private packageArns(modelName?: string): string[] {
    return (modelName === undefined ? this.modelNames : [modelName]).map((name) => this.packageArnPattern(name));
  }

  private groupPolicy(modelName: string, readerAccountId: string | undefined): Record<string, unknown> | undefined {
    const statements: iam.PolicyStatement[] = [];
    const packages = this.packageArnPattern(modelName);
    if (this.approverRole) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'OnlyTheApproverMayApprove',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...APPROVE_PACKAGE_ACTIONS, ...REGISTER_PACKAGE_ACTIONS],
          resources: [packages],
          conditions: { StringEquals: { [APPROVAL_STATUS_KEY]: 'Approved' }, ArnNotEquals: { 'aws:PrincipalArn': this.approverRole.roleArn } },
        }),
      );
    }
    if (readerAccountId) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ProductionAccountReads',
          principals: [new iam.AccountPrincipal(readerAccountId)],
          actions: CROSS_ACCOUNT_READ_ACTIONS,
          resources: [this.groupArn(modelName), packages],
        }),
      );
    }
    if (statements.length === 0) return undefined;
    return new iam.PolicyDocument({ statements }).toJSON();
  }
}

function validateModelNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (!Token.isUnresolved(name) && !isModelPackageGroupName(name)) {
      throw new InvalidPropError(NAME, 'modelNames', name, MODEL_PACKAGE_GROUP_NAME_RULE);
    }
    if (seen.has(name)) throw new InvalidPropError(NAME, 'modelNames', name, 'each model once');
    seen.add(name);
  }
}

/** Each group name (prefix + model name) must follow SageMaker's rule; a bad prefix or one too long is the prop to fix. */
function validateGroupNames(prefix: string, modelNames: readonly string[]): void {
  if (Token.isUnresolved(prefix)) return;
  for (const name of modelNames) {
    const group = `${prefix}${name}`;
    if (!Token.isUnresolved(name) && !isModelPackageGroupName(group)) {
      throw new InvalidPropError(
        NAME,
        'groupNamePrefix',
        prefix,
        `with model ${name} the group name would be "${group}" (${group.length} characters); group names are ${MODEL_PACKAGE_GROUP_NAME_RULE}`,
      );
    }
  }
}

function validateAccountId(accountId: string | undefined): void {
  if (accountId === undefined || Token.isUnresolved(accountId)) return;
  if (!/^\d{12}$/.test(accountId)) throw new InvalidPropError(NAME, 'productionReaderAccountId', accountId, 'a 12-digit AWS account ID');
}
