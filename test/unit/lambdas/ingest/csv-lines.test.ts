import fc from 'fast-check';
import { CsvRecordSplitter, type CsvRecord } from '../../../../lambdas/ingest/csv-lines';
import { PoisonObjectError } from '../../../../lambdas/ingest/errors';

function split(text: string): CsvRecord[] {
  const splitter = new CsvRecordSplitter();
  const records: CsvRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const record = splitter.push(line, i + 1);
    if (record) records.push(record);
  });
  splitter.end();
  return records;
}

function encodeField(field: string): string {
  return /[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field;
}

describe('CsvRecordSplitter', () => {
  it('splits plain lines on commas and skips blank lines', () => {
    expect(split('a,b,c\n\n1,,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 3, fields: ['1', '', '3'] },
    ]);
  });

  it('strips a byte order mark from the first line', () => {
    expect(split('\ufeffa,b')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
  });

  it('parses quoted fields with commas, escaped quotes and line breaks, numbered by their first line', () => {
    expect(split('a,b\n"x, y","say ""hi""\nbye"\nz,w')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nbye'] },
      { line: 4, fields: ['z', 'w'] },
    ]);
  });

  it('reports a record whose quotes are misplaced, for quarantine', () => {
    const [record] = split('"a"b,c');
    expect(record).toMatchObject({ line: 1, text: '"a"b,c', error: expect.stringMatching(/^not valid CSV: /) });
  });

  it('poisons the object when a quoted field never closes', () => {
    expect(() => split('a,b\n"open,1\n2,3')).toThrow(PoisonObjectError);
    expect(() => split('a,b\n"open,1\n2,3')).toThrow('not valid CSV: the quoted field opened on line 2 is never closed');
  });

  it('gives back exactly the fields that were written, whatever they hold (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const text = rows.map((r) => r.map(encodeField).join(',')).join('\n');
        expect(split(text).map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});
