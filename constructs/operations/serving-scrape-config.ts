import { SERVING_LABELS } from '../../serving/src/metric-names';
import { servingNamespace } from '../kubernetes/workload-names';
import { SERVING_CONTAINER } from '../serving/serving-image';

/**
 * The Prometheus scrape config of the EKS managed scraper: pods of the models' serving namespaces that carry the
 * `prometheus.io/scrape` annotation (set by ServingWorkload), on the annotated port and path, keeping the container's
 * own labels (`honor_labels`, so `model` is not renamed to `exported_model`), plus namespace, pod and serving_target.
 */
export function servingScrapeConfig(modelNames: readonly string[], scrapeIntervalSeconds: number): Record<string, unknown> {
  return {
    global: { scrape_interval: `${scrapeIntervalSeconds}s` },
    scrape_configs: [
      {
        job_name: 'model-serving',
        honor_labels: true,
        metrics_path: SERVING_CONTAINER.metricsPath,
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: modelNames.map(servingNamespace) } }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
          {
            source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            action: 'replace',
            regex: '([^:]+)(?::\\d+)?;(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', regex: '(.+)', target_label: '__metrics_path__' },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { target_label: SERVING_LABELS.servingTarget, replacement: 'eks' },
        ],
      },
    ],
  };
}
