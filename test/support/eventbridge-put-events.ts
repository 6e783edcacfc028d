import type { PutEventsCommandInput } from '@aws-sdk/client-eventbridge';

/**
 * Checks a PutEvents request against the EventBridge API Reference (PutEvents, PutEventsRequestEntry) and the User
 * Guide's entry-size rule, and returns the problems (empty when the request would be accepted as written):
 * 1–10 entries; Source, DetailType and Detail present in each (EventBridge fails an entry without them); Detail a JSON
 * object; DetailType ≤ 128 characters; Source 1–256; EventBusName a name or ARN (1–1600); entry size ≤ 256 KB, counted
 * as 14 bytes for Time + the UTF-8 bytes of Source, DetailType, Detail and each Resource.
 */
export function putEventsProblems(input: PutEventsCommandInput): string[] {
  const problems: string[] = [];
  const entries = input.Entries ?? [];
  if (entries.length < 1 || entries.length > 10) problems.push(`Entries: ${entries.length} entries; 1 to 10 allowed`);
  const known = new Set(['Time', 'Source', 'Resources', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader']);
  entries.forEach((entry, index) => {
    const at = `Entries[${index}]`;
    for (const key of Object.keys(entry)) if (!known.has(key)) problems.push(`${at}.${key}: not a PutEventsRequestEntry member`);
    if (!entry.Source || entry.Source.length > 256) problems.push(`${at}.Source: required, 1-256 characters`);
    if (!entry.DetailType || entry.DetailType.length > 128) problems.push(`${at}.DetailType: required, at most 128 characters`);
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail ?? '');
    } catch {
      problems.push(`${at}.Detail: required, a valid JSON object`);
    }
    if (detail !== undefined && (typeof detail !== 'object' || detail === null || Array.isArray(detail))) problems.push(`${at}.Detail: must be a JSON object`);
    if (
      entry.EventBusName !== undefined &&
      !/^(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]{1,256}$/.test(entry.EventBusName)
    ) {
      problems.push(`${at}.EventBusName: a bus name or ARN`);
    }
    if (entry.Time !== undefined && !(entry.Time instanceof Date && !Number.isNaN(entry.Time.getTime()))) problems.push(`${at}.Time: a timestamp`);
    const bytes =
      (entry.Time ? 14 : 0) +
      [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])].reduce((sum, s) => sum + Buffer.byteLength(s ?? ''), 0);
    if (bytes > 256 * 1024) problems.push(`${at}: ${bytes} bytes; an entry is at most 256 KB`);
  });
  return problems;
}

/** The event a rule target receives for one accepted entry (EventBridge's envelope, the fields the platform reads). */
export function deliveredEvent(entry: NonNullable<PutEventsCommandInput['Entries']>[number], account = '111122223333', region = 'us-east-1') {
  return {
    version: '0',
    id: '00000000-0000-0000-0000-000000000000',
    'detail-type': entry.DetailType!,
    source: entry.Source!,
    account,
    time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail!) as unknown,
  };
}
