import type { DriftBaseline } from './baseline';
import { FeatureDriftAccumulator, type FeatureDrift } from './feature-drift-accumulator';

/** Why a capture record could not be read; the detector counts and logs these, and reads on. */
export class CaptureRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureRecordError';
  }
}

/**
 * Feeds captured inference requests (one JSON Lines record of `inference-capture/…`, parsed) into one accumulator per
 * baseline feature: the baseline's input tensor, `[rows, inputColumns]` row-major, column `c` is feature `c`.
 * Memory is bounded by the baseline, whatever the number of records.
 */
export class CaptureWindowAccumulator {
  private readonly features: FeatureDriftAccumulator[];
  private rowCount = 0;

  constructor(private readonly baseline: DriftBaseline) {
    this.features = baseline.features.map((feature) => new FeatureDriftAccumulator(feature));
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Adds the rows of one record. @throws CaptureRecordError when it does not carry the baseline's input tensor. */
  addRecord(record: unknown): void {
    const { data, rows } = this.inputOf(record);
    this.baseline.features.forEach((feature, index) => this.features[index].add(data, feature.column, this.baseline.inputColumns, rows));
    this.rowCount += rows;
  }

  result(): FeatureDrift[] {
    return this.features.map((feature) => feature.result());
  }

  private inputOf(record: unknown): { data: ArrayLike<number>; rows: number } {
    const inputs = (record as { request?: { inputs?: unknown } } | null)?.request?.inputs;
    if (!Array.isArray(inputs)) throw new CaptureRecordError('no request.inputs array');
    const input = inputs.find((candidate) => (candidate as { name?: unknown } | null)?.name === this.baseline.inputTensor) as
      { shape?: unknown; data?: unknown } | undefined;
    if (input === undefined) throw new CaptureRecordError(`no input named '${this.baseline.inputTensor}'`);
    const { shape } = input;
    const columns = this.baseline.inputColumns;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d))) throw new CaptureRecordError('input shape is not a list of integers');
    const rows = shape.length === 2 && shape[1] === columns ? (shape[0] as number) : shape.length === 1 && shape[0] === columns ? 1 : undefined;
    if (rows === undefined) throw new CaptureRecordError(`input shape [${shape.join(', ')}] is not [rows, ${columns}]`);
    const data = Array.isArray(input.data) ? (input.data.some(Array.isArray) ? input.data.flat(Infinity) : input.data) : undefined;
    if (data === undefined || data.length !== rows * columns)
      throw new CaptureRecordError(`input data has ${data?.length ?? 'no'} elements, shape [${shape.join(', ')}] needs ${rows * columns}`);
    if (!data.every((value) => typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity')) {
      throw new CaptureRecordError('input data holds a value that is not a number');
    }
    return { data: data as number[], rows };
  }
}
