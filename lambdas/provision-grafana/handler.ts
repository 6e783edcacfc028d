import { GrafanaClient } from '@aws-sdk/client-grafana';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createObservability } from '../shared/powertools';
import { sendCustomResourceResponse } from './cfn-response';
import { handleProvisioningEvent } from './provision';
import { PROVISION_GRAFANA_SERVICE } from './provision-grafana-metrics';

const { logger, tracer } = createObservability(PROVISION_GRAFANA_SERVICE);
const grafana = tracer.captureAWSv3Client(new GrafanaClient({}));

/**
 * The Grafana provisioning custom resource: service account, short-lived token, plugins, data sources and dashboards
 * through Grafana's HTTP API. Always answers CloudFormation, SUCCESS or FAILED with the reason, so a stack never waits
 * for a timeout.
 */
export const handler = async (event: CloudFormationCustomResourceEvent, context: Context): Promise<void> => {
  logger.addContext(context);
  logger.info('Grafana provisioning', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId });
  const fallbackId = event.RequestType === 'Create' ? `failed-${event.RequestId}` : event.PhysicalResourceId;
  try {
    const outcome = await handleProvisioningEvent(event, { grafana, log: logger });
    await sendCustomResourceResponse(event, { status: 'SUCCESS', physicalResourceId: outcome.physicalResourceId, data: outcome.data });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error('Grafana provisioning failed', { requestType: event.RequestType, reason });
    await sendCustomResourceResponse(event, { status: 'FAILED', physicalResourceId: fallbackId, reason });
  }
};
