// Reads a Log Analytics CSV export (the portal's "Export to CSV", or `shadowit export --format csv`) into the
// preview dataset. Pure: text in, dataset out, errors that name the file, line and column.
import { DATASET_COLUMNS, DatasetBuilder, DatasetColumnName, DatasetRow, PreviewDataset, isTextColumn } from "./dataset.ts";

export class CsvFormatError extends Error {
    constructor(readonly file: string, readonly line: number | null, detail: string) {
        super(line === null ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
        this.name = "CsvFormatError";
    }
}

interface CsvRecord {
    /** 1-based physical line on which the record starts. */
    readonly line: number;
    readonly fields: string[];
}

/** Splits RFC 4180 text into records: quoted fields may hold commas, doubled quotes and line breaks. */
export function* csvRecords(text: string, file: string): Generator<CsvRecord> {
    let line = 1;
    let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const length = text.length;
    while (position < length) {
        const recordLine = line;
        const fields: string[] = [];
        let endOfRecord = false;
        while (!endOfRecord) {
            let value = "";
            if (text[position] === "\"") {
                position++;
                for (;;) {
                    if (position >= length) {
                        throw new CsvFormatError(file, recordLine, `field ${fields.length + 1}: a quoted field is not closed (a missing '"')`);
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
                    if (ch === "\n" || (ch === "\r" && text[position + 1] !== "\n")) line++;
                    value += ch;
                    position++;
                }
                const next = text[position];
                if (position < length && next !== "," && next !== "\r" && next !== "\n") {
                    throw new CsvFormatError(file, line, `field ${fields.length + 1}: unexpected text after a closing quote`);
                }
            } else {
                const start = position;
                while (position < length) {
                    const ch = text[position];
                    if (ch === "," || ch === "\r" || ch === "\n") break;
                    if (ch === "\"") {
                        throw new CsvFormatError(file, line, `field ${fields.length + 1}: a quote inside an unquoted field (quote the whole field and double the inner quotes)`);
                    }
                    position++;
                }
                value = text.slice(start, position);
            }
            fields.push(value);
            if (position >= length) {
                endOfRecord = true;
            } else if (text[position] === ",") {
                position++;
                if (position >= length) fields.push("");
                endOfRecord = position >= length;
            } else {
                position += text[position] === "\r" && text[position + 1] === "\n" ? 2 : 1;
                line++;
                endOfRecord = true;
            }
        }
        yield { line: recordLine, fields };
    }
}

/** `TimeGenerated [UTC]` → `TimeGenerated`: the portal appends the time zone (or other notes) in brackets. */
export function normalizeHeader(name: string): string {
    return name.trim().replace(/\s*\[[^\]]*\]$/, "").trim();
}

const WHOLE_NUMBER = /^[+-]?\d+$/;
const GROUPED_THOUSANDS = /^[+-]?\d{1,3}([,.\u00a0\u202f' ]\d{3})+$/;
const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;

function shown(value: string): string {
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
}

function parseWholeNumber(raw: string): { value: number | null } | { error: string } {
    const text = raw.trim();
    if (text === "") return { value: null };
    if (WHOLE_NUMBER.test(text)) {
        const value = Number(text);
        if (!Number.isSafeInteger(value)) return { error: `${shown(raw)} is too large to be read exactly (above 2^53)` };
        return { value };
    }
    if (GROUPED_THOUSANDS.test(text)) {
        return { error: `${shown(raw)} is not a number: it has thousands separators; export the numbers without formatting` };
    }
    if (DECIMAL.test(text)) return { error: `${shown(raw)} is not a whole number` };
    return { error: `${shown(raw)} is not a number` };
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
}

export function parseLogAnalyticsCsv(text: string, file: string): CsvReadResult {
    const records = csvRecords(text, file);
    const first = records.next();
    if (first.done || (first.value.fields.length === 1 && first.value.fields[0].trim() === "")) {
        throw new CsvFormatError(file, null, "the file is empty: expected a header line with the McasShadowItReporting columns");
    }
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
    const columnIndex = {} as Record<DatasetColumnName, number>;
    const missing: string[] = [];
    for (const name of DATASET_COLUMNS) {
        const index = positions.get(name) ?? lowerPositions.get(name.toLowerCase());
        if (index === undefined) missing.push(name);
        else columnIndex[name] = index;
    }
    if (missing.length > 0) {
        const found = header.filter(name => name !== "").slice(0, 30).join(", ") || "(none)";
        throw new CsvFormatError(file, first.value.line,
            `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
            `(found: ${found}); export McasShadowItReporting with all its columns`);
    }
    const used = new Set(Object.values(columnIndex));
    const ignoredColumns = header.filter((name, index) => name !== "" && !used.has(index));

    const builder = new DatasetBuilder();
    for (const record of records) {
        const { fields, line } = record;
        if (fields.length === 1 && fields[0].trim() === "") continue; // blank line
        if (fields.length !== header.length) {
            throw new CsvFormatError(file, line, `expected ${header.length} fields as in the header, found ${fields.length}`);
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
                const parsed = parseWholeNumber(raw);
                if ("error" in parsed) throw new CsvFormatError(file, line, `column ${name}: ${parsed.error}`);
                row[name] = parsed.value;
            }
        }
        builder.add(row as DatasetRow);
    }
    return { dataset: builder.build(`Log Analytics CSV export ${file}`), ignoredColumns };
}

