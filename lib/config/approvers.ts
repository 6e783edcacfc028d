import { z } from 'zod';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** IAM Identity Center permission set names (CreatePermissionSet: `[\w+=,.@-]+`, 1-32 characters). */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/**
 * Who may assume the model approver role in `manual` approval mode: IAM role ARNs, and/or the users of an IAM
 * Identity Center permission set in this account (its provisioned `AWSReservedSSO_<name>_*` role).
 */
export const approversSchema = z
  .strictObject({
    roleArns: z.array(z.string().regex(ROLE_ARN, 'an IAM role ARN such as arn:aws:iam::111122223333:role/release-managers')).default([]),
    ssoPermissionSetName: z
      .string()
      .regex(PERMISSION_SET_NAME, 'an IAM Identity Center permission set name: letters, digits and +=,.@_-, 1-32 characters')
      .optional(),
  })
  .refine((approvers) => approvers.roleArns.length > 0 || approvers.ssoPermissionSetName !== undefined, 'name at least one role ARN or a permission set');
export type ApproversConfig = z.infer<typeof approversSchema>;

/** Manual approval needs someone who can approve. */
export function checkApprovers(env: { readonly approvalMode: string; readonly approvers?: ApproversConfig }, ctx: z.RefinementCtx): void {
  if (env.approvalMode === 'manual' && env.approvers === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['approvers'],
      message: 'approvalMode manual needs approvers: { roleArns: [...] } and/or { ssoPermissionSetName: "..." }',
    });
  }
}
