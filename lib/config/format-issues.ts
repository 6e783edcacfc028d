import type { z } from 'zod';
import { describeValue } from '../shared/describe-value';

type PathSegment = PropertyKey;

/** `environments.prod.models[0].traffic.peakRps` */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '');
}

function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as string];
  }
  return current;
}

function describeFoundValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  return describeValue(value);
}

/**
 * One line per zod issue, each naming the key path, the value found and what is allowed.
 * Unknown keys are reported at their own path, so the reader sees exactly which key to remove.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: readonly PathSegment[] = []): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return `${formatPath([...prefix, ...path])}: got ${describeFoundValue(valueAt(input, path))}; unknown key (allowed keys are listed in lib/config/schema.ts)`;
      });
    }
    const value = valueAt(input, issue.path);
    return [`${formatPath([...prefix, ...issue.path])}: got ${describeFoundValue(value)}; ${issue.message}`];
  });
}
