import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AssetStaging } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildPlatformStacks } from '../../support/platform-stacks';
import { startS3rver } from '../../support/s3rver';
import { customerEventsCsv } from '../lambdas/ingest/fixtures/customer-events';
import { objectCreatedEvent } from '../lambdas/ingest/fixtures/object-created-event';

/** The platform stack of one configured environment, with its data and network stacks; bundles the real handlers unless told not to. */
function buildPlatformStack(environmentName: string, bundle: boolean) {
  const { config, platform } = buildPlatformStacks(environmentName, { bundle });
  return { config, platform, template: Template.fromStack(platform) };
}

function functionProps(template: Template, description: RegExp) {
  const functions = template.findResources('AWS::Lambda::Function');
  const match = Object.entries(functions).find(([, f]) => description.test(f.Properties.Description ?? ''));
  if (!match) throw new Error(`no function ${description}`);
  return { id: match[0], props: match[1].Properties };
}

function policyOf(template: Template, logicalIdPrefix: string): string {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(logicalIdPrefix));
  if (!entry) throw new Error(`no policy ${logicalIdPrefix}`);
  return JSON.stringify(entry[1].Properties.PolicyDocument);
}

describe('PlatformStack (dev, handlers bundled)', () => {
  const { config, platform, template } = buildPlatformStack('dev', true);

  test('three functions on Node.js 24 / arm64 with the chosen memory, timeout and reserved concurrency', () => {
    const sizing = [
      [/^Bronze object/, 3538, 900, 10],
      [/^Silver Parquet/, 1024, 900, 5],
      [/^Approved model package/, 512, 600, 2],
    ] as const;
    for (const [description, memory, timeout, reserved] of sizing) {
      const { props } = functionProps(template, description);
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: memory,
        Timeout: timeout,
        ReservedConcurrentExecutions: reserved,
      });
    }
  });

  test('environment variables exactly as the handlers read them', () => {
    const ingest = functionProps(template, /^Bronze object/).props.Environment.Variables;
    expect(Object.keys(ingest).sort()).toEqual(['INGEST_MAX_RECORD_BYTES', 'QUARANTINE_PREFIX', 'SILVER_BUCKET']);
    expect(ingest.QUARANTINE_PREFIX).toBe('quarantine/');
    const materialize = functionProps(template, /^Silver Parquet/).props.Environment.Variables;
    expect(Object.keys(materialize).sort()).toEqual(['FAILURE_REPORT_BUCKET', 'FEATURE_GROUPS', 'PUT_RECORD_CONCURRENCY']);
    // The groups' physical names carry the environment, so environments can share an account.
    expect(JSON.parse(materialize.FEATURE_GROUPS)).toEqual(config.featureGroups.map((g) => ({ ...g, name: `dev-${g.name}` })));
    expect(materialize.PUT_RECORD_CONCURRENCY).toBe('32');
    const promote = functionProps(template, /^Approved model package/).props.Environment.Variables;
    expect(Object.keys(promote).sort()).toEqual([
      'EVALUATION_GATES',
      'MODEL_PACKAGE_GROUPS',
      'MODEL_REPOSITORY_BUCKET',
      'MODEL_REPOSITORY_PREFIX',
      'PROMOTION_ARCHIVE_LIMITS',
    ]);
    // dev's churn-classifier serves in 1024 MB: models up to 512 MiB, archives up to 2 × that + 64 MiB.
    expect(JSON.parse(promote.PROMOTION_ARCHIVE_LIMITS)).toEqual({
      'churn-classifier': { maxModelBytes: 512 * 1024 * 1024, maxExpandedBytes: 1088 * 1024 * 1024, maxEntries: 1000, maxHeaderBytes: 16384 },
    });
    expect(promote.MODEL_REPOSITORY_PREFIX).toBe('models/');
    expect(JSON.parse(promote.MODEL_PACKAGE_GROUPS)).toEqual({ 'dev-churn-classifier': 'churn-classifier' });
    expect(JSON.parse(promote.EVALUATION_GATES)).toEqual({ 'churn-classifier': { metric: 'validation:auc', comparison: '>=', threshold: 0.75 } });
  });

  test('ingest: bronze Object Created → queue (DLQ after 5 receives) → function with batch item failures', () => {
    const ingest = functionProps(template, /^Bronze object/);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ 'Fn::ImportValue': Match.stringLikeRegexp('LakehouseBronzeBucket') }] } },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ingest.id },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 5400,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
  });

  test('ingest may read bronze, read/write silver datasets/, write quarantine/ — and nothing it does not need', () => {
    const policy = policyOf(template, 'IngestRolePermissions');
    expect(policy).toMatch(/LakehouseBronzeBucket[^"]*"},"\/\*"/);
    expect(policy).toContain('"/datasets/*"');
    expect(policy).toContain('"/quarantine/*"');
    expect(policy).toContain('"s3:AbortMultipartUpload","s3:PutObject"');
    expect(policy).not.toMatch(/s3:DeleteObject|s3:\*|PutObjectLegalHold|sagemaker:/);
  });

  test('materialize: silver datasets/ Object Created → queue → function; PutRecord on the feature group; failure reports only', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ object: { key: [{ prefix: 'datasets/' }] } }) }),
    });
    const policy = policyOf(template, 'MaterializeFeaturesRolePermissions');
    // PutRecord (online) and DescribeFeatureGroup (where the offline store is) on the environment's own group only.
    expect(policy).toContain('"Action":["sagemaker:DescribeFeatureGroup","sagemaker:PutRecord"]');
    expect(policy).toContain(':feature-group/dev-customer-churn-features"');
    expect(policy).toContain('"/materialization-failures/*"');
    expect(policy).toContain('"/materialization-progress/*"');
    expect(policy).toContain('"/feature-store/*"');
    expect(policy).not.toMatch(/quarantine|s3:DeleteObject|GetRecord/);
  });

  test('model package groups are named <env>-<model>', () => {
    expect(platform.modelRegistry.groupName('churn-classifier')).toBe('dev-churn-classifier');
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'dev-churn-classifier' });
  });

  test('promote: Approved rule on the dev groups → function (async, 2 retries, on-failure destination); describe packages; read artifacts, write repository', () => {
    const promote = functionProps(template, /^Approved model package/);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['dev-churn-classifier'], ModelApprovalStatus: ['Approved'] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [promote.id, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: promote.id },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PromoteModelDeadLetterQueue'), 'Arn'] } } },
    });
    const policy = policyOf(template, 'PromoteModelRolePermissions');
    expect(policy).toContain('"Action":"sagemaker:DescribeModelPackage"');
    expect(policy).toContain(':model-package/dev-churn-classifier/*');
    expect(policy).not.toContain(':model-package/churn-classifier/*');
    expect(policy).toContain('"/model-artifacts/*"');
    expect(policy).toContain('"/models/*"');
    expect(policy).not.toMatch(/sagemaker:UpdateModelPackage|sagemaker:CreateModelPackage/);
  });

  test('dev: auto approval (no approver role), dev resources are deleted with the stack', () => {
    expect(platform.modelRegistry.approvalMode).toBe('auto');
    expect(platform.modelRegistry.approverRole).toBeUndefined();
    template.hasResource('AWS::SageMaker::FeatureGroup', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::SageMaker::ModelPackageGroup', { DeletionPolicy: 'Delete' });
  });

  test('the ingest bundle carries the parquet-wasm module and the encoder worker beside index.js', () => {
    const staging = platform.ingest.function.node.findChild('Code').node.findChild('Stage') as AssetStaging;
    expect(readdirSync(staging.absoluteStagedPath).sort()).toEqual(['index.js', 'parquet-encoder-worker.js', 'parquet_wasm_bg.wasm']);
    // The worker is bundled with its dependencies: nothing is left to resolve from node_modules at run time.
    const worker = readFileSync(join(staging.absoluteStagedPath, 'parquet-encoder-worker.js'), 'utf8');
    expect(worker).not.toMatch(/require\(["'](parquet-wasm|apache-arrow)["']\)/);
    expect(worker).toContain('parquet_wasm_bg.wasm');
  });

  test('the bundled promote function loads with MODEL_PACKAGE_GROUPS (tar-stream bundled in) and refuses a malformed one at init', async () => {
    const staging = platform.promoteModel.function.node.findChild('Code').node.findChild('Stage') as AssetStaging;
    const bundle = readFileSync(join(staging.absoluteStagedPath, 'index.js'), 'utf8');
    expect(bundle).not.toMatch(/require\(["']tar-stream["']\)/);
    const run = (groups: string) =>
      promisify(execFile)(process.execPath, ['-e', 'require("./index.js"); console.log("LOADED")'], {
        cwd: staging.absoluteStagedPath,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          MODEL_REPOSITORY_BUCKET: 'repo',
          MODEL_PACKAGE_GROUPS: groups,
          POWERTOOLS_TRACE_ENABLED: 'false',
        },
      });
    const promote = functionProps(template, /^Approved model package/).props.Environment.Variables;
    await expect(run(promote.MODEL_PACKAGE_GROUPS)).resolves.toMatchObject({ stdout: 'LOADED\n' });
    await expect(run('["dev-churn-classifier"]')).rejects.toThrow(/MODEL_PACKAGE_GROUPS must be a JSON object/);
  });

  test('the bundled ingest function, as deployed, turns a bronze CSV into silver Parquet and quarantine (S3 on loopback)', async () => {
    const staging = platform.ingest.function.node.findChild('Code').node.findChild('Stage') as AssetStaging;
    const s3rver = await startS3rver(['bronze', 'silver']);
    try {
      const key = 'customer-events/2026/11/events.csv';
      const { ETag } = await s3rver.s3.send(new PutObjectCommand({ Bucket: 'bronze', Key: key, Body: customerEventsCsv() }));
      const body = JSON.stringify(objectCreatedEvent({ bucket: 'bronze', key, etag: ETag!.replace(/"/g, '') }));
      const event = {
        Records: [
          {
            messageId: 'm-1',
            receiptHandle: 'h-1',
            body,
            attributes: {},
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:ingest',
            awsRegion: 'us-east-1',
          },
        ],
      };
      // The function's environment as synthesized (bucket names are tokens there, so the bucket is s3rver's).
      const deployedEnvironment = functionProps(template, /^Bronze object/).props.Environment.Variables as Record<string, string>;
      // Out of process and asynchronously: s3rver answers from this process's event loop.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['-e', 'require("./index.js").handler(JSON.parse(process.env.EVENT), { awsRequestId: "r-1" }).then((r) => console.log("RESULT " + JSON.stringify(r)))'],
        {
          cwd: staging.absoluteStagedPath,
          env: {
            PATH: process.env.PATH,
            ...s3rver.sdkEnvironment,
            ...deployedEnvironment,
            SILVER_BUCKET: 'silver',
            EVENT: JSON.stringify(event),
            POWERTOOLS_TRACE_ENABLED: 'false',
            AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
          },
        },
      );
      expect(stdout).toContain('RESULT {"batchItemFailures":[]}');
      const { Contents = [] } = await s3rver.s3.send(new ListObjectsV2Command({ Bucket: 'silver' }));
      expect(Contents.map((o) => o.Key).sort()).toEqual([
        expect.stringMatching(/^datasets\/dataset=customer-events\/ingest_date=\d{4}-\d{2}-\d{2}\/events-[0-9a-f]+\.parquet$/),
        expect.stringMatching(/^quarantine\/dataset=customer-events\/ingest_date=\d{4}-\d{2}-\d{2}\/events-[0-9a-f]+\.jsonl$/),
      ]);
    } finally {
      await s3rver.stop();
    }
  });
});

describe('PlatformStack (prod)', () => {
  const { platform, template } = buildPlatformStack('prod', false);

  test('manual approval: an approver role, and every group denies Approved to anyone else', () => {
    expect(platform.modelRegistry.approverRole).toBeDefined();
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 3);
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'prod-fraud-scorer',
      ModelPackageGroupPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'OnlyTheApproverMayApprove', Effect: 'Deny' }),
          Match.objectLike({ Sid: 'ProductionAccountReads' }),
        ]),
      },
    });
  });

  test('prod groups, the Approved rule, the approver role and the promotion env var all use prod-<model>', () => {
    const groups = ['prod-churn-classifier', 'prod-fraud-scorer', 'prod-doc-embedder'];
    expect(
      Object.values(template.findResources('AWS::SageMaker::ModelPackageGroup'))
        .map((g) => g.Properties.ModelPackageGroupName)
        .sort(),
    ).toEqual([...groups].sort());
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { ModelPackageGroupName: groups, ModelApprovalStatus: ['Approved'] } }),
    });
    const approver = policyOf(template, 'ModelRegistryApproverRolePermissions');
    for (const group of groups) expect(approver).toContain(`:model-package/${group}/*`);
    const promote = functionProps(template, /^Approved model package/).props.Environment.Variables;
    expect(JSON.parse(promote.MODEL_PACKAGE_GROUPS)).toEqual({
      'prod-churn-classifier': 'churn-classifier',
      'prod-fraud-scorer': 'fraud-scorer',
      'prod-doc-embedder': 'doc-embedder',
    });
  });

  test('prod resources are retained; online TTL from the config', () => {
    template.hasResource('AWS::SageMaker::FeatureGroup', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', { OnlineStoreConfig: Match.objectLike({ TtlDuration: { Unit: 'Days', Value: 90 } }) });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });
});
