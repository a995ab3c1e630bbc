// Reads a Log Analytics CSV export (the portal's "Export to CSV", or `shadowit export --format csv`) into the
// preview dataset. Pure: text in, dataset out, errors that name the file, line and column.
import { DATASET_COLUMNS, DatasetBuilder, DatasetColumnName, DatasetRow, NumberColumnName, PreviewDataset, isTextColumn } from "./dataset.ts";

export class CsvFormatError extends Error {
    constructor(readonly file: string, readonly line: number | null, detail: string, readonly column: number | null = null) {
        super(line === null ? `${file}: ${detail}` : column === null ? `${file}:${line}: ${detail}` : `${file}:${line}:${column}: ${detail}`);
        this.name = "CsvFormatError";
    }
}

/** A place in the file: 1-based physical line, and 1-based character within it. */
export interface TextPosition {
    readonly line: number;
    readonly column: number;
}

interface CsvRecord {
    /** 1-based physical line on which the record starts. */
    readonly line: number;
    readonly fields: string[];
    /** Where the first quoted field that runs over a line break opens, if one does: the likely place of a missing quote. */
    readonly multilineQuote: TextPosition | null;
}

export type CsvDelimiter = "," | ";" | "\t";

export const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** Splits RFC 4180 text into records: quoted fields may hold delimiters, doubled quotes and line breaks. */
export function* csvRecords(text: string, file: string, delimiter: CsvDelimiter = ","): Generator<CsvRecord> {
    let line = 1;
    let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    /** Index of the first character of the current physical line. */
    let lineStart = 0;
    const length = text.length;
    const columnOf = (index: number) => index - lineStart + 1;
    while (position < length) {
        const recordLine = line;
        const fields: string[] = [];
        let multilineQuote: TextPosition | null = null;
        let endOfRecord = false;
        while (!endOfRecord) {
            let value = "";
            if (text[position] === "\"") {
                const opened: TextPosition = { line, column: columnOf(position) };
                const field = fields.length + 1;
                position++;
                for (;;) {
                    if (position >= length) {
                        throw new CsvFormatError(file, opened.line,
                            `field ${field}: the quoted field that opens here is never closed (a '"' is missing at its end)`, opened.column);
                    }
                    const ch = text[position];
                    if (ch === "\"") {
                        if (text[position + 1] === "\"") {
                            value += "\"";
                            position += 2;
                            continue;
                        }
                        position++;
                        break;
                    }
                    if (ch === "\n" || (ch === "\r" && text[position + 1] !== "\n")) {
                        line++;
                        lineStart = position + 1;
                    }
                    value += ch;
                    position++;
                }
                if (line !== opened.line && multilineQuote === null) multilineQuote = opened;
                const next = text[position];
                if (position < length && next !== delimiter && next !== "\r" && next !== "\n") {
                    // Reported where the field opens: a missing closing quote makes the field swallow what follows,
                    // up to the next quote, possibly lines later.
                    const closing = line === opened.line ? `column ${columnOf(position - 1)}` : `line ${line}, column ${columnOf(position - 1)}`;
                    throw new CsvFormatError(file, opened.line,
                        `field ${field}: the quoted field that opens here ends at ${closing} with text after its closing quote: ` +
                        "a '\"' is probably missing at the end of this field, or a quote inside it is not doubled", opened.column);
                }
            } else {
                const start = position;
                while (position < length) {
                    const ch = text[position];
                    if (ch === delimiter || ch === "\r" || ch === "\n") break;
                    if (ch === "\"") {
                        throw new CsvFormatError(file, line,
                            `field ${fields.length + 1}: a quote inside an unquoted field (quote the whole field and double the inner quotes)`, columnOf(position));
                    }
                    position++;
                }
                value = text.slice(start, position);
            }
            fields.push(value);
            if (position >= length) {
                endOfRecord = true;
            } else if (text[position] === delimiter) {
                position++;
                if (position >= length) fields.push("");
                endOfRecord = position >= length;
            } else {
                position += text[position] === "\r" && text[position + 1] === "\n" ? 2 : 1;
                line++;
                lineStart = position;
                endOfRecord = true;
            }
        }
        yield { line: recordLine, fields, multilineQuote };
    }
}

/** `TimeGenerated [UTC]` → `TimeGenerated`: the portal appends the time zone (or other notes) in brackets. */
export function normalizeHeader(name: string): string {
    return name.trim().replace(/\s*\[[^\]]*\]$/, "").trim();
}

