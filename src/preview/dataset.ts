// The preview's dataset: the McasShadowItReporting columns that the visual's data roles read, stored column by
// column (text dictionary-encoded) so that a few hundred thousand rows travel to the page as compact JSON.
// Shared by the Node side (readers) and the page (DataView builder): no DOM, no Node.

export const TEXT_COLUMNS = ["AppCategory", "AppName", "StreamName", "AppTags", "UserName", "IpAddress", "TimeGenerated", "AppId"] as const;
export const NUMBER_COLUMNS = [
    "AppScore", "UploadedBytes", "DownloadedBytes", "TotalBytes", "TotalEvents", "BlockedEvents",
] as const;

export type TextColumnName = typeof TEXT_COLUMNS[number];
export type NumberColumnName = typeof NUMBER_COLUMNS[number];
export type DatasetColumnName = TextColumnName | NumberColumnName;

/**
 * Columns a source may lack: TimeGenerated, held as the UTC day of the row ("2026-03-02", the day of its export
 * file) and blank when the source has no usable time (a CSV source leaves it blank); AppId, held as text (the Azure
 * Monitor schema's type; the exported integer 11161 becomes "11161") and blank from a CSV source.
 */
export const OPTIONAL_COLUMNS: readonly DatasetColumnName[] = ["TimeGenerated", "AppId"];

/** Every column the preview needs; a source missing any of them cannot feed the preview. */
export const DATASET_COLUMNS: readonly DatasetColumnName[] = [...TEXT_COLUMNS, ...NUMBER_COLUMNS].filter(name => !OPTIONAL_COLUMNS.includes(name));

/** Text values as indexes into `dictionary`; -1 is null (a blank in Power BI). */
export interface TextColumn {
    readonly dictionary: string[];
    readonly codes: number[];
}

export interface PreviewDataset {
    /** Where the rows came from, shown on the page (e.g. "sample tenant via the Log Analytics emulator"). */
    readonly source: string;
    readonly rowCount: number;
    readonly text: Record<TextColumnName, TextColumn>;
    readonly numbers: Record<NumberColumnName, (number | null)[]>;
}

export type DatasetRow = { readonly [K in Exclude<TextColumnName, "TimeGenerated" | "AppId">]: string | null }
    & { readonly TimeGenerated?: string | null; readonly AppId?: string | null }
    & { readonly [K in NumberColumnName]: number | null };

export function isTextColumn(name: string): name is TextColumnName {
    return (TEXT_COLUMNS as readonly string[]).includes(name);
}

/** Appends rows one at a time, interning text values. */
export class DatasetBuilder {
    private readonly lookups = new Map<TextColumnName, Map<string, number>>();
    private readonly text = {} as Record<TextColumnName, TextColumn>;
    private readonly numbers = {} as Record<NumberColumnName, (number | null)[]>;
    private rows = 0;

    constructor() {
        for (const name of TEXT_COLUMNS) {
            this.text[name] = { dictionary: [], codes: [] };
            this.lookups.set(name, new Map());
        }
        for (const name of NUMBER_COLUMNS) this.numbers[name] = [];
    }

    add(row: DatasetRow): void {
        for (const name of TEXT_COLUMNS) this.text[name].codes.push(this.intern(name, row[name]));
        for (const name of NUMBER_COLUMNS) this.numbers[name].push(row[name]);
        this.rows++;
    }

    get rowCount(): number {
        return this.rows;
    }

    build(source: string): PreviewDataset {
        return { source, rowCount: this.rows, text: this.text, numbers: this.numbers };
    }

    private intern(name: TextColumnName, value: string | null | undefined): number {
        if (value === null || value === undefined) return -1;
        const lookup = this.lookups.get(name) as Map<string, number>;
        let code = lookup.get(value);
        if (code === undefined) {
            code = this.text[name].dictionary.length;
            this.text[name].dictionary.push(value);
            lookup.set(value, code);
        }
        return code;
    }
}

export function textAt(column: TextColumn, row: number): string | null {
    const code = column.codes[row];
    return code < 0 ? null : column.dictionary[code];
}

/** Checks the shape of a dataset received as JSON before the page trusts it. */
export function assertDataset(value: unknown): asserts value is PreviewDataset {
    const candidate = value as Partial<PreviewDataset> | null;
    if (!candidate || typeof candidate !== "object" || typeof candidate.rowCount !== "number") {
        throw new Error("the preview dataset is not an object with a rowCount");
    }
    for (const name of TEXT_COLUMNS) {
        const column = candidate.text?.[name];
        if (!column || !Array.isArray(column.dictionary) || !Array.isArray(column.codes) || column.codes.length !== candidate.rowCount) {
            throw new Error(`the preview dataset's text column ${name} is missing or has the wrong length`);
        }
    }
    for (const name of NUMBER_COLUMNS) {
        const column = candidate.numbers?.[name];
        if (!Array.isArray(column) || column.length !== candidate.rowCount) {
            throw new Error(`the preview dataset's number column ${name} is missing or has the wrong length`);
        }
    }
}
