import { get } from 'node:http';

export interface BatchTotals {
  readonly batches: number;
  readonly rows: number;
}

/** The server's own count of batches and rows for one model version, from GET /metrics (serving_batch_size). */
export async function batchTotals(baseUrl: string, model: string, version = '1'): Promise<BatchTotals> {
  const text = await fetchText(`${baseUrl}/metrics`);
  const pick = (name: string) => Number(new RegExp(`^${name}\\{model="${model}",version="${version}"\\} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  return { batches: pick('serving_batch_size_count'), rows: pick('serving_batch_size_sum') };
}

/** Mean rows per session.run between two readings. */
export function meanBatchRows(before: BatchTotals, after: BatchTotals): number {
  return (after.rows - before.rows) / (after.batches - before.batches);
}

export function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}
