import { ConfigError, loadEnvironment, type EnvironmentConfig } from '../../../../lib/config';
import { cdkContext } from '../../../support/cdk-context';

const sampleEnvironments = () => structuredClone(cdkContext().environments) as Record<string, EnvironmentConfig>;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnvironment', () => {
  test.each(['dev', 'staging', 'prod'])('the sample %s environment is valid', (name) => {
    expect(loadEnvironment(sampleEnvironments(), name).name).toBe(name);
  });

  test('dev is the default environment', () => {
    expect(loadEnvironment(sampleEnvironments(), undefined).name).toBe('dev');
  });

  test('the sample environments differ the way their purpose says', () => {
    const envs = sampleEnvironments();
    expect([envs.dev.removalPolicy, envs.staging.removalPolicy, envs.prod.removalPolicy]).toEqual(['destroy', 'retain', 'retain']);
    expect([envs.dev.approvalMode, envs.prod.approvalMode]).toEqual(['auto', 'manual']);
    const peak = (name: string) => Math.max(...envs[name].models.map((m) => m.traffic.monthlyRequests));
    expect(peak('dev')).toBeLessThan(peak('staging'));
    expect(peak('staging')).toBeLessThan(peak('prod'));
  });

  test('an unknown environment names it and lists the known ones, on one line', () => {
    const error = errorOf(() => loadEnvironment(sampleEnvironments(), 'nope'));
    expect(error.message).toBe("Unknown environment 'nope' (-c env=nope); known environments: dev, staging, prod");
  });

  test('a missing key names the path and says it is missing', () => {
    const envs = sampleEnvironments();
    delete (envs.staging as Partial<EnvironmentConfig>).approvalMode;
    const error = errorOf(() => loadEnvironment(envs, 'staging'));
    expect(error.problems).toEqual([expect.stringMatching(/^environments\.staging\.approvalMode: got nothing \(the key is missing\); .*"auto"\|"manual"/)]);
  });

  test('a wrong type names the path, the value and the expected type', () => {
    const envs = sampleEnvironments();
    (envs.prod.models[1].traffic as unknown as Record<string, unknown>).peakRps = 'lots';
    const error = errorOf(() => loadEnvironment(envs, 'prod'));
    expect(error.problems).toEqual([
      expect.stringMatching(/^environments\.prod\.models\[1\]\.traffic\.peakRps \(model 'fraud-scorer'\): got "lots"; .*expected number/),
    ]);
  });

  test('a negative number names the path, the value and the bound', () => {
    const envs = sampleEnvironments();
    envs.dev.models[0].traffic.monthlyRequests = -5;
    const error = errorOf(() => loadEnvironment(envs, 'dev'));
    expect(error.problems).toEqual([
      expect.stringMatching(/^environments\.dev\.models\[0\]\.traffic\.monthlyRequests \(model 'churn-classifier'\): got -5; .*>=0/),
    ]);
  });

  test('an unknown field is reported at its own path', () => {
    const envs = sampleEnvironments();
    (envs.dev.lakehouse as unknown as Record<string, unknown>).bronzeArchveDays = 90;
    const error = errorOf(() => loadEnvironment(envs, 'dev'));
    expect(error.problems).toEqual([expect.stringMatching(/^environments\.dev\.lakehouse\.bronzeArchveDays: got 90; unknown key/)]);
  });

  test('an invalid enum value lists the allowed values', () => {
    const envs = sampleEnvironments();
    (envs.dev as unknown as Record<string, unknown>).removalPolicy = 'delete';
    const error = errorOf(() => loadEnvironment(envs, 'dev'));
    expect(error.problems).toEqual([expect.stringMatching(/^environments\.dev\.removalPolicy: got "delete"; .*"retain"\|"destroy"/)]);
  });

  test('a malformed alert email names its index and value', () => {
    const envs = sampleEnvironments();
    envs.prod.alertEmails = ['mlops-oncall@example.com', 'ml-platform-team'];
    const error = errorOf(() => loadEnvironment(envs, 'prod'));
    expect(error.problems).toEqual(['environments.prod.alertEmails[1]: got "ml-platform-team"; an email address such as oncall@example.com']);
  });

  test('cross-field rules: archive after infrequent access, unique model names', () => {
    const envs = sampleEnvironments();
    envs.prod.lakehouse.bronzeArchiveDays = 10;
    envs.prod.models[1].name = envs.prod.models[0].name;
    const error = errorOf(() => loadEnvironment(envs, 'prod'));
    expect(error.problems).toEqual([
      expect.stringMatching(/^environments\.prod\.lakehouse\.bronzeArchiveDays: got 10; must be greater than lakehouse\.bronzeInfrequentAccessDays \(30\)/),
      expect.stringMatching(/^environments\.prod\.models\[1\]\.name \(model 'churn-classifier'\): got "churn-classifier"; must be unique/),
    ]);
  });

  test('every problem is reported at once, in one message', () => {
    const envs = sampleEnvironments();
    envs.staging.account = '12345';
    envs.staging.models[0].traffic.teamSize = 0;
    const error = errorOf(() => loadEnvironment(envs, 'staging'));
    expect(error.problems).toHaveLength(2);
    expect(error.message.split('\n')).toEqual([
      "Invalid configuration for environment 'staging' (2 problems):",
      expect.stringContaining('environments.staging.account: got "12345"; a 12-digit AWS account ID'),
      expect.stringContaining("environments.staging.models[0].traffic.teamSize (model 'churn-classifier'): got 0;"),
    ]);
  });

  test('high availability names three zones of one region, each once, in the configured region', () => {
    const envs = sampleEnvironments();
    delete (envs.staging as Partial<EnvironmentConfig>).availabilityZones;
    envs.prod.region = 'eu-west-1';
    envs.prod.availabilityZones = ['eu-west-1a', 'us-east-1b', 'eu-west-1a'];
    expect(errorOf(() => loadEnvironment(envs, 'staging')).problems).toEqual([
      expect.stringMatching(
        /^environments\.staging\.availabilityZones: got nothing \(the key is missing\); highAvailability needs at least 3 availability zones/,
      ),
    ]);
    expect(errorOf(() => loadEnvironment(envs, 'prod')).problems).toEqual([
      expect.stringMatching(/^environments\.prod\.availabilityZones: got \[.*\]; each zone once/),
      expect.stringMatching(/^environments\.prod\.availabilityZones: got \[.*\]; zones of one region/),
      'environments.prod.availabilityZones[1]: got "us-east-1b"; must be a zone of region eu-west-1',
    ]);
    envs.prod.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'us-east-1c'.replace('us-east', 'eu-west')];
    envs.prod.region = 'us-east-1';
    expect(errorOf(() => loadEnvironment(envs, 'prod')).problems).toEqual(
      [0, 1, 2].map((i) =>
        expect.stringMatching(new RegExp(`^environments\\.prod\\.availabilityZones\\[${i}\\]: got "eu-west-1.*must be a zone of region us-east-1`)),
      ),
    );
  });

  test('manual approval names who approves: role ARNs and/or an IAM Identity Center permission set', () => {
    const envs = sampleEnvironments();
    delete (envs.prod as Partial<EnvironmentConfig>).approvers;
    expect(errorOf(() => loadEnvironment(envs, 'prod')).problems).toEqual([
      expect.stringMatching(/^environments\.prod\.approvers: got nothing .*approvalMode manual needs approvers/),
    ]);
    envs.prod.approvers = { roleArns: ['arn:aws:iam::1:role/x'], ssoPermissionSetName: 'has space' };
    expect(errorOf(() => loadEnvironment(envs, 'prod')).problems).toEqual([
      expect.stringMatching(/^environments\.prod\.approvers\.roleArns\[0\]: got "arn:aws:iam::1:role\/x"; an IAM role ARN/),
      expect.stringMatching(/^environments\.prod\.approvers\.ssoPermissionSetName: got "has space"; an IAM Identity Center permission set name/),
    ]);
    envs.prod.approvers = { roleArns: [] };
    expect(errorOf(() => loadEnvironment(envs, 'prod')).problems).toEqual([
      expect.stringMatching(/^environments\.prod\.approvers: got \{.*\}; name at least one role ARN or a permission set/),
    ]);
  });

  describe('traffic profiles that are valid figure by figure but cannot be served: one line naming environment, model, key and why', () => {
    const problemsOf = (mutate: (model: EnvironmentConfig['models'][number]) => void): readonly string[] => {
      const envs = sampleEnvironments();
      mutate(envs.dev.models[0]);
      return errorOf(() => loadEnvironment(envs, 'dev')).problems;
    };

    test('a p99 objective below one inference', () => {
      expect(problemsOf((m) => Object.assign(m.traffic, { p99LatencyMs: 5 }))).toEqual([
        "environments.dev.models[0].traffic.p99LatencyMs (model 'churn-classifier'): got 5; must be at least computeMsPerInference (8 ms): one inference alone takes longer than the objective",
      ]);
    });

    test('a peak below the average rate of the monthly requests', () => {
      expect(problemsOf((m) => Object.assign(m.traffic, { monthlyRequests: 4_000_000_000, peakRps: 1 }))).toEqual([
        "environments.dev.models[0].traffic.peakRps (model 'churn-classifier'): got 1; must be at least the average rate of monthlyRequests (4000000000 over a 730-hour month = 1522.07 RPS): capacity sized for a lower peak would throttle",
      ]);
    });

    test('a GPU model forced onto Lambda', () => {
      expect(problemsOf((m) => Object.assign(m, { traffic: { ...m.traffic, gpu: true }, forceTarget: 'lambda' }))).toEqual([
        'environments.dev.models[0].forceTarget (model \'churn-classifier\'): got "lambda"; a model with traffic.gpu true can only be served on eks (Lambda and Fargate have no GPU)',
      ]);
    });

    test('a model no target can hold (200,000 MB): the decision matrix says why for each target', () => {
      const problems = problemsOf((m) => Object.assign(m.traffic, { memoryMb: 200_000 }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^environments\.dev\.models\[0\]\.traffic \(model 'churn-classifier'\): No serving target fits this traffic profile: lambda: needs 200512 MB .*Lambda's maximum is 10240 MB; fargate: .*; eks: /,
      );
      expect(problems[0]).not.toContain('\n');
    });

    test('a forced target that breaks a hard limit names forceTarget', () => {
      const problems = problemsOf((m) =>
        Object.assign(m, { traffic: { ...m.traffic, payloadKb: 8192, p99LatencyMs: 3000, computeMsPerInference: 200, teamSize: 3 }, forceTarget: 'lambda' }),
      );
      expect(problems).toEqual([
        expect.stringMatching(/^environments\.dev\.models\[0\]\.forceTarget \(model 'churn-classifier'\): forceTarget 'lambda' breaks a hard limit: /),
      ]);
    });
  });

  test('a context without environments is rejected', () => {
    expect(() => loadEnvironment(undefined, 'dev')).toThrow(/^environments: got undefined; expected an object of named environments/);
  });
});
