import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import { isModelPackageGroupName, MODEL_PACKAGE_GROUP_NAME_RULE } from '../../lib/registry';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { pascalCase } from '../shared/construct-id';
import { InvalidPropError } from '../shared/prop-validation';
import { type IModelRegistry, type ModelRegistryAttributes, ModelRegistryBase } from './model-registry-base';
import type { ApprovalMode, ModelRegistryProps } from './model-registry-props';
import { APPROVAL_STATUS_KEY, APPROVE_PACKAGE_ACTIONS, CROSS_ACCOUNT_READ_ACTIONS, DESCRIBE_PACKAGE_ACTIONS, REGISTER_PACKAGE_ACTIONS } from './registry-perms';

const NAME = 'ModelRegistry';

/**
 * The model registry of one environment: a SageMaker model package group per model, the approval mode turned into
 * IAM (an approver role and a deny on everyone else in manual mode; a grant for the evaluation gate in auto mode), an
 * optional cross-account production reader; `onPackageApproved` hands every `Approved` package to promotion.
 */
export class ModelRegistry extends ModelRegistryBase {
  /** A registry whose groups exist already (another stack or team): names, ARNs, grants and the Approved rule. */
  static fromModelRegistryAttributes(scope: Construct, id: string, attrs: ModelRegistryAttributes): IModelRegistry {
    const groupNamePrefix = attrs.groupNamePrefix ?? '';
    validateModelNames(attrs.modelNames);
    validateGroupNames(groupNamePrefix, attrs.modelNames);
    return new ImportedModelRegistry(scope, id, { modelNames: [...attrs.modelNames], groupNamePrefix, approvalMode: attrs.approvalMode ?? 'manual' });
  }

  readonly approvalMode: ApprovalMode;
  readonly modelNames: readonly string[];
  readonly groupNamePrefix: string;
  /** Model package groups by model name. */
  readonly groups: ReadonlyMap<string, sagemaker.CfnModelPackageGroup>;
  /** Manual mode only: the one role allowed to approve packages. */
  readonly approverRole?: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    this.approvalMode = props.approvalMode ?? 'manual';
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.groupNamePrefix = props.groupNamePrefix ?? '';
    validateModelNames(props.modelNames);
    validateGroupNames(this.groupNamePrefix, props.modelNames);
    validateAccountId(props.productionReaderAccountId);
    this.modelNames = [...props.modelNames];

    const approvers = props.approvers ?? [];
    validateApprovers(this.approvalMode, approvers);

    if (this.approvalMode === 'manual') {
      const [firstApprover, ...otherApprovers] = approvers;
      this.approverRole = new ManagedPolicyRole(this, 'ApproverRole', {
        assumedBy: firstApprover,
        description: `The only principal that may approve model packages of ${Stack.of(this).stackName} (manual approval mode)`,
      });
      // One trust statement per approver, so each keeps its own conditions.
      for (const approver of otherApprovers) {
        this.approverRole.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [approver] }));
      }
      this.approverRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ApproveModelPackages',
          actions: [...APPROVE_PACKAGE_ACTIONS, ...DESCRIBE_PACKAGE_ACTIONS],
          resources: this.packageArns(),
        }),
      );
      for (const modelName of this.modelNames) {
        acknowledgeWildcardResource(
          this.approverRole,
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
    return new iam.PolicyDocument({ statements }).toJSON() as Record<string, unknown>;
  }
}

class ImportedModelRegistry extends ModelRegistryBase {
  readonly modelNames: readonly string[];
  readonly groupNamePrefix: string;
  readonly approvalMode: ApprovalMode;

  constructor(scope: Construct, id: string, attrs: Required<ModelRegistryAttributes>) {
    super(scope, id);
    this.modelNames = attrs.modelNames;
    this.groupNamePrefix = attrs.groupNamePrefix;
    this.approvalMode = attrs.approvalMode;
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

function validateApprovers(approvalMode: ApprovalMode, approvers: readonly iam.IPrincipal[]): void {
  if (approvalMode === 'manual' && approvers.length === 0) {
    throw new InvalidPropError(
      NAME,
      'approvers',
      '[]',
      'manual approval mode needs at least one principal that may assume the approver role (role ARNs or a permission set)',
    );
  }
  if (approvalMode === 'auto' && approvers.length > 0) {
    throw new InvalidPropError(NAME, 'approvers', `${approvers.length} principal(s)`, 'only used in manual approval mode; auto mode has no approver role');
  }
}
