/**
 * CSV cells (RFC 4180) that are safe to open in a spreadsheet: a cell starting with = + - @ (or a
 * tab or carriage return) would be read as a formula (CSV injection), so it gets a leading
 * apostrophe, which spreadsheets show as text. Cells with a comma, quote or line break are quoted.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: Array<string | number | undefined | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
