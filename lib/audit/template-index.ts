import { renderCfnValue } from './render-cfn-value';
import type { CfnResourceJson, StackTemplate } from './types';

/** One resource of one synthesized stack, with where it was read. */
export interface ResourceEntry {
  readonly stack: string;
  readonly stackPart: string;
  readonly logicalId: string;
  readonly resource: CfnResourceJson;
}

/** The stack name without its `mlops-<env>-` prefix, so rows of two environments line up. */
export function stackPartOf(stackName: string, environmentName: string): string {
  const prefix = `mlops-${environmentName}-`;
  return stackName.startsWith(prefix) ? stackName.slice(prefix.length) : stackName;
}

/** Reads the templates of one environment: every resource, and what a reference (Ref, GetAtt, ImportValue) points to. */
export class TemplateIndex {
  readonly entries: readonly ResourceEntry[];
  private readonly exports = new Map<string, { stack: string; value: unknown }>();

  constructor(
    readonly stacks: readonly StackTemplate[],
    readonly environmentName: string,
  ) {
    this.entries = stacks.flatMap((s) =>
      Object.entries(s.template.Resources ?? {}).map(([logicalId, resource]) => ({
        stack: s.stackName,
        stackPart: stackPartOf(s.stackName, environmentName),
        logicalId,
        resource,
      })),
    );
    for (const s of stacks) {
      for (const output of Object.values(s.template.Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') this.exports.set(name, { stack: s.stackName, value: output.Value });
      }
    }
  }

  ofType(...types: string[]): ResourceEntry[] {
    return this.entries.filter((e) => types.includes(e.resource.Type));
  }

  find(stack: string, logicalId: string): ResourceEntry | undefined {
    return this.entries.find((e) => e.stack === stack && e.logicalId === logicalId);
  }

  /**
   * The resource a value refers to (`{Ref}`, `{Fn::GetAtt}`, or an `{Fn::ImportValue}` of another stack's export),
   * or undefined for a literal or anything else.
   */
  referencedResource(stack: string, value: unknown): ResourceEntry | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') return this.find(stack, node.Ref);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return this.find(stack, getAtt[0]);
    const imported = node['Fn::ImportValue'];
    if (typeof imported === 'string') {
      const exported = this.exports.get(imported);
      return exported ? this.referencedResource(exported.stack, exported.value) : undefined;
    }
    return undefined;
  }

  /** `stackPart/logicalId` of what a value refers to, or the value rendered as the policy gates render it. */
  describeReference(stack: string, value: unknown): string {
    const target = this.referencedResource(stack, value);
    return target ? `${target.stackPart}/${target.logicalId}` : renderCfnValue(value);
  }
}

/** A property at a path of a resource, or undefined. Cdktf's single blocks may be an object or a one-element list. */
export function prop<T = unknown>(resource: CfnResourceJson, ...path: string[]): T | undefined {
  return at<T>(resource.Properties, ...path);
}

export function at<T = unknown>(root: unknown, ...path: string[]): T | undefined {
  let value: unknown = root;
  for (const key of path) {
    if (Array.isArray(value) && value.length === 1 && !/^\d+$/.test(key)) value = value[0];
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value as T | undefined;
}

/** A value that may be one item or a list, as a list. */
export function listOf<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as T[])] : [value as T];
}

/** Row location fields for a resource entry. */
export function locationOf(entry: ResourceEntry): { stack: string; stackPart: string; logicalId: string } {
  return { stack: entry.stack, stackPart: entry.stackPart, logicalId: entry.logicalId };
}
