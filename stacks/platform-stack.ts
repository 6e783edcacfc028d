import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { DriftDetection } from '../constructs/drift';
import { FeatureStore } from '../constructs/feature-store';
import { createFunctionsKey, FeatureMaterialization, Ingestion, ModelPromotion } from '../constructs/functions';
import type { ILakehouse, LakehouseTier } from '../constructs/lakehouse';
import { approverPrincipals, type IModelRepository, ModelRegistry } from '../constructs/model-registry';
import type { IQueueAlarms } from '../constructs/operations';
import type { EnvironmentConfig } from '../lib/config';
import { archiveLimitsByModel } from '../lib/config/promotion';
import { driftModelsOf } from '../lib/drift';
import { modelPackageGroupPrefix } from '../lib/registry';
import { evaluationGatesByModel } from '../lib/training';
import { removalPolicyOf } from './removal-policy';

/** A lakehouse with a Glue catalog: the feature store registers its offline tables in the gold database. */
export type CataloguedLakehouse = ILakehouse & { databaseName(tier: LakehouseTier): string };

export interface PlatformStackProps extends StackProps {
  /** The environment's name (`dev`, `prod`): prefixes the model package group names, so environments sharing an account do not collide. */
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  readonly lakehouse: CataloguedLakehouse;
  readonly modelRepository: IModelRepository;
  readonly vpc: ec2.IVpc;
  /**
   * Where the data-path constructs raise their dead-letter and backlog alarms (the environment's `OperationsAlerts`).
   * @default - no alarms
   */
  readonly alerts?: IQueueAlarms;
}

/** The data path of one environment: ingestion, feature store, model registry, promotion and drift detection. */
export class PlatformStack extends Stack {
  readonly featureStore: FeatureStore;
  readonly modelRegistry: ModelRegistry;
  readonly ingest: Ingestion;
  /** Absent when the environment declares no feature group. */
  readonly materializeFeatures?: FeatureMaterialization;
  readonly promoteModel: ModelPromotion;
  /** Absent when no model of the environment has a `drift` block. */
  readonly driftDetection?: DriftDetection;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config, lakehouse, modelRepository, vpc } = props;
    const removalPolicy = removalPolicyOf(config);
    const encryptionKey = createFunctionsKey(this, 'FunctionsKey', {
      description: `Encrypts the ${this.stackName} function logs, environments and queues`,
      removalPolicy,
    });
    const functionDefaults = { vpc, encryptionKey, removalPolicy };

    this.featureStore = new FeatureStore(this, 'FeatureStore', {
      featureGroups: config.featureGroups,
      lakehouse,
      goldDatabaseName: lakehouse.databaseName('gold'),
      // Feature group names are account-wide: the environment's name keeps environments sharing an account apart.
      groupNamePrefix: `${props.environmentName}-`,
      removalPolicy,
    });
    this.ingest = new Ingestion(this, 'Ingest', { ...functionDefaults, lakehouse, maxRecordBytes: config.ingest.maxRecordBytes });
    if (config.featureGroups.length > 0) {
      this.materializeFeatures = new FeatureMaterialization(this, 'MaterializeFeatures', { ...functionDefaults, lakehouse, featureStore: this.featureStore });
    }
    this.modelRegistry = new ModelRegistry(this, 'ModelRegistry', {
      modelNames: config.models.map((model) => model.name),
      groupNamePrefix: modelPackageGroupPrefix(props.environmentName),
      approvalMode: config.approvalMode,
      approvers: config.approvers ? approverPrincipals(config.approvers) : undefined,
      productionReaderAccountId: config.productionReaderAccountId,
      removalPolicy,
    });
    this.promoteModel = new ModelPromotion(this, 'PromoteModel', {
      ...functionDefaults,
      lakehouse,
      modelRepository,
      modelRegistry: this.modelRegistry,
      archiveLimits: archiveLimitsByModel(config.promotion, config.models),
      evaluationGates: evaluationGatesByModel(config.training),
    });

    const driftModels = driftModelsOf(config.models);
    if (driftModels.length > 0) {
      this.driftDetection = new DriftDetection(this, 'DriftDetection', {
        ...functionDefaults,
        environmentName: props.environmentName,
        models: driftModels,
        schedule: Duration.minutes(config.driftDetection.scheduleMinutes),
        lakehouse,
        modelRepository,
        modelRegistry: this.modelRegistry,
      });
    }

    if (props.alerts) {
      for (const dataPath of [this.ingest, this.materializeFeatures, this.promoteModel, this.driftDetection]) dataPath?.addAlarms(props.alerts);
    }
  }
}
