import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient, type ModelPackageSummary } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { SERVED_VERSION_ANNOTATION, type RolloutTargets } from '../../../../lib/rollout';
import { eksKubernetesApis } from '../../../../lambdas/rollout-model/eks-connection';
import type { RolloutDeps } from '../../../../lambdas/rollout-model/rollout';
import { createRolloutHandler } from '../../../../lambdas/rollout-model/rollout-handler';
import { FakeKubernetesApi } from '../../../support/fake-kubernetes-api';

export const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** The rollout handler over fresh SDK clients (mocked by the caller with aws-sdk-client-mock), with `deps` added. */
export function rolloutHandlerFor(targets: RolloutTargets, deps: Partial<RolloutDeps> = {}) {
  return createRolloutHandler(
    {
      sagemaker: new SageMakerClient({}),
      s3: new S3Client({}),
      ssm: new SSMClient({}),
      lambda: new LambdaClient({}),
      codedeploy: new CodeDeployClient({}),
      ecs: new ECSClient({}),
      repository: { bucket: 'models-bucket', prefix: 'models/' },
      ...deps,
    },
    targets,
    { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) },
  );
}

/** The Kubernetes API of the clusters `DescribeCluster` (mocked) describes, signed with example credentials. */
export const exampleKubernetesApis = () => eksKubernetesApis(new EKSClient({ region: 'us-east-1', credentials: EXAMPLE_CREDENTIALS }));

/** `ListModelPackages` summaries of these Approved versions of `group`. */
export function approvedPackages(group: string, versions: readonly number[]): ModelPackageSummary[] {
  return versions.map((version) => ({
    ModelPackageGroupName: group,
    ModelPackageVersion: version,
    ModelPackageArn: `arn:aws:sagemaker:us-east-1:123456789012:model-package/${group}/${version}`,
    CreationTime: new Date(),
    ModelPackageStatus: 'Completed',
    ModelApprovalStatus: 'Approved',
  }));
}

/**
 * A stand-in Kubernetes API server with the model Deployment pinned to `served`, started, and `DescribeCluster` of
 * `clusterName` (on the `eks` mock) answering its endpoint and CA.
 */
export async function startFakeCluster(
  eks: AwsClientStub<EKSClient>,
  clusterName: string,
  namespace: string,
  deployment: { served: string; annotations?: Record<string, string>; status?: Record<string, unknown>; brokenVersions?: readonly string[] },
): Promise<FakeKubernetesApi> {
  const cluster = new FakeKubernetesApi(
    namespace,
    'model-server',
    {
      annotations: deployment.annotations ?? {},
      templateAnnotations: { [SERVED_VERSION_ANNOTATION]: deployment.served },
      replicas: 2,
      status: deployment.status,
    },
    { brokenVersions: deployment.brokenVersions ?? [], versionAnnotation: SERVED_VERSION_ANNOTATION },
  );
  const endpoint = await cluster.start();
  eks.on(DescribeClusterCommand, { name: clusterName }).resolves({
    cluster: { name: clusterName, status: 'ACTIVE', endpoint, certificateAuthority: { data: Buffer.from(cluster.certificate.cert).toString('base64') } },
  });
  return cluster;
}
