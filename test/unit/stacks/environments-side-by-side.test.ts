import { App } from 'aws-cdk-lib';
import { buildPlatform } from '../../../stacks/platform-app';
import { fastCdkContext } from '../../support/cdk-context';

const ACCOUNT = '111122223333';
/** `…Name` properties that name something inside a resource (a metric, a feature), not the resource itself. */
const NOT_PHYSICAL_NAMES = new Set([
  'MetricName',
  'EventTimeFeatureName',
  'RecordIdentifierFeatureName',
  'AliasName@AWS::Lambda::Alias',
  'Name@AWS::Lambda::Alias',
  // A saved query is identified by its id; its name is a label inside its (environment-named) workgroup.
  'Name@AWS::Athena::NamedQuery',
]);
const REGION = 'us-east-1';

/** Physical names a template sets explicitly: every literal string property named `…Name` (and Glue's nested `Name`), by resource type. */
function physicalNames(environmentName: string): Map<string, string> {
  const context = fastCdkContext();
  const environments = structuredClone(context.environments) as Record<string, Record<string, unknown>>;
  // Both environments in one account and region, as a team with a single sandbox account would deploy them.
  for (const env of Object.values(environments)) Object.assign(env, { account: ACCOUNT, region: REGION });
  const app = new App({ context: { ...context, environments, env: environmentName, 'aws:cdk:bundling-stacks': [] } });
  const platform = buildPlatform(app);
  const assembly = app.synth();
  const names = new Map<string, string>();
  for (const stack of platform.allStacks) {
    names.set(`AWS::CloudFormation::Stack ${stack.stackName}`, stack.node.path);
    const resources = (assembly.getStackByName(stack.stackName).template.Resources ?? {}) as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    for (const [logicalId, resource] of Object.entries(resources)) {
      const properties = resource.Properties ?? {};
      const candidates: Array<[string, unknown]> = Object.entries(properties).filter(
        ([key]) => key.endsWith('Name') && !NOT_PHYSICAL_NAMES.has(key) && !NOT_PHYSICAL_NAMES.has(`${key}@${resource.Type}`),
      );
      for (const nested of ['DatabaseInput', 'TableInput']) {
        const input = properties[nested] as Record<string, unknown> | undefined;
        if (input) candidates.push([`${nested}.Name`, `${databaseNameOf(resources, properties.DatabaseName)}.${String(input.Name)}`]);
      }
      for (const [key, value] of candidates) {
        if (typeof value === 'string') names.set(`${resource.Type} ${key}=${value}`, `${stack.stackName}/${logicalId}`);
      }
    }
  }
  return names;
}

/** A table's `DatabaseName`: a literal, or a `Ref` to a database of the same template (resolved to its name). */
function databaseNameOf(resources: Record<string, { Properties?: Record<string, unknown> }>, value: unknown): string {
  if (value === undefined || typeof value === 'string') return value ?? '';
  const target = resources[(value as { Ref: string }).Ref]?.Properties?.DatabaseInput as { Name?: string } | undefined;
  return target?.Name ?? JSON.stringify(value);
}

describe('environments side by side in one account and region', () => {
  test('dev and prod (the most different environments) share no explicit physical name', () => {
    const byEnvironment = ['dev', 'prod'].map(physicalNames);
    for (const names of byEnvironment) expect(names.size).toBeGreaterThan(10);
    for (let i = 0; i < byEnvironment.length; i++) {
      for (let j = i + 1; j < byEnvironment.length; j++) {
        const shared = [...byEnvironment[i].keys()].filter((name) => byEnvironment[j].has(name));
        expect(shared).toEqual([]);
      }
    }
  });
});
