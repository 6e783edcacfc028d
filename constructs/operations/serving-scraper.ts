import { Duration } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import { METRICS_COLLECTOR_USER } from '../kubernetes/workload-names';
import { SERVING_CONTAINER } from '../serving/serving-image';
import { InvalidPropError } from '../shared/prop-validation';
import { servingScrapeConfig } from './serving-scrape-config';
import type { ServingScraperProps } from './serving-scraper-props';

/**
 * An AMP managed collector (`AWS::APS::Scraper`) for the serving pods of one EKS cluster, writing to the environment's
 * workspace: network interfaces in the cluster's private subnets, a scrape config limited to the models' namespaces,
 * and an access entry that maps the scraper's service-linked role to `aps-collector-user`, whom the cdktf app binds to
 * a read-only ClusterRole (pods, endpoints, services, nodes; GET /metrics).
 */
export class ServingScraper extends Construct {
  readonly scraper: aps.CfnScraper;
  readonly securityGroups: readonly ec2.ISecurityGroup[];
  readonly accessEntry: eks.CfnAccessEntry;
  /** The Prometheus scrape config the scraper runs (before base64). */
  readonly scrapeConfig: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ServingScraperProps) {
    super(scope, id);
    const scrapeInterval = props.scrapeInterval ?? Duration.seconds(30);
    if (scrapeInterval.toSeconds() < 10) throw new InvalidPropError('ServingScraper', 'scrapeInterval', scrapeInterval.toHumanString(), 'at least 10 seconds');
    if (props.modelNames.length === 0) throw new InvalidPropError('ServingScraper', 'modelNames', [], 'at least one model served on the cluster');

    this.securityGroups = props.securityGroups ?? [this.createSecurityGroup(props.vpc)];
    this.scrapeConfig = servingScrapeConfig(props.modelNames, scrapeInterval.toSeconds());
    this.scraper = new aps.CfnScraper(this, 'Resource', {
      alias: 'model-serving',
      source: {
        eksConfiguration: {
          clusterArn: props.clusterArn,
          subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
          securityGroupIds: this.securityGroups.map((group) => group.securityGroupId),
        },
      },
      destination: { ampConfiguration: { workspaceArn: props.workspace.workspaceArn } },
      // JSON is YAML; AMP takes the file base64-encoded.
      scrapeConfiguration: { configurationBlob: Buffer.from(JSON.stringify(this.scrapeConfig)).toString('base64') },
    });
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: props.clusterName,
      principalArn: this.scraper.attrRoleArn,
      username: METRICS_COLLECTOR_USER,
      type: 'STANDARD',
    });
  }

  private createSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'AMP managed scraper of the serving pods: out to the pods on the serving port and to the Kubernetes API',
      allowAllOutbound: false,
    });
    group.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(SERVING_CONTAINER.port), 'Serving pods /metrics');
    group.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'Kubernetes API (pod discovery)');
    return group;
  }
}