const GROUPED_THOUSANDS = /^[+-]?\d{1,3}([,.\u00a0\u202f' ]\d{3})+$/;
/** Digits with an optional fraction and exponent: 42, 7.0, 1e18, 1.5E+3. */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const LARGEST_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** Columns typed int (32-bit) in McasShadowItReporting; the other number columns are long. */
const INT_COLUMNS: ReadonlySet<NumberColumnName> = new Set(["AppScore"]);
const INT_RANGE = { min: -2147483648n, max: 2147483647n };

function shown(value: string): string {
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
}

function grouped(value: bigint): string {
    return value.toLocaleString("en-US");
}

/**
 * The exact value of a number written as digits, with a fraction, or in exponent form, if it is whole. Exponent
 * forms are whole numbers when the exponent covers the fraction: 1e18, 1.5e3; 1.5e0 and 1e-3 are not.
 */
function exactWholeValue(sign: string, whole: string, fraction: string, exponentText: string): bigint | "fraction" | "huge" {
    let digits = (whole + fraction).replace(/^0+/, "");
    if (digits === "") return 0n;
    // value = digits × 10^scale, with the trailing zeros of digits moved into scale: a negative scale is a fraction.
    let scale = Number(exponentText || "0") - fraction.length;
    const significant = digits.replace(/0+$/, "");
    scale += digits.length - significant.length;
    digits = significant;
    if (scale < 0) return "fraction";
    // More than 20 digits is beyond any 64-bit integer; stop before building a huge number.
    if (digits.length + scale > 20) return "huge";
    const value = BigInt(digits) * 10n ** BigInt(scale);
    return sign === "-" ? -value : value;
}

/**
 * A whole-number column's value. Whole numbers may be written with a zero fraction (7.0) or an exponent (1e6);
 * every value must be exact in a JavaScript number, so magnitudes above 2^53 − 1 are refused rather than rounded,
 * and AppScore (an int column) must fit 32 bits.
 */
export function parseWholeNumber(raw: string, column: NumberColumnName): { value: number | null } | { error: string } {
    const text = raw.trim();
    if (text === "") return { value: null };
    if (GROUPED_THOUSANDS.test(text)) {
        return { error: `${shown(raw)} is not a number: it has thousands separators; export the numbers without formatting` };
    }
    const match = DECIMAL.exec(text);
    if (!match || (match[2] === "" && (match[3] ?? "") === "")) return { error: `${shown(raw)} is not a number` };
    const [, sign, whole, fraction = "", exponent = ""] = match;
    const value = exactWholeValue(sign, whole, fraction, exponent);
    const written = exponent !== "" ? " (written in exponent form)" : "";
    if (value === "fraction") return { error: `${shown(raw)}${written} is not a whole number` };
    if (value === "huge" || value > LARGEST_EXACT || value < -LARGEST_EXACT) {
        const exactly = value === "huge" || /^[+-]?\d+$/.test(text) ? "" : ` = ${grouped(value)}`;
        return {
            error: `${shown(raw)}${exactly} is too large to be read exactly: the preview holds numbers as JavaScript doubles, ` +
                `exact only up to 2^53 − 1 = ${grouped(LARGEST_EXACT)}; a value this large in one row is most likely corrupt, so check the row`,
        };
    }
    if (INT_COLUMNS.has(column) && (value < INT_RANGE.min || value > INT_RANGE.max)) {
        return { error: `${shown(raw)} is outside the range of ${column}, an int column (${grouped(INT_RANGE.min)} to ${grouped(INT_RANGE.max)})` };
    }
    return { value: Number(value) };
}

function checkTags(raw: string): string | null {
    const text = raw.trim();
    if (!text.startsWith("[")) return null;
    try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed) && parsed.every(tag => typeof tag === "string")) return null;
    } catch {
        // reported below
    }
    return `${shown(raw)} is not a JSON array of tags like ["sanctioned"]`;
}

export interface CsvReadResult {
    readonly dataset: PreviewDataset;
    /** Columns present in the file that the preview does not use (TimeGenerated, TenantId, …). */
    readonly ignoredColumns: readonly string[];
    /** The delimiter the header was read with. */
    readonly delimiter: CsvDelimiter;
}

interface HeaderMatch {
    readonly delimiter: CsvDelimiter;
    readonly line: number;
    readonly header: string[];
    readonly columnIndex: Partial<Record<DatasetColumnName, number>>;
    readonly missing: DatasetColumnName[];
}

