import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { InvalidPropError } from '../shared/prop-validation';
import type { ApprovalMode } from './model-registry-props';
import { APPROVAL_STATUS_KEY, APPROVE_PACKAGE_ACTIONS, DESCRIBE_PACKAGE_ACTIONS, REGISTER_PACKAGE_ACTIONS } from './registry-perms';

/** A model registry: one SageMaker model package group per model. Created by `ModelRegistry` or imported. */
export interface IModelRegistry extends IConstruct {
  readonly modelNames: readonly string[];
  readonly groupNamePrefix: string;
  readonly approvalMode: ApprovalMode;
  /** The model package group name of one of `modelNames`: `groupNamePrefix` + model name. */
  groupName(modelName: string): string;
  /** `{ <group name>: <model name> }` for every group. */
  modelNamesByGroup(): Record<string, string>;
  /** ARN of one model's group. */
  groupArn(modelName: string): string;
  /** ARN pattern of every package version of one model's group. */
  packageArnPattern(modelName: string): string;
  /** DescribeModelPackage on every package of every group (promotion). */
  grantDescribe(grantee: iam.IGrantable): iam.Grant;
  /** CreateModelPackage in the group of `modelName` (every group when omitted), only as `PendingManualApproval` (training pipelines). */
  grantRegister(grantee: iam.IGrantable, modelName?: string): iam.Grant;
  /** Approve or reject packages of `modelName`'s group (every group when omitted): the evaluation gate, in auto mode only. */
  grantApprove(grantee: iam.IGrantable, modelName?: string): iam.Grant;
  /** An EventBridge rule on every package of these groups that becomes `Approved`. */
  onPackageApproved(id: string, options?: events.OnEventOptions): events.Rule;
}

/** Attributes of an existing registry's groups, for `ModelRegistry.fromModelRegistryAttributes`. */
export interface ModelRegistryAttributes {
  /** The models whose groups exist (each group named `groupNamePrefix` + model name). */
  readonly modelNames: readonly string[];
  /** @default '' */
  readonly groupNamePrefix?: string;
  /**
   * How the registry's packages are approved (`grantApprove` is refused in `manual` mode).
   * @default 'manual'
   */
  readonly approvalMode?: ApprovalMode;
}

/** Names, ARNs, grants and the Approved rule, shared by created and imported registries (all built from group names). */
export abstract class ModelRegistryBase extends Construct implements IModelRegistry {
  abstract readonly modelNames: readonly string[];
  abstract readonly groupNamePrefix: string;
  abstract readonly approvalMode: ApprovalMode;

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
        detail: {
          ...options.eventPattern?.detail,
          ModelPackageGroupName: this.modelNames.map((name) => this.groupName(name)),
          ModelApprovalStatus: ['Approved'],
        },
      },
    });
    if (options.target) rule.addTarget(options.target);
    return rule;
  }

  /** The model package group name of one of `modelNames`: `groupNamePrefix` + model name. */
  groupName(modelName: string): string {
    if (!this.modelNames.includes(modelName))
      throw new Error(`ModelRegistry: no model ${JSON.stringify(modelName)}; the registry holds ${this.modelNames.join(', ')}`);
    return `${this.groupNamePrefix}${modelName}`;
  }

  /** `{ <group name>: <model name> }` for every group: how promotion maps SageMaker's group back to the serving layout. */
  modelNamesByGroup(): Record<string, string> {
    return Object.fromEntries(this.modelNames.map((name) => [this.groupName(name), name]));
  }

  /** ARN of one model's group (built from its name, so policies do not depend on the group resource). */
  groupArn(modelName: string): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'model-package-group',
      resourceName: this.groupName(modelName).toLowerCase(),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
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

  /** CreateModelPackage in the group of `modelName` (every group when omitted), only as `PendingManualApproval` (training pipelines). */
  grantRegister(grantee: iam.IGrantable, modelName?: string): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: REGISTER_PACKAGE_ACTIONS,
      resourceArns: this.packageArns(modelName),
      conditions: { StringEquals: { [APPROVAL_STATUS_KEY]: 'PendingManualApproval' } },
    });
  }

  /** UpdateModelPackage (approve or reject) in `modelName`'s group (every group when omitted): the evaluation gate, auto mode only. */
  grantApprove(grantee: iam.IGrantable, modelName?: string): iam.Grant {
    if (this.approvalMode === 'manual') {
      throw new InvalidPropError(
        'ModelRegistry',
        'approvalMode',
        this.approvalMode,
        'grantApprove is for auto mode; in manual mode only approverRole approves',
      );
    }
    return iam.Grant.addToPrincipal({ grantee, actions: [...APPROVE_PACKAGE_ACTIONS, ...DESCRIBE_PACKAGE_ACTIONS], resourceArns: this.packageArns(modelName) });
  }

  protected packageArns(modelName?: string): string[] {
    return (modelName === undefined ? this.modelNames : [modelName]).map((name) => this.packageArnPattern(name));
  }
}
