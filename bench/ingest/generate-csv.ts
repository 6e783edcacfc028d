import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const EVENT_TYPES = ['signup', 'login', 'purchase', 'support_ticket', 'plan_change', 'cancellation'];
const PLANS = ['free', 'basic', 'pro', 'enterprise'];
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'JP', ''];
const HEADER = 'event_id,customer_id,event_time,event_type,plan,amount_usd,session_minutes,tenure_months,support_tickets_30d,is_trial,country';
// One kind of contract violation per invalid row, in rotation.
const INVALID_ROWS: ((i: number) => string)[] = [
  (i) => `evt-${i},C${pad(i)},2026-01-01T00:00:00Z,teleport,pro,1.00,3,2,0,false,US`,
  (i) => `evt-${i},C${pad(i)},2026-01-01T00:00:00Z,purchase,pro,-5,3,2,0,false,US`,
  (i) => `evt-${i},,2026-01-01T00:00:00Z,login,pro,,3,2,0,false,US`,
  (i) => `evt-${i},C${pad(i)},yesterday,login,pro,,3,2,0,false,US`,
  (i) => `evt-${i},C${pad(i)},2026-01-01T00:00:00Z,login,pro`,
];

function pad(i: number): string {
  return String(i % 100_000_000).padStart(8, '0');
}

function validRow(i: number): string {
  const type = EVENT_TYPES[i % EVENT_TYPES.length];
  const amount = type === 'purchase' || type === 'plan_change' ? ((i % 20_000) / 100).toFixed(2) : '';
  const time = new Date(Date.UTC(2026, 0, 1) + i * 997).toISOString();
  return `evt-${i},C${pad(i % 250_000)},${time},${type},${PLANS[i % PLANS.length]},${amount},${(i % 600) / 10},${i % 120},${i % 7},${i % 9 === 0},${COUNTRIES[i % COUNTRIES.length]}`;
}

/** Writes a customer-events CSV of `rows` records, `invalidEvery`-th of them breaking the contract; returns the invalid count. */
export async function generateCustomerEventsCsv(path: string, rows: number, invalidEvery = 100): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let invalid = 0;
  let chunk = `${HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    if (i % invalidEvery === invalidEvery - 1) {
      chunk += `${INVALID_ROWS[invalid % INVALID_ROWS.length](i)}\n`;
      invalid++;
    } else {
      chunk += `${validRow(i)}\n`;
    }
    if (chunk.length > 1 << 20 && !out.write(chunk)) {
      chunk = '';
      await once(out, 'drain');
    } else if (chunk.length > 1 << 20) {
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return invalid;
}
