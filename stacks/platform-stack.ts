import * as path from 'node:path';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { FeatureStore } from '../constructs/feature-store';
import {
  createFunctionsKey,
  grantListBucket,
  grantObjectCopySource,
  grantObjectRead,
  grantObjectWrite,
  ObjectCreatedTrigger,
  PlatformFunction,
} from '../constructs/functions';
import type { ILakehouse, LakehouseTier } from '../constructs/lakehouse';
import { ModelRegistry, type ModelRepository } from '../constructs/model-registry';
import type { EnvironmentConfig } from '../lib/config';
import { DATASETS_PREFIX as SILVER_DATASETS_PREFIX, LAYOUT_ENVIRONMENT, MATERIALIZATION_FAILURES_PREFIX, MODEL_ARTIFACTS_PREFIX } from '../lib/lakehouse';
import { evaluationGatesByModel } from '../lib/training';
import { removalPolicyOf } from './removal-policy';

const LAMBDAS = path.join(__dirname, '..', 'lambdas');

/** A lakehouse with a Glue catalog: the feature store registers its offline tables in the gold database. */
export type CataloguedLakehouse = ILakehouse & { databaseName(tier: LakehouseTier): string };

export interface PlatformStackProps extends StackProps {
  /** The environment's name (`dev`, `prod`): prefixes the model package group names, so environments sharing an account do not collide. */
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  readonly lakehouse: CataloguedLakehouse;
  readonly modelRepository: ModelRepository;
  readonly vpc: ec2.IVpc;
}

