import { Counter, type Registry } from 'prom-client';

/** Prometheus metric names of inference capture (one place; dashboards and docs/drift.md use them). */
export const CAPTURE_METRIC_NAMES = {
  captured: 'serving_capture_records_total',
  dropped: 'serving_capture_dropped_total',
  written: 'serving_capture_files_written_total',
} as const;

/** Why a sampled record was not written. */
export type DropReason = 'buffer_full' | 'upload_failed';

export class CaptureMetrics {
  readonly captured: Counter<'model'>;
  readonly dropped: Counter<'model' | 'reason'>;
  readonly written: Counter<'model'>;

  constructor(registry: Registry) {
    this.captured = new Counter({
      name: CAPTURE_METRIC_NAMES.captured,
      help: 'Inference requests sampled for capture and written to the lakehouse',
      labelNames: ['model'] as const,
      registers: [registry],
    });
    this.dropped = new Counter({
      name: CAPTURE_METRIC_NAMES.dropped,
      help: 'Sampled inference records not captured: buffer full or upload failed (the request itself was answered)',
      labelNames: ['model', 'reason'] as const,
      registers: [registry],
    });
    this.written = new Counter({
      name: CAPTURE_METRIC_NAMES.written,
      help: 'Capture files (gzip JSON Lines) written',
      labelNames: ['model'] as const,
      registers: [registry],
    });
  }
}
