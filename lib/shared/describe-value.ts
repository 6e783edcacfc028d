const DEFAULT_MAX_CHARS = 60;

function render(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // Cycles, BigInt members or a throwing toJSON: fall through to the type tag.
  }
  return Object.prototype.toString.call(value);
}

/**
 * Shows a value of unknown origin in an error message: strings quoted, objects as JSON, long text cut.
 * It never throws, whatever the input (objects without a prototype, cycles, hostile toString/toJSON).
 */
export function describeValue(value: unknown, maxChars = DEFAULT_MAX_CHARS): string {
  const text = render(value);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
