import { SERVING_LABELS } from '../../serving/src/metric-names';
import { SERVING_CONTAINER } from './serving-image';

export interface CollectorConfigOptions {
  readonly modelName: string;
  readonly remoteWriteUrl: string;
  readonly region: string;
  /** Seconds between scrapes of the serving container's `/metrics`. */
  readonly scrapeIntervalSeconds: number;
}

/**
 * The AWS Distro for OpenTelemetry collector config (YAML is a superset of JSON, so this object is the file): scrape
 * the serving container on localhost, remote-write to Amazon Managed Prometheus signed with SigV4 by the task role.
 * `receivers.prometheus.config` is a Prometheus scrape config, run as-is by a real Prometheus in
 * test/integration/monitoring.
 */
export function adotCollectorConfig(options: CollectorConfigOptions): Record<string, unknown> {
  return {
    extensions: { sigv4auth: { region: options.region, service: 'aps' } },
    receivers: {
      prometheus: {
        config: {
          global: { scrape_interval: `${options.scrapeIntervalSeconds}s` },
          scrape_configs: [
            {
              job_name: 'model-serving',
              // The container labels its series with the model it served (`model`, `version`): those win over the
              // static labels below, which only fill in series without them (process metrics). Without this,
              // Prometheus renames the container's `model` to `exported_model` and per-model queries come back empty.
              honor_labels: true,
              metrics_path: SERVING_CONTAINER.metricsPath,
              static_configs: [
                {
                  targets: [`localhost:${SERVING_CONTAINER.port}`],
                  labels: { [SERVING_LABELS.model]: options.modelName, [SERVING_LABELS.servingTarget]: 'fargate' },
                },
              ],
            },
          ],
        },
      },
    },
    exporters: {
      prometheusremotewrite: {
        endpoint: options.remoteWriteUrl,
        auth: { authenticator: 'sigv4auth' },
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    service: {
      extensions: ['sigv4auth'],
      pipelines: { metrics: { receivers: ['prometheus'], exporters: ['prometheusremotewrite'] } },
    },
  };
}
