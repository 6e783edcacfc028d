/** Feature Store runtime actions per grant (API reference: Amazon SageMaker Feature Store Runtime). */
export const FEATURE_GROUP_READ_ACTIONS = ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord'];
export const FEATURE_GROUP_WRITE_ACTIONS = ['sagemaker:PutRecord'];
/** Control plane: where a group's offline store is (`ResolvedOutputS3Uri`). */
export const DESCRIBE_GROUP_ACTIONS = ['sagemaker:DescribeFeatureGroup'];
/** Every data-plane call on a group with a customer-managed online store key needs Decrypt on that key (OnlineStoreSecurityConfig). */
export const ONLINE_STORE_KEY_ACTIONS = ['kms:Decrypt'];

/** What the offline store role needs to write Parquet files into the lakehouse (SageMaker Developer Guide, offline store). */
export const OFFLINE_STORE_OBJECT_ACTIONS = ['s3:PutObject', 's3:PutObjectAcl'];
export const OFFLINE_STORE_BUCKET_ACTIONS = ['s3:GetBucketAcl'];
export const OFFLINE_STORE_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
