import { DataFileError } from '../errors.js';

export interface CsvRecord {
  /** 1-based line on which the record starts (a quoted field may span several lines). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: comma-separated, double-quoted fields may hold commas, newlines and `""`.
 * Lenient where spreadsheets are (a stray quote inside an unquoted field is kept as text), strict
 * where silence would corrupt data (an unterminated quote swallows the rest of the file).
 */
export function* csvRecords(content: string, file: string): Generator<CsvRecord> {
  const n = content.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (content.charCodeAt(i) === 34 /* " */) {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) {
            throw new DataFileError(file, `unterminated quoted field starting on line ${quoteLine}`, {
              line: quoteLine,
              hint: 'close the quote; a literal quote inside a quoted field is written as ""',
            });
          }
          const c = content[i];
          if (c === '"') {
            if (content[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
      }
      // Unquoted part (or whatever follows a closing quote, kept like spreadsheets do).
      let j = i;
      while (j < n) {
        const c = content.charCodeAt(j);
        if (c === 44 /* , */ || c === 10 /* \n */ || (c === 13 && content.charCodeAt(j + 1) === 10)) break;
        j++;
      }
      field += content.slice(i, j);
      fields.push(field);
      field = '';
      if (j >= n) {
        i = n;
        endOfRecord = true;
      } else if (content.charCodeAt(j) === 44) {
        i = j + 1;
        if (i >= n) {
          fields.push('');
          endOfRecord = true;
        }
      } else {
        i = content.charCodeAt(j) === 13 ? j + 2 : j + 1;
        line++;
        endOfRecord = true;
      }
    }
    yield { line: recordLine, fields };
  }
}

/** A record that is one empty (or whitespace) field: a blank line. */
export function isBlankRecord(fields: string[]): boolean {
  return fields.length === 1 && fields[0].trim() === '';
}
