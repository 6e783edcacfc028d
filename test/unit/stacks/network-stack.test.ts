import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadEnvironment } from '../../../lib/config';
import { NetworkStack } from '../../../stacks/network-stack';
import { fastCdkContext } from '../../support/cdk-context';

/** As `cdk synth -c env=NAME` builds it from cdk.json: environment-agnostic (no account or region in the sample config). */
function networkOf(environmentName: string) {
  const app = new App({ context: fastCdkContext() });
  const { config } = loadEnvironment(app.node.tryGetContext('environments'), environmentName);
  const stack = new NetworkStack(app, `mlops-${environmentName}-network`, { config, env: { account: config.account, region: config.region } });
  const template = Template.fromStack(stack);
  const subnetZones = (type: 'public' | 'private') =>
    Object.values(template.findResources('AWS::EC2::Subnet'))
      .filter((subnet) =>
        (subnet.Properties.Tags as { Key: string; Value: string }[]).some((tag) => tag.Key === 'aws-cdk:subnet-type' && tag.Value.toLowerCase() === type),
      )
      .map((subnet) => subnet.Properties.AvailabilityZone as string);
  return { config, template, subnetZones };
}

describe('zones and NAT gateways per environment, as synthesized from the sample config', () => {
  test.each(['staging', 'prod'])('%s (highAvailability): three zones, a public and a private subnet in each, a NAT gateway in each', (name) => {
    const { config, template, subnetZones } = networkOf(name);
    expect(config.account).toBeUndefined();
    expect(config.availabilityZones).toHaveLength(3);
    expect(subnetZones('public').sort()).toEqual([...config.availabilityZones!].sort());
    expect(subnetZones('private').sort()).toEqual([...config.availabilityZones!].sort());
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('dev: two zones and one NAT gateway', () => {
    const { template, subnetZones } = networkOf('dev');
    expect(subnetZones('private')).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });
});
