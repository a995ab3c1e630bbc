/*
 * A panel's table as CSV text, for the file download API. Pure: no DOM, no host.
 *
 * The format (RFC 4180): fields separated by commas, records ended by CRLF, the header record first. Every text cell
 * is quoted and its quotes doubled, so commas, quotes and line breaks inside names stay in their cell. Numbers are
 * written as plain digits with a dot ("4070000000", "0.25"), never in the viewer's locale, so that a spreadsheet
 * reads them as numbers whatever its language.
 *
 * Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with =, +, - or @ as a formula,
 * and tab and carriage return at the start can hide such a cell. App and user names come from network logs that
 * anyone can shape, so a text cell beginning with any of these six characters gets a single quote in front of it,
 * which spreadsheets show as text. Numbers are never prefixed: the visual writes them itself.
 *
 * The text starts with a byte order mark, so that Excel reads it as UTF-8 (names in any script stay readable).
 */

export type CsvCell = string | number | null;

/** A table as a panel shows it: column titles and rows of cells, in the panel's order. */
export interface CsvTable {
    readonly columns: readonly string[];
    readonly rows: readonly (readonly CsvCell[])[];
}

export const CSV_BYTE_ORDER_MARK = "\uFEFF";
const RECORD_END = "\r\n";
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: a text quoted (and defused), a finite number as digits, anything else empty. */
export function csvField(cell: CsvCell): string {
    if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
    if (cell === null) return "";
    const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
    return `"${text.replace(/"/g, "\"\"")}"`;
}

/** The CSV text of a table; a row shorter than the header is padded with empty fields. */
export function csvText(table: CsvTable): string {
    const width = table.columns.length;
    const lines = [table.columns.map(csvField).join(",")];
    for (const row of table.rows) {
        const fields: string[] = [];
        for (let column = 0; column < width; column++) fields.push(csvField(row[column] ?? null));
        lines.push(fields.join(","));
    }
    return CSV_BYTE_ORDER_MARK + lines.join(RECORD_END) + RECORD_END;
}
