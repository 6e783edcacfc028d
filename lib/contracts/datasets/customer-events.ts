import type { DatasetContract } from '../types';

/** Product events per customer, the raw input of the churn model's features. */
export const customerEventsContract: DatasetContract = {
  dataset: 'customer-events',
  version: 1,
  description: 'One row per customer product event (sign-ups, logins, purchases, support tickets, plan changes, cancellations); feeds the churn model.',
  fields: [
    { name: 'event_id', type: 'string', required: true, pattern: /^[A-Za-z0-9-]{1,64}$/, description: 'Unique event identifier from the producer.' },
    { name: 'customer_id', type: 'string', required: true, pattern: /^C\d{8}$/, description: 'Customer account, "C" and 8 digits.' },
    { name: 'event_time', type: 'timestamp', required: true, description: 'When the event happened, ISO 8601 with offset.' },
    {
      name: 'event_type',
      type: 'string',
      required: true,
      enum: ['signup', 'login', 'purchase', 'support_ticket', 'plan_change', 'cancellation'],
    },
    { name: 'plan', type: 'string', required: true, enum: ['free', 'basic', 'pro', 'enterprise'] },
    { name: 'amount_usd', type: 'number', required: false, min: 0, max: 100_000, description: 'Charged amount; purchases and plan changes only.' },
    { name: 'session_minutes', type: 'number', required: false, min: 0, max: 1_440 },
    { name: 'tenure_months', type: 'integer', required: true, min: 0, max: 600 },
    { name: 'support_tickets_30d', type: 'integer', required: false, min: 0, max: 1_000 },
    { name: 'is_trial', type: 'boolean', required: true },
    { name: 'country', type: 'string', required: false, pattern: /^[A-Z]{2}$/, description: 'ISO 3166-1 alpha-2 country code.' },
  ],
};
