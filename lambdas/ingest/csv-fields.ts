/**
 * RFC 4180 field tokenizer, one line at a time, carrying an open quoted field from one line to the next. A quote
 * opens a quoted field only as the first character of a field; `""` inside it is one quote; the closing quote must
 * be followed by a comma or the end of the line. Anything else (a quote inside an unquoted field, text after a
 * closing quote) is an error that ends the record at the end of its line, so it never swallows the lines after it.
 */
export class CsvFieldTokenizer {
  /** Fields completed so far in the current record. */
  fields: string[] = [];
  /** Why the current record is not valid CSV, once known. */
  error: string | undefined;
  private field = '';
  private inQuotes = false;
  /** Whether the last `scan` opened a quoted field (the one open now, when `open`). */
  openedQuoteInLastScan = false;

  /** True while a quoted field is open: the next line continues the record. */
  get open(): boolean {
    return this.inQuotes;
  }

  /**
   * Reads one line (or the continuation of an open quoted field). Returns true when the record is complete at the end
   * of this line; false when a quoted field stays open, in which case `terminator` became part of the field.
   */
  scan(text: string, terminator: string): boolean {
    const n = text.length;
    let i = 0;
    let atFieldStart = !this.inQuotes;
    this.openedQuoteInLastScan = false;
    while (i <= n && this.error === undefined) {
      if (this.inQuotes) {
        const quote = text.indexOf('"', i);
        if (quote < 0) {
          this.field += text.slice(i) + terminator;
          return false;
        }
        this.field += text.slice(i, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          this.field += '"';
          i = quote + 2;
          continue;
        }
        this.inQuotes = false;
        i = quote + 1;
        if (i === n) break;
        if (text.charCodeAt(i) !== 44) {
          this.error = `field ${this.fields.length + 1}: text after its closing quote (column ${i + 1})`;
          break;
        }
        this.fields.push(this.field);
        this.field = '';
        i++;
        atFieldStart = true;
        continue;
      }
      if (atFieldStart && text.charCodeAt(i) === 34) {
        this.inQuotes = true;
        this.openedQuoteInLastScan = true;
        atFieldStart = false;
        i++;
        continue;
      }
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const quote = text.indexOf('"', i);
      if (quote >= 0 && quote < end) {
        this.error = `field ${this.fields.length + 1}: a quote inside an unquoted field (column ${quote + 1}); quote the whole field and double the quote`;
        break;
      }
      this.field += text.slice(i, end);
      if (comma < 0) break;
      this.fields.push(this.field);
      this.field = '';
      i = comma + 1;
      atFieldStart = true;
    }
    if (this.error === undefined) this.fields.push(this.field);
    this.field = '';
    this.inQuotes = false;
    return true;
  }

  /** Takes the record's fields (or its error) and starts the next record. */
  take(): { fields: string[]; error: string | undefined } {
    const record = { fields: this.fields, error: this.error };
    this.reset();
    return record;
  }

  reset(): void {
    this.fields = [];
    this.error = undefined;
    this.field = '';
    this.inQuotes = false;
  }
}
