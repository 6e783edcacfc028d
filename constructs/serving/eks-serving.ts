import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import type { ManagedPolicyRole } from '../shared/managed-policy-role';
import type { EksSizing } from '../../lib/decision';
import { addPodIdentityRole, EksCluster, type IEksCluster, type ModelNodegroup } from '../eks';
import { servingNamespace, servingServiceAccount } from '../kubernetes/workload-names';
import { InvalidPropError } from '../shared/prop-validation';
import type { EksServingProps } from './eks-serving-props';
import { acknowledgeModelRepositoryRead } from './serving-findings';
import { captureDestination, captureEnabled, grantCaptureWrite } from './inference-capture';

function validateDecision(modelName: string, decision: EksSizing): void {
  const invalid = (field: string, value: unknown, allowed: string) => new InvalidPropError('EksServing', `decision.${field}`, value, allowed);
  if (decision.target !== 'eks') throw invalid('target', decision.target, "'eks': pass the EKS sizing of the decision");
  if (!/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/.test(modelName))
    throw new InvalidPropError('EksServing', 'modelName', modelName, 'lower-case letters, digits and hyphens, 3-40 characters');
  if (decision.minReplicas < 1 || decision.maxReplicas < decision.minReplicas) {
    throw invalid('maxReplicas', decision.maxReplicas, `at least minReplicas (${decision.minReplicas}), which must be at least 1`);
  }
  if (decision.minNodes < 1 || decision.maxNodes < decision.minNodes) {
    throw invalid('maxNodes', decision.maxNodes, `at least minNodes (${decision.minNodes}), which must be at least 1`);
  }
  if (decision.minReplicas >= 2 && decision.minNodes < 2) {
    // The model's node group is its own: two replicas spread over two zones need a node in each.
    throw invalid('minNodes', decision.minNodes, `at least 2 when minReplicas is ${decision.minReplicas} (one node per zone the replicas spread over)`);
  }
  if ((decision.nodeGroup === 'gpu') !== decision.gpuPerPod > 0) {
    throw invalid('gpuPerPod', decision.gpuPerPod, `at least 1 exactly when nodeGroup is 'gpu' (got nodeGroup '${decision.nodeGroup}')`);
  }
}

/**
 * One model served on EKS: its managed node group on the environment's cluster (GPU nodes for GPU models) and an
 * IAM role bound to the model's Kubernetes service account through EKS Pod Identity, with read access to the model
 * repository and nothing else. The Deployment and the other Kubernetes objects come from the cdktf app.
 */
export class EksServing extends Construct {
  readonly cluster: IEksCluster;
  readonly nodegroup: ModelNodegroup;
  /** Role the model's pods assume through pod identity. */
  readonly podRole: ManagedPolicyRole;
  readonly podIdentityAssociation: eks.CfnPodIdentityAssociation;
  readonly namespace: string;
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: EksServingProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const { decision, modelName } = props;
    validateDecision(modelName, decision);
    const capture = captureEnabled('EksServing', props.capture) ? props.capture : undefined;
    if (!props.cluster && decision.clusterMode !== 'new-cluster') {
      throw new InvalidPropError(
        'EksServing',
        'cluster',
        undefined,
        `required when decision.clusterMode is '${decision.clusterMode}': pass the environment's shared cluster (EksCluster or EksCluster.fromEksClusterAttributes)`,
      );
    }
    if (props.cluster && !props.cluster.podIdentityAgent) {
      throw new InvalidPropError(
        'EksServing',
        'cluster.podIdentityAgent',
        false,
        'a cluster running the EKS Pod Identity agent add-on (eks-pod-identity-agent)',
      );
    }
    if (props.cluster && !props.cluster.loadBalancing) {
      throw new InvalidPropError(
        'EksServing',
        'cluster.loadBalancing',
        false,
        "a cluster with EKS Auto Mode load balancing, which exposes the model's Network Load Balancer",
      );
    }
    this.namespace = servingNamespace(modelName);
    this.serviceAccountName = servingServiceAccount(modelName);

    this.cluster = props.cluster ?? new EksCluster(this, 'Cluster', { vpc: props.vpc, removalPolicy });
    this.nodegroup = this.cluster.addNodegroup(this, 'Nodegroup', {
      modelName,
      instanceType: decision.nodeInstanceType,
      architecture: decision.architecture,
      gpu: decision.nodeGroup === 'gpu',
      minSize: decision.minNodes,
      maxSize: decision.maxNodes,
    });

    const podIdentity = addPodIdentityRole(this, 'Pod', {
      clusterName: this.cluster.clusterName,
      clusterArn: this.cluster.clusterArn,
      namespace: this.namespace,
      serviceAccount: this.serviceAccountName,
      description: `Pods of ${modelName} (${this.namespace}/${this.serviceAccountName}): read the model repository`,
    });
    this.podRole = podIdentity.role;
    this.podIdentityAssociation = podIdentity.association;
    props.modelRepository.grantRead(this.podRole);
    acknowledgeModelRepositoryRead(this.podRole, props.modelRepository);
    if (capture) {
      grantCaptureWrite(this.podRole, modelName, capture);
      // The sample fraction comes from the same environment config in the cdktf app; only the bucket name is deploy-time.
      new CfnOutput(this, 'CaptureDestinationOutput', {
        value: captureDestination(capture.bucket),
        description: 'CAPTURE_DESTINATION: -var capture_destination=',
      });
    }

    new CfnOutput(this, 'ImageUriOutput', { value: props.image.imageUri, description: `Serving image of ${modelName}: -var serving_image=` });
    new CfnOutput(this, 'ModelRepositoryOutput', { value: props.modelRepository.repositoryUri, description: 'MODEL_REPOSITORY: -var model_repository_uri=' });
  }
}