/** The data path of one environment: ingestion, feature store, model registry and promotion. */
export class PlatformStack extends Stack {
  readonly featureStore: FeatureStore;
  readonly modelRegistry: ModelRegistry;
  readonly ingest: PlatformFunction;
  readonly ingestTrigger: ObjectCreatedTrigger;
  /** Absent when the environment declares no feature group. */
  readonly materializeFeatures?: PlatformFunction;
  readonly materializeTrigger?: ObjectCreatedTrigger;
  readonly promoteModel: PlatformFunction;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config, lakehouse, modelRepository, vpc } = props;
    const removalPolicy = removalPolicyOf(config);
    const encryptionKey = createFunctionsKey(this, 'FunctionsKey', { description: `Encrypts the ${this.stackName} function logs, environments and queues`, removalPolicy });
    const functionDefaults = { vpc, encryptionKey, removalPolicy };

    this.featureStore = new FeatureStore(this, 'FeatureStore', {
      featureGroups: config.featureGroups,
      lakehouse,
      goldDatabaseName: lakehouse.databaseName('gold'),
      removalPolicy,
    });

    // Parsing, validation and Parquet encoding are CPU-bound and memory stays under 256 MB whatever the file size
    // (bench:ingest), so memory buys CPU: 3538 MB is two full vCPUs, one for parsing and validation and one for the
    // Parquet encoder's worker thread, which then overlap. One object per invocation, up to 15 minutes.
    this.ingest = new PlatformFunction(this, 'Ingest', {
      ...functionDefaults,
      entry: path.join(LAMBDAS, 'ingest', 'handler.ts'),
      description: 'Bronze object -> contract check -> silver Parquet + quarantine',
      memorySize: 3538,
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 10,
      environment: { SILVER_BUCKET: lakehouse.silverBucket.bucketName, [LAYOUT_ENVIRONMENT.quarantinePrefix]: lakehouse.quarantinePrefix },
      // parquet-wasm reads its WebAssembly module from the bundle's folder at load time.
      bundledFiles: ['node_modules/parquet-wasm/node/parquet_wasm_bg.wasm'],
      // The Parquet encoder runs in a worker thread started from the bundle's folder.
      additionalEntryPoints: ['lambdas/ingest/parquet-encoder-worker.js'],
    });
    const silver = (keyPattern: string) => ({ bucket: lakehouse.silverBucket, encryptionKey: lakehouse.encryptionKey, keyPattern });
    grantObjectRead(this.ingest.role, { bucket: lakehouse.bronzeBucket, encryptionKey: lakehouse.encryptionKey, keyPattern: '*' });
    // Read on datasets/ and ListBucket: the idempotency check (HeadObject) must tell "absent" (404) from "forbidden" (403).
    grantObjectRead(this.ingest.role, silver(`${SILVER_DATASETS_PREFIX}*`));
    grantListBucket(this.ingest.role, lakehouse.silverBucket);
    grantObjectWrite(this.ingest.role, silver(`${SILVER_DATASETS_PREFIX}*`));
    grantObjectWrite(this.ingest.role, silver(`${lakehouse.quarantinePrefix}*`));
    acknowledgeObjectPatterns(this.ingest, [
      [lakehouse.bronzeBucket, '*', 'it reads whichever raw file lands in bronze (any dataset, any key)'],
      [lakehouse.silverBucket, `${SILVER_DATASETS_PREFIX}*`, 'it writes and checks the Parquet file of each source object version under datasets/'],
      [lakehouse.silverBucket, `${lakehouse.quarantinePrefix}*`, 'it writes the rejected records of each source object version to quarantine'],
    ]);
    this.ingestTrigger = new ObjectCreatedTrigger(this, 'IngestTrigger', { bucket: lakehouse.bronzeBucket, target: this.ingest });

    if (config.featureGroups.length > 0) {
      // Network-bound (PutRecord, 16 in flight) with one row group of Parquet in memory: 1024 MB, 15 minutes per file.
      const materialize = new PlatformFunction(this, 'MaterializeFeatures', {
        ...functionDefaults,
        entry: path.join(LAMBDAS, 'materialize-features', 'handler.ts'),
        description: 'Silver Parquet -> feature records -> Feature Store PutRecord',
        memorySize: 1024,
        timeout: Duration.minutes(15),
        reservedConcurrentExecutions: 5,
        environment: {
          FEATURE_GROUPS: JSON.stringify(config.featureGroups),
          FAILURE_REPORT_BUCKET: lakehouse.silverBucket.bucketName,
          PUT_RECORD_CONCURRENCY: '16',
        },
      });
      grantObjectRead(materialize.role, silver(`${SILVER_DATASETS_PREFIX}*`));
      grantObjectWrite(materialize.role, silver(`${MATERIALIZATION_FAILURES_PREFIX}*`));
      this.featureStore.grantWriteAll(materialize.role);
      acknowledgeObjectPatterns(materialize, [
        [lakehouse.silverBucket, `${SILVER_DATASETS_PREFIX}*`, 'it reads each new silver Parquet file under datasets/'],
        [lakehouse.silverBucket, `${MATERIALIZATION_FAILURES_PREFIX}*`, 'it writes one failure report per (feature group, source file)'],
      ]);
      this.materializeTrigger = new ObjectCreatedTrigger(this, 'MaterializeTrigger', {
        bucket: lakehouse.silverBucket,
        keyPrefix: SILVER_DATASETS_PREFIX,
        target: materialize,
      });
      this.materializeFeatures = materialize;
    }

    // An .onnx artifact is two server-side copies; a model.tar.gz streams through the function (gunzip, tar, a multipart
    // upload holding up to 4 parts of 5 MB): 512 MB for the CPU to gunzip, and 10 minutes for a model of a few GB.
    this.promoteModel = new PlatformFunction(this, 'PromoteModel', {
      ...functionDefaults,
      entry: path.join(LAMBDAS, 'promote-model', 'handler.ts'),
      description: 'Approved model package -> serving model repository layout',
      memorySize: 512,
      timeout: Duration.minutes(10),
      reservedConcurrentExecutions: 2,
      asyncFailureHandling: 'on-failure-destination',
      retryAttempts: 2,
      environment: {
        MODEL_REPOSITORY_BUCKET: modelRepository.bucket.bucketName,
        [LAYOUT_ENVIRONMENT.modelRepositoryPrefix]: modelRepository.prefix,
        // The training gates: a package is promoted only if its evaluation report passes its model's gate.
        EVALUATION_GATES: JSON.stringify(evaluationGatesByModel(config.training)),
      },
    });
    modelRepository.grantWrite(this.promoteModel.role);
    grantObjectCopySource(this.promoteModel.role, { bucket: lakehouse.goldBucket, encryptionKey: lakehouse.encryptionKey, keyPattern: `${MODEL_ARTIFACTS_PREFIX}*` });
    // A missing config.json beside the artifact must read as 404 (optional file), not 403.
    grantListBucket(this.promoteModel.role, lakehouse.goldBucket);
    acknowledgeObjectPatterns(this.promoteModel, [
      [lakehouse.goldBucket, `${MODEL_ARTIFACTS_PREFIX}*`, 'it copies or unpacks the registered ONNX artifact or model.tar.gz and its config.json, whose keys the training pipeline chooses'],
      [modelRepository.bucket, `${modelRepository.prefix}*`, 'it writes {model}/{version}/model.onnx and config.json for versions that do not exist yet'],
    ]);
    acknowledgeModelRepositoryGrant(this.promoteModel);

    this.modelRegistry = new ModelRegistry(this, 'ModelRegistry', {
      modelNames: config.models.map((model) => model.name),
      groupNamePrefix: `${props.environmentName}-`,
      approvalMode: config.approvalMode,
      productionReaderAccountId: config.productionReaderAccountId,
      promotionFunction: this.promoteModel.function,
      promotionDeadLetterQueue: this.promoteModel.deadLetterQueue,
      removalPolicy,
    });
    this.modelRegistry.grantDescribe(this.promoteModel.role);
    this.promoteModel.function.addEnvironment('MODEL_PACKAGE_GROUPS', JSON.stringify(this.modelRegistry.modelNamesByGroup()));
    for (const modelName of this.modelRegistry.modelNames) {
      this.promoteModel.acknowledgeWildcardResource(
        this.modelRegistry.packageArnPattern(modelName),
        `DescribeModelPackage on the versions of the ${this.modelRegistry.groupName(modelName)} group: versions are numbered by SageMaker as they are registered, ` +
          'so the ARN can only name the group and leave the version open.',
      );
    }
  }
}

/** One IAM5 acknowledgment per object prefix a function reads or writes: [bucket, key pattern, why it is a pattern]. */
function acknowledgeObjectPatterns(fn: PlatformFunction, patterns: ReadonlyArray<readonly [s3.IBucket, string, string]>): void {
  for (const [bucket, keyPattern, why] of patterns) {
    fn.acknowledgeWildcardResource(
      bucket.arnForObjects(keyPattern),
      `Object keys are only known at run time: ${why}. The pattern names the bucket and the narrowest prefix.`,
    );
  }
}

/** The model repository's own grant (read and write on its prefix) uses CDK's bucket action groups. */
function acknowledgeModelRepositoryGrant(fn: PlatformFunction): void {
  const reason =
    "Granted by ModelRepository.grantWrite, the repository's one write grant (CDK bucket action groups) on the models/ prefix " +
    'and its key only; promotion reads (idempotency check) and writes the serving layout there.';
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
    fn.acknowledgeWildcardAction(action, reason);
  }
}
