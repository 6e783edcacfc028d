import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Ingestion, ModelPromotion } from 'mlops-blueprint/constructs/functions';
import { LakehouseStorage } from 'mlops-blueprint/constructs/lakehouse';
import { ModelRegistry, ModelRepository, permissionSetPrincipal } from 'mlops-blueprint/constructs/model-registry';
import { PlatformNetwork } from 'mlops-blueprint/constructs/network';
import { MetricsWorkspace, OperationsAlerts } from 'mlops-blueprint/constructs/operations';
import { createServingImage, ModelServing } from 'mlops-blueprint/constructs/serving';
import { registerPolicyGates } from 'mlops-blueprint/policy-gates';

const app = new App();
registerPolicyGates(app); // cdk-nag AwsSolutions + NIST 800-53 R5, cfn-guard Control Tower rules
const stack = new Stack(app, 'RiskModels', { env: { account: '111122223333', region: 'eu-west-1' } });

const network = new PlatformNetwork(stack, 'Network');
const lake = new LakehouseStorage(stack, 'Lake', { removalPolicy: RemovalPolicy.RETAIN });
const models = new ModelRepository(stack, 'Models', { serverAccessLogsBucket: lake.accessLogsBucket });
const registry = new ModelRegistry(stack, 'Registry', {
  modelNames: ['credit-risk'],
  approvalMode: 'manual',
  approvers: [permissionSetPrincipal('MLReleaseManager')], // who may approve a model version
});
const alerts = new OperationsAlerts(stack, 'Alerts', { emailSubscribers: ['oncall@example.com'] });
const metrics = new MetricsWorkspace(stack, 'Metrics', { alertTopic: alerts.topic });

// The data path: raw files → contract check → silver Parquet; approved model packages → the serving repository.
const ingestion = new Ingestion(stack, 'Ingest', { lakehouse: lake, vpc: network.vpc });
const promotion = new ModelPromotion(stack, 'Promote', { modelRegistry: registry, modelRepository: models, lakehouse: lake, vpc: network.vpc });
for (const fn of [ingestion, promotion]) fn.addAlarms(alerts);
// Alarms are built from the constructs' metricXxx(): here, an approved model package that promotion refused to serve.
ModelPromotion.metricPackagesRejected()
  .createAlarm(stack, 'PackagesRejected', { threshold: 1, evaluationPeriods: 1, treatMissingData: TreatMissingData.NOT_BREACHING })
  .addAlarmAction(alerts.alarmAction);

// The decision matrix picks the target (here Lambda) from the traffic profile; the decision is recorded in the template.
new ModelServing(stack, 'CreditRisk', {
  modelName: 'credit-risk',
  traffic: { monthlyRequests: 300_000, peakRps: 5, p99LatencyMs: 1500, payloadKb: 4, computeMsPerInference: 10, memoryMb: 1024, gpu: false, teamSize: 2 },
  modelRepository: models,
  vpc: network.vpc,
  image: createServingImage(stack, 'ServingImage', { architecture: 'x86_64' }),
  prometheusWorkspace: metrics,
  lambdaOptions: { alarmAction: alerts.alarmAction },
});

app.synth();
