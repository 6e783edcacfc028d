import type { DatasetContract } from './types';

export type HeaderMatch =
  | { readonly ok: true; /** For each contract field, the index of its CSV column. */ readonly columnOfField: number[] }
  | { readonly ok: false; readonly problems: string[] };

/** A CSV header must name exactly the contract's fields, each once, in any order. */
export function matchHeader(contract: DatasetContract, header: readonly string[]): HeaderMatch {
  const problems: string[] = [];
  const declared = new Set(contract.fields.map((f) => f.name));
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) problems.push(`column "${column}" appears more than once`);
    else if (!declared.has(column)) problems.push(`column "${column}" is not declared in contract ${contract.dataset} v${contract.version}`);
    seen.add(column);
  }
  const columnOfField = contract.fields.map((field) => {
    const index = header.indexOf(field.name);
    if (index < 0) problems.push(`column "${field.name}" is missing`);
    return index;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, columnOfField };
}
