/**
 * A small RFC 4180 reader for CSV and TSV: quoted fields may hold the delimiter, newlines and
 * doubled quotes; `\r\n` and `\n` both end a row.
 * @module
 */

/**
 * The rows of a CSV (or, with `delimiter: '\t'`, TSV) text. A final empty line is not a row.
 *
 * @example
 * ```ts
 * parseCsv('a,"b, c"\n1,"say ""hi"""\n'); // [['a', 'b, c'], ['1', 'say "hi"']]
 * ```
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
