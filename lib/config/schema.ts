import { z } from 'zod';
import { driftDetectionConfigSchema, modelDriftConfigSchema } from '../drift/drift-config';
import { featureGroupsSchema } from '../features/feature-group';
import { monitoringConfigSchema } from './monitoring';
import { approversSchema, checkApprovers } from './approvers';
import { availabilityZonesSchema, checkAvailabilityZones } from './availability-zones';
import { trainingConfigSchema, unknownTrainedModels } from '../training/training-config';
import { DEFAULT_INGEST_MAX_RECORD_BYTES, ingestConfigSchema } from './ingest';
import { promotionConfigSchema } from './promotion';
import { checkForcedTarget, checkTrafficConsistency } from './traffic-consistency';

/**
 * The environment config schema: the `environments` context of `cdk.json`.
 * Every object is strict, so a misspelt key is an error rather than a silently ignored default.
 */

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

/** How a model is called: the inputs of the serving decision matrix. */
export const trafficProfileSchema = z
  .strictObject({
    /** Inference requests per month. */
    monthlyRequests: z.number().int().nonnegative(),
    /** Highest sustained requests per second the model must absorb. */
    peakRps: nonNegative,
    /** The p99 latency objective, end to end, in milliseconds. */
    p99LatencyMs: z.number().positive(),
    /** Request payload size in KB. */
    payloadKb: z.number().positive(),
    /** Model compute time per inference on one vCPU (or one GPU when `gpu`), in ms. */
    computeMsPerInference: z.number().positive(),
    /** Memory one serving instance needs for the model, in MB. */
    memoryMb: positiveInt,
    /** Whether the model needs a GPU to meet its latency objective. */
    gpu: z.boolean(),
    /** People in the team that operates this model. */
    teamSize: positiveInt,
  })
  .superRefine(checkTrafficConsistency);
export type TrafficProfile = z.infer<typeof trafficProfileSchema>;

export const servingTargetSchema = z.enum(['lambda', 'fargate', 'eks']);
export type ServingTarget = z.infer<typeof servingTargetSchema>;

export const modelSchema = z
  .strictObject({
    /** Model name: lower-case letters, digits and hyphens; used in resource names and the registry. */
    name: z.string().regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'lower-case letters, digits and hyphens, 3-40 characters'),
    traffic: trafficProfileSchema,
    /** Overrides the decision matrix; the decision is still computed and recorded. */
    forceTarget: servingTargetSchema.optional(),
    /** Inference capture and drift thresholds (lib/drift/drift-config.ts); absent: no capture, no drift detection. */
    drift: modelDriftConfigSchema.optional(),
  })
  .superRefine(checkForcedTarget);
export type ModelConfig = z.infer<typeof modelSchema>;

export const lakehouseConfigSchema = z.strictObject({
  /** Days after which bronze objects move to S3 Standard-IA. */
  bronzeInfrequentAccessDays: z.number().int().min(30),
  /** Days after which bronze objects move to Glacier Flexible Retrieval. */
  bronzeArchiveDays: positiveInt,
  /** Days after which silver objects move to S3 Standard-IA. */
  silverInfrequentAccessDays: z.number().int().min(30),
  /** Days after which noncurrent object versions are deleted, in every tier. */
  noncurrentVersionExpirationDays: positiveInt,
  /** Days after which incomplete multipart uploads are aborted. */
  abortIncompleteMultipartUploadDays: positiveInt,
  /** Days server access logs are kept. */
  accessLogRetentionDays: positiveInt,
});
export type LakehouseConfig = z.infer<typeof lakehouseConfigSchema>;

export const environmentSchema = z
  .strictObject({
    /** AWS account ID; omitted for environment-agnostic synth. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account ID')
      .optional(),
    /** AWS region, e.g. us-east-1; omitted for environment-agnostic synth. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1')
      .optional(),
    /** `destroy` deletes data with the stack (dev only); `retain` keeps it. */
    removalPolicy: z.enum(['retain', 'destroy']),
    dataClassification: z.enum(['public', 'internal', 'confidential', 'restricted']),
    costCenter: z.string().min(1),
    owner: z.string().min(1),
    /** Model approval in the registry: `auto` approves on a passing evaluation, `manual` waits for a person. */
    approvalMode: z.enum(['auto', 'manual']),
    /** Whether serving must run at least two instances across availability zones. */
    highAvailability: z.boolean(),
    /** Zones the VPC spans (lib/config/availability-zones.ts); required with highAvailability. @default - two zones */
    availabilityZones: availabilityZonesSchema.optional(),
    /** Who may assume the approver role in manual approval mode (lib/config/approvers.ts). */
    approvers: approversSchema.optional(),
    /** Name of an existing EKS cluster that serving may share; lowers the team-size bar for EKS. */
    sharedEksClusterName: z.string().min(1).optional(),
    lakehouse: lakehouseConfigSchema,
    models: z.array(modelSchema),
    /** Production account (12 digits) allowed to read this environment's model registry across accounts. */
    productionReaderAccountId: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account ID')
      .optional(),
    /** Who is emailed when an alarm of the environment fires (dead-letter queues, serving rollbacks); SNS asks each to confirm. */
    alertEmails: z.array(z.email('an email address such as oncall@example.com')).default([]),
    /** SageMaker feature groups materialized from silver datasets (see lib/features/feature-group.ts). */
    featureGroups: featureGroupsSchema.default([]),
    /** Grafana and the data-path alarm thresholds (lib/config/monitoring.ts). */
    monitoring: monitoringConfigSchema.default(() => monitoringConfigSchema.parse({})),
    /** GPU training: budget and one entry per trained model (see lib/training/training-config.ts); omit for no training. */
    training: trainingConfigSchema.optional(),
    /** When the drift detector runs (lib/drift/drift-config.ts); it checks every model with a `drift` block. */
    driftDetection: driftDetectionConfigSchema.prefault({}),
    /** Limits on what ingest reads as one record (see lib/config/ingest.ts). */
    ingest: ingestConfigSchema.default({ maxRecordBytes: DEFAULT_INGEST_MAX_RECORD_BYTES }),
    /** Limits on what a model package may expand to when promoted (see lib/config/promotion.ts). */
    promotion: promotionConfigSchema.prefault({}),
  })
  .superRefine((env, ctx) => {
    checkAvailabilityZones(env, ctx);
    checkApprovers(env, ctx);
    if (env.lakehouse.bronzeArchiveDays <= env.lakehouse.bronzeInfrequentAccessDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['lakehouse', 'bronzeArchiveDays'],
        message: `must be greater than lakehouse.bronzeInfrequentAccessDays (${env.lakehouse.bronzeInfrequentAccessDays})`,
      });
    }
    const seen = new Set<string>();
    env.models.forEach((model, index) => {
      if (seen.has(model.name)) {
        ctx.addIssue({ code: 'custom', path: ['models', index, 'name'], message: 'must be unique within the environment' });
      }
      seen.add(model.name);
    });
    const modelNames = env.models.map((model) => model.name);
    for (const [path, message] of unknownTrainedModels(env.training, modelNames)) ctx.addIssue({ code: 'custom', path, message });
  });
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

export const environmentsSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), environmentSchema);
export type EnvironmentsConfig = z.infer<typeof environmentsSchema>;
