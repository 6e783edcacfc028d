import { BadRequestError, TooManyJsonValuesError } from '../errors';

/** Bounds on the structure of a JSON request body, checked before it is parsed. */
export interface JsonLimits {
  /** Deepest nesting of arrays/objects (MAX_JSON_DEPTH). */
  readonly maxDepth: number;
  /** Most values (numbers, strings, literals, arrays, objects) in one body (MAX_JSON_VALUES). */
  readonly maxValues: number;
}

/** Defaults of MAX_JSON_DEPTH (tensor data of rank 8 in the request envelope needs 11) and MAX_JSON_VALUES. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxValues: 4 * 1024 * 1024 };

/**
 * Checks a body's nesting depth and value count in one linear pass over its characters (strings skipped), before
 * JSON.parse: a body nested 10,000 deep or made of millions of tiny values is refused for the cost of reading it once,
 * so a hostile body costs no more than a flat one of the same size, and nothing after (parsing, flattening the tensor
 * data) ever meets deep recursion. The count is an upper bound taken from separators and openings; malformed JSON is
 * left to JSON.parse.
 */
export function checkJsonLimits(body: string, limits: JsonLimits): void {
  const { maxDepth, maxValues } = limits;
  let depth = 0;
  let values = 1;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34) {
      // Skip the string: find its closing quote, stepping over escapes.
      for (i++; i < body.length; i++) {
        const s = body.charCodeAt(i);
        if (s === 92) i++;
        else if (s === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > maxDepth) throw new BadRequestError(`request JSON is nested deeper than ${maxDepth} levels (MAX_JSON_DEPTH)`);
      values++;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 && ++values > maxValues) throw new TooManyJsonValuesError(maxValues);
  }
}
