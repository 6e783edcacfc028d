/** A GitHub-flavoured Markdown table; pipes and newlines in cells are escaped so a reason cannot break the layout. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): string {
  const cell = (value: string | number | boolean | null) =>
    String(value ?? '—')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n/g, ' ');
  const lines = [`| ${headers.map(cell).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return rows.length === 0 ? '_none_' : lines.join('\n');
}

export function usd(amount: number | null): string {
  return amount === null ? 'infeasible' : `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
