import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';

/** `auto`: a passing evaluation gate approves; `manual`: only the approver role approves. */
export type ApprovalMode = 'auto' | 'manual';

export interface ModelRegistryProps {
  /** One model package group per model (SageMaker names: letters, digits, hyphens; 1-63 characters). */
  readonly modelNames: readonly string[];

  /**
   * Prepended to each model name to name its model package group, so environments sharing an account do not share
   * groups (`dev-` → `dev-churn-classifier`). Each combined name must follow SageMaker's group name rule.
   * Events, ARNs, resource policies and the Approved rule all use the group names; `groupName(model)` gives one.
   * @default '' - each group is named exactly as its model
   */
  readonly groupNamePrefix?: string;

  /**
   * Who may approve a model package.
   * - `manual`: an approver role is created, and each group's resource policy denies everyone else setting or creating
   *   the status `Approved`.
   * - `auto`: no approver role; `grantApprove()` lets the evaluation gate approve.
   * @default 'manual'
   */
  readonly approvalMode?: ApprovalMode;

  /**
   * Principal allowed to assume the approver role (manual mode), e.g. a release-manager SSO role.
   * @default - IAM principals of this account whose own policies allow them to assume it
   */
  readonly approverPrincipal?: iam.IPrincipal;

  /**
   * A production account (12 digits) that may read the groups and their packages across accounts.
   * @default - no cross-account reader
   */
  readonly productionReaderAccountId?: string;

  /**
   * What happens to the groups (and their packages) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
