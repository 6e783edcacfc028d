import { App } from 'aws-cdk-lib';
import { DRIFT_DETECTOR_ENV } from '../../../lib/drift/detector-environment';
import {
  datasetObjectKey,
  DEFAULT_MODEL_REPOSITORY_PREFIX,
  driftDetectionMarkerKey,
  driftWatermarkKey,
  LAYOUT_ENVIRONMENT,
  materializationFailureKey,
  materializationProgressKey,
  MODEL_CONFIG_FILE,
  MODEL_FILE,
  modelVersionPrefix,
  offlineStoreObjectKey,
  quarantineObjectKey,
  type DatasetObject,
} from '../../../lib/lakehouse';
import { INPUT_MANIFEST_FILE, MODEL_DIRECTORY_FILES, runFileKey } from '../../../lib/training/training-layout';
import { buildPlatform } from '../../../stacks/platform-app';
import { fastCdkContext } from '../../support/cdk-context';

/**
 * Every key each platform Lambda writes (built with the lib/lakehouse layout functions the handlers use, into the
 * bucket its environment names) must be covered by an Allow statement of its own role for s3:PutObject in the
 * synthesized templates — so a layout change that the grants miss fails here, not as AccessDenied at run time.
 */

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const templates = new Map<string, { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }> }>();
const exportsByName = new Map<string, { stack: string; value: unknown }>();

/**
 * Resolves a template value to a string: `Ref`/`GetAtt` of a bucket become `<stack>.<logical id>` (its name) and
 * `arn:aws:s3:::<stack>.<logical id>` (its ARN), imports follow the exporting stack, pseudo parameters become samples.
 */
