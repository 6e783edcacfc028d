import { renderCfnValue } from './render-cfn-value';
import { listOf } from './template-index';

/** One statement of an IAM or resource policy, as written in a template. */
export interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(document: unknown): PolicyStatement[] {
  if (document === null || typeof document !== 'object') return [];
  return listOf((document as { Statement?: PolicyStatement | PolicyStatement[] }).Statement);
}

/** The statement's actions, resources etc. rendered as the policy gates render them. */
export function rendered(value: unknown): string[] {
  return listOf(value).map(renderCfnValue);
}

/** Every principal of a statement as `Type:value` (`Service:lambda.amazonaws.com`, `AWS:arn:…`), `*` for anyone. */
export function principalsOf(statement: PolicyStatement): string[] {
  const principal = statement.Principal;
  if (principal === undefined) return [];
  if (principal === '*') return ['*'];
  if (principal === null || typeof principal !== 'object') return [renderCfnValue(principal)];
  return Object.entries(principal as Record<string, unknown>).flatMap(([type, values]) =>
    listOf(values).map((v) => {
      const value = renderCfnValue(v);
      return type === 'AWS' && value === '*' ? '*' : `${type}:${value}`;
    }),
  );
}

/** The condition keys of a statement (`aws:SourceAccount`, `kms:ViaService`, …), lower-cased. */
export function conditionKeys(statement: PolicyStatement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((operands) => Object.keys(operands ?? {}).map((k) => k.toLowerCase()));
}

export function describeCondition(statement: PolicyStatement): string | null {
  if (!statement.Condition) return null;
  return Object.entries(statement.Condition)
    .flatMap(([operator, operands]) => Object.entries(operands ?? {}).map(([key, value]) => `${operator} ${key}=${rendered(value).join('|')}`))
    .join('; ');
}
