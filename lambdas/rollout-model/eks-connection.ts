import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { eksToken } from './eks-token';
import { createKubernetesApi, type KubernetesApi } from './kubernetes-api';

/**
 * The Kubernetes API of an EKS cluster for the function's own IAM role: endpoint and CA from `DescribeCluster`, a
 * fresh token per request signed with the EKS client's credentials. One API per cluster name, kept for the
 * execution environment's life.
 */
export function eksKubernetesApis(eks: EKSClient): (clusterName: string) => Promise<KubernetesApi> {
  const apis = new Map<string, Promise<KubernetesApi>>();
  return (clusterName) => {
    let api = apis.get(clusterName);
    if (!api) {
      api = connect(eks, clusterName);
      api.catch(() => apis.delete(clusterName));
      apis.set(clusterName, api);
    }
    return api;
  };
}

async function connect(eks: EKSClient, clusterName: string): Promise<KubernetesApi> {
  const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
  if (!cluster?.endpoint || !cluster.certificateAuthority?.data)
    throw new Error(`EKS cluster ${clusterName} has no endpoint or certificate authority yet (status ${cluster?.status ?? 'unknown'})`);
  const region = await eks.config.region();
  return createKubernetesApi({
    endpoint: cluster.endpoint,
    certificateAuthority: Buffer.from(cluster.certificateAuthority.data, 'base64').toString('utf8'),
    token: () => eksToken(clusterName, region, eks.config.credentials),
  });
}