/** Reads the header with one delimiter and finds the required columns (exact name first, then any case). */
function matchHeader(text: string, file: string, delimiter: CsvDelimiter): HeaderMatch | null {
    const first = csvRecords(text, file, delimiter).next();
    if (first.done || (first.value.fields.length === 1 && first.value.fields[0].trim() === "")) return null;
    const header = first.value.fields.map(normalizeHeader);
    const positions = new Map<string, number>();
    header.forEach((name, index) => {
        if (name === "") return;
        if (positions.has(name)) {
            throw new CsvFormatError(file, first.value.line, `column ${name} appears twice in the header`);
        }
        positions.set(name, index);
    });
    const lowerPositions = new Map<string, number>();
    for (const [name, index] of positions) if (!lowerPositions.has(name.toLowerCase())) lowerPositions.set(name.toLowerCase(), index);
    const columnIndex: Partial<Record<DatasetColumnName, number>> = {};
    const missing: DatasetColumnName[] = [];
    for (const name of DATASET_COLUMNS) {
        const index = positions.get(name) ?? lowerPositions.get(name.toLowerCase());
        if (index === undefined) missing.push(name);
        else columnIndex[name] = index;
    }
    return { delimiter, line: first.value.line, header, columnIndex, missing };
}

/**
 * The delimiter is the one whose header names every required column, trying comma, then semicolon (Excel's "CSV"
 * where the list separator is ";"), then tab (Excel's "Unicode Text"). When none does, the error reports the reading
 * that found the most columns, and names its delimiter when it is not a comma.
 */
function readHeader(text: string, file: string): HeaderMatch & { readonly columnIndex: Record<DatasetColumnName, number> } {
    const readings: HeaderMatch[] = [];
    let commaError: unknown = null;
    for (const delimiter of Object.keys(DELIMITER_NAMES) as CsvDelimiter[]) {
        let reading: HeaderMatch | null;
        try {
            reading = matchHeader(text, file, delimiter);
        } catch (error) {
            if (delimiter === ",") commaError = error;
            continue;
        }
        if (reading === null) throw new CsvFormatError(file, null, "the file is empty: expected a header line with the McasShadowItReporting columns");
        if (reading.missing.length === 0) return reading as HeaderMatch & { columnIndex: Record<DatasetColumnName, number> };
        readings.push(reading);
    }
    const best = readings.reduce<HeaderMatch | null>((a, b) => (a === null || b.missing.length < a.missing.length ? b : a), null);
    // A header that is malformed when read with commas is reported as such, unless another delimiter finds columns.
    if (commaError !== null && (best === null || best.missing.length === DATASET_COLUMNS.length)) throw commaError;
    if (best === null) throw new CsvFormatError(file, null, "the file has no readable header line");
    const { missing, header } = best;
    const found = header.filter(name => name !== "").slice(0, 30).join(", ") || "(none)";
    const as = best.delimiter === "," ? "" : `, reading the file as ${DELIMITER_NAMES[best.delimiter]}-separated`;
    throw new CsvFormatError(file, best.line,
        `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(found${as}: ${found}); export McasShadowItReporting with all its columns, comma-, semicolon- or tab-separated`);
}

export function parseLogAnalyticsCsv(text: string, file: string): CsvReadResult {
    const { delimiter, header, columnIndex } = readHeader(text, file);
    const used = new Set(Object.values(columnIndex));
    const ignoredColumns = header.filter((name, index) => name !== "" && !used.has(index));

    const records = csvRecords(text, file, delimiter);
    records.next(); // the header
    const builder = new DatasetBuilder();
    for (const record of records) {
        const { fields, line, multilineQuote } = record;
        if (fields.length === 1 && fields[0].trim() === "") continue; // blank line
        if (fields.length !== header.length) {
            const hint = multilineQuote === null ? "" :
                `; a quoted field opens on line ${multilineQuote.line} at column ${multilineQuote.column} and runs over a line break: ` +
                "if it should not, a '\"' is missing at its end";
            throw new CsvFormatError(file, line, `expected ${header.length} fields as in the header, found ${fields.length}${hint}`);
        }
        const row: Record<string, string | number | null> = {};
        for (const name of DATASET_COLUMNS) {
            const raw = fields[columnIndex[name]];
            if (isTextColumn(name)) {
                if (name === "AppTags") {
                    const problem = checkTags(raw);
                    if (problem) throw new CsvFormatError(file, line, `column ${name}: ${problem}`);
                    row[name] = raw.trim();
                } else {
                    row[name] = raw;
                }
            } else {
                const parsed = parseWholeNumber(raw, name);
                if ("error" in parsed) throw new CsvFormatError(file, line, `column ${name}: ${parsed.error}`);
                row[name] = parsed.value;
            }
        }
        builder.add(row as DatasetRow);
    }
    return { dataset: builder.build(`Log Analytics CSV export ${file}`), ignoredColumns, delimiter };
}