function resolve(stack: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) {
    const ref = object.Ref as string;
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': '111122223333',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[ref] ?? `${stack}.${ref}`;
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    const type = templates.get(stack)?.Resources[logicalId]?.Type;
    if (type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${stack}.${logicalId}`;
    return `${stack}.${logicalId}.${attribute}`;
  }
  if ('Fn::ImportValue' in object) {
    const name = resolve(stack, object['Fn::ImportValue']);
    const exported = exportsByName.get(name);
    if (!exported) throw new Error(`no export named ${name}`);
    return resolve(exported.stack, exported.value);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(stack, part)).join(separator);
  }
  if ('Fn::Select' in object) {
    const [index, list] = object['Fn::Select'] as [number, unknown];
    const items = 'Fn::Split' in (list as object) ? splitOf(stack, list) : (list as unknown[]).map((item) => resolve(stack, item));
    return items[index];
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

function splitOf(stack: string, value: unknown): string[] {
  const [separator, source] = (value as { 'Fn::Split': [string, unknown] })['Fn::Split'];
  return resolve(stack, source).split(separator);
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
function matches(pattern: string, text: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(text);
}

interface PlatformFunctionUnderTest {
  readonly stack: string;
  readonly environment: Record<string, string>;
  /** The Allow statements of every policy attached to its role. */
  readonly statements: { stack: string; statement: Statement }[];
}

function findFunction(description: RegExp): PlatformFunctionUnderTest {
  for (const [stack, template] of templates) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function' || !description.test((resource.Properties?.Description as string | undefined) ?? '')) continue;
      const properties = resource.Properties!;
      const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const environment = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(stack, value)]));
      const roleLogicalId = (properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const attached = new Set(((template.Resources[roleLogicalId]?.Properties?.ManagedPolicyArns ?? []) as { Ref?: string }[]).map((arn) => arn.Ref));
      const statements: { stack: string; statement: Statement }[] = [];
      for (const [policyLogicalId, policy] of Object.entries(template.Resources)) {
        if (policy.Type !== 'AWS::IAM::Policy' && policy.Type !== 'AWS::IAM::ManagedPolicy') continue;
        const roles = (policy.Properties?.Roles ?? []) as { Ref?: string }[];
        if (!attached.has(policyLogicalId) && !roles.some((role) => role.Ref === roleLogicalId)) continue;
        const document = policy.Properties!.PolicyDocument as { Statement: Statement[] };
        for (const statement of document.Statement) if (statement.Effect === 'Allow') statements.push({ stack, statement });
      }
      return { stack, environment, statements };
    }
  }
  throw new Error(`no function described ${description}`);
}

/** The statements that allow `action` on `objectArn` (resource patterns resolved in their own stack). */
function allowing(fn: PlatformFunctionUnderTest, action: string, objectArn: string): Statement[] {
  return fn.statements
    .filter(({ statement }) => [statement.Action].flat().some((a) => matches(a, action)))
    .filter(({ stack, statement }) => [statement.Resource].flat().some((resource) => matches(resolve(stack, resource), objectArn)))
    .map(({ statement }) => statement);
}

function expectWriteAllowed(fn: PlatformFunctionUnderTest, bucket: string, key: string): void {
  const objectArn = `arn:aws:s3:::${bucket}/${key}`;
  expect({ objectArn, allowedBy: allowing(fn, 's3:PutObject', objectArn).length > 0 }).toEqual({ objectArn, allowedBy: true });
}

function expectWriteDenied(fn: PlatformFunctionUnderTest, bucket: string, key: string): void {
  const objectArn = `arn:aws:s3:::${bucket}/${key}`;
  expect({ objectArn, allowedBy: allowing(fn, 's3:PutObject', objectArn).length }).toEqual({ objectArn, allowedBy: 0 });
}

const SOURCE: DatasetObject = { dataset: 'customer-events', ingestDate: '2026-05-01', sourceObjectId: 'events-0123456789abcdef0123' };

beforeAll(() => {
  const app = new App({ context: { ...fastCdkContext(), env: 'dev', 'aws:cdk:bundling-stacks': [] } });
  const platform = buildPlatform(app);
  const assembly = app.synth();
  for (const stack of platform.allStacks) templates.set(stack.stackName, assembly.getStackByName(stack.stackName).template);
  for (const [stack, template] of templates) {
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) exportsByName.set(resolve(stack, output.Export.Name), { stack, value: output.Value });
    }
  }
});

describe('every key a platform Lambda writes is covered by its role (dev)', () => {
  test('ingest: the Parquet file and the quarantine file of a source object, in the silver bucket its environment names', () => {
    const ingest = findFunction(/^Bronze object -> contract check/);
    const bucket = ingest.environment.SILVER_BUCKET;
    expectWriteAllowed(ingest, bucket, datasetObjectKey(SOURCE));
    expectWriteAllowed(ingest, bucket, quarantineObjectKey(SOURCE, ingest.environment[LAYOUT_ENVIRONMENT.quarantinePrefix]));
    // …and nothing beside them: not the prefixes other functions own.
    expectWriteDenied(ingest, bucket, materializationProgressKey('dev-customer-churn-features', SOURCE));
  });

  test('materialize-features: failure reports and progress markers in silver, offline-store files under feature-store/ in gold', () => {
    const materialize = findFunction(/^Silver Parquet -> feature records/);
    const silver = materialize.environment.FAILURE_REPORT_BUCKET;
    expectWriteAllowed(materialize, silver, materializationFailureKey('dev-customer-churn-features', SOURCE));
    expectWriteAllowed(materialize, silver, materializationProgressKey('dev-customer-churn-features', SOURCE));
    expectWriteDenied(materialize, silver, datasetObjectKey(SOURCE));
    // The offline store's location comes from DescribeFeatureGroup at run time: the group's S3Uri in the template.
    const offlineUris = [...templates].flatMap(([stack, template]) =>
      Object.values(template.Resources)
        .filter((resource) => resource.Type === 'AWS::SageMaker::FeatureGroup')
        .map((resource) => resolve(stack, (resource.Properties!.OfflineStoreConfig as { S3StorageConfig: { S3Uri: unknown } }).S3StorageConfig.S3Uri)),
    );
    expect(offlineUris.length).toBeGreaterThan(0);
    const [, gold, storePrefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(offlineUris[0])!;
    const dataKeyPrefix = `${storePrefix.replace(/\/?$/, '/')}111122223333/sagemaker/us-east-1/offline-store/dev-customer-churn-features-1764460800/data/`;
    expectWriteAllowed(
      materialize,
      gold,
      offlineStoreObjectKey(dataKeyPrefix, new Date('2026-05-01T08:00:00Z'), new Date('2026-05-01T08:59:00Z'), 'a1b2c3d4e5f6g7h8'),
    );
  });

  test('promote-model: the model and its config in the serving layout of the repository its environment names', () => {
    const promote = findFunction(/^Approved model package -> serving model repository/);
    const bucket = promote.environment.MODEL_REPOSITORY_BUCKET;
    const prefix = promote.environment[LAYOUT_ENVIRONMENT.modelRepositoryPrefix] ?? DEFAULT_MODEL_REPOSITORY_PREFIX;
    for (const file of [MODEL_FILE, MODEL_CONFIG_FILE]) expectWriteAllowed(promote, bucket, `${modelVersionPrefix(prefix, 'churn-classifier', '3')}${file}`);
    expectWriteDenied(promote, bucket, 'elsewhere/churn-classifier/3/model.onnx');
  });

  test('drift-detector: its watermark and detection markers in silver', () => {
    const detector = findFunction(/^Inference capture vs training baseline/);
    const bucket = detector.environment[DRIFT_DETECTOR_ENV.silverBucket];
    expectWriteAllowed(detector, bucket, driftWatermarkKey('churn-classifier', '3'));
    expectWriteAllowed(detector, bucket, driftDetectionMarkerKey('churn-classifier', '3', 'window-1'));
    expectWriteDenied(detector, bucket, datasetObjectKey(SOURCE));
  });

  test('training steps: the input manifest, evaluation report and drift baseline in the run prefix of its own model', () => {
    const steps = findFunction(/^Training pipeline of /);
    const config = JSON.parse(steps.environment.PIPELINE_CONFIG) as { outputBucket: string; model: string };
    for (const file of [INPUT_MANIFEST_FILE, MODEL_DIRECTORY_FILES.evaluationReport, MODEL_DIRECTORY_FILES.driftBaseline]) {
      expectWriteAllowed(steps, config.outputBucket, runFileKey(config.model, 'run-1', file));
    }
    expectWriteDenied(steps, config.outputBucket, runFileKey('another-model', 'run-1', MODEL_DIRECTORY_FILES.evaluationReport));
  });
});
