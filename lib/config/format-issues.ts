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

/** ` (model 'churn-classifier')` for a path inside `models[i]`, so the line names the model and not only its index. */
export function modelNote(path: readonly PathSegment[], input: unknown): string {
  if (path[0] !== 'models' || typeof path[1] !== 'number') return '';
  const name = valueAt(input, ['models', path[1], 'name']);
  return typeof name === 'string' ? ` (model '${name}')` : '';
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
        return `${formatPath([...prefix, ...path])}${modelNote(path, input)}: got ${describeFoundValue(valueAt(input, path))}; unknown key (allowed keys are listed in lib/config/schema.ts)`;
      });
    }
    const value = valueAt(input, issue.path);
    return [`${formatPath([...prefix, ...issue.path])}${modelNote(issue.path, input)}: got ${describeFoundValue(value)}; ${issue.message}`];
  });
}
