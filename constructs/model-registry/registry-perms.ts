/** SageMaker Model Registry actions per grant (Service Authorization Reference: Amazon SageMaker). */
export const DESCRIBE_PACKAGE_ACTIONS = ['sagemaker:DescribeModelPackage'];
export const REGISTER_PACKAGE_ACTIONS = ['sagemaker:CreateModelPackage'];
export const APPROVE_PACKAGE_ACTIONS = ['sagemaker:UpdateModelPackage'];
export const CROSS_ACCOUNT_READ_ACTIONS = ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'];
/** Condition key on CreateModelPackage / UpdateModelPackage naming the status a call sets. */
export const APPROVAL_STATUS_KEY = 'sagemaker:ModelApprovalStatus';
