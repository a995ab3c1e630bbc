// Loads the generated model's tables from an export folder the way their partitions' M says, for the DAX evaluator.
//
// The M is not run (there is no Power Query engine here): each step of a partition is matched against the step
// forms the generator writes, and the loader does what that form does. A step it does not recognise is an error,
// so a change in the M cannot leave the figures computed by an older rule. The raw rows come from the export's
// day files through DuckDB, restricted to the files and the [RangeStart, RangeEnd) instants the M reads.
import { readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DaxMeasure, DaxModel, DaxRelationship, DaxTable, DaxValue } from "./report-dax-evaluator.ts";
import type { TmdlObject } from "./report-tmdl-reader.ts";

type Row = Record<string, DaxValue>;

const DAY_MS = 86_400_000;

export interface ModelParameters {
    readonly workspaceId: string;
    /** RangeStart and RangeEnd as instants (Power BI's datetime parameters, read as UTC). */
    readonly rangeStart: number;
    readonly rangeEnd: number;
}

/** The parameters of expressions.tmdl: `expression RangeStart = #datetime(...) meta [...]`. */
export function readParameters(expressions: readonly TmdlObject[]): ModelParameters {
    const value = (name: string): string => {
        const object = expressions.find(o => o.type === "Expression" && o.name === name);
        if (!object?.defaultValue) throw new Error(`expressions.tmdl has no ${name}`);
        return object.defaultValue;
    };
    const datetime = (name: string): number => {
        const m = /^#datetime\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\)/.exec(value(name));
        if (!m) throw new Error(`${name} is not a #datetime literal: ${value(name)}`);
        const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
        return Date.UTC(y, mo - 1, d, h, mi, s);
    };
    const workspace = /^"([^"]*)"/.exec(value("WorkspaceId"));
    if (!workspace) throw new Error("WorkspaceId is not a text literal");
    return { workspaceId: workspace[1] as string, rangeStart: datetime("RangeStart"), rangeEnd: datetime("RangeEnd") };
}

/** An M datetime without a zone, as the model holds it: "2026-03-01T00:00:00". */
function mDatetime(ms: number): string {
    return new Date(ms).toISOString().slice(0, 19);
}

interface Step { readonly name: string; readonly expression: string }

/** The steps of a `let` at four spaces, a nested `let` (the Rows step) kept whole as its expression. */
function stepsOf(m: string): Step[] {
    const lines = m.split("\n");
    if (lines[0] !== "let") throw new Error(`a partition's M starts with let:\n${m}`);
    const steps: Step[] = [];
    for (let i = 1; i < lines.length; i++) {
        const line = lines[i] as string;
        if (line === "in") break;
        if (/^ {4}\/\//.test(line) || line.trim() === "") continue;
        const head = /^ {4}([A-Za-z]+) =(.*)$/.exec(line);
        if (!head) throw new Error(`unexpected line in a partition's M: ${line}`);
        let expression = (head[2] as string).trim();
        while (i + 1 < lines.length && /^ {5,}/.test(lines[i + 1] as string)) expression += `\n${lines[++i] as string}`;
        steps.push({ name: head[1] as string, expression: expression.replace(/,$/, "") });
    }
    return steps;
}

function text(literal: string): string {
    return JSON.parse(literal) as string;
}

function textList(list: string): string[] {
    return [...list.matchAll(/"((?:[^"]|"")*)"/g)].map(m => (m[1] as string).replace(/""/g, "\""));
}

/** Reads the raw rows a `Rows = let ... in Filtered` step (the folder query) gives. */
class ExportReader {
    private readonly cache = new Map<string, Row[]>();
    constructor(private readonly parameters: ModelParameters) { }

    async rows(step: string): Promise<Row[]> {
        const root = /Root = ("(?:[^"]|"")*")/.exec(step);
        const folder = /TableFolder = Root & "([/\\])" & WorkspaceId & "[/\\]([A-Za-z]+)"/.exec(step);
        if (!root || !folder) throw new Error(`the Rows step is not the folder query:\n${step}`);
        const whole = step.includes("InRange = DayFiles");
        const ranged = step.includes("InRange = Table.SelectRows(DayFiles, each DateTime.From([Day]) < RangeEnd and DateTime.From([Day]) + #duration(1, 0, 0, 0) > RangeStart)")
            && step.includes("Filtered = Table.SelectRows(Typed, each [TimeGenerated] >= DateTime.AddZone(RangeStart, 0) and [TimeGenerated] < DateTime.AddZone(RangeEnd, 0))");
        if (whole === ranged) throw new Error(`the Rows step reads neither every file nor the range:\n${step}`);
        const optional = step.startsWith("if not Exported then #table(");
        const table = folder[2] as string;
        const directory = path.join(text(root[1] as string), this.parameters.workspaceId, table);
        const key = `${directory}\u0000${whole}`;
        const cached = this.cache.get(key);
        if (cached) return cached;
        if (!existsSync(directory)) {
            if (optional) return [];
            throw new Error(`${directory} is missing: the refresh would fail`);
        }
        const files = readdirSync(directory).filter(n => /^\d{4}-\d{2}-\d{2}\.parquet$/i.test(n)).filter(n => {
            if (whole) return true;
            const day = Date.parse(`${n.slice(0, 10)}T00:00:00Z`);
            return day < this.parameters.rangeEnd && day + DAY_MS > this.parameters.rangeStart;
        }).sort().map(n => path.join(directory, n));
        if (readdirSync(directory).some(n => /\.csv$/i.test(n))) throw new Error(`${directory}: the loader reads Parquet exports only`);
        const rows = files.length === 0 ? [] : await readParquetRows(files);
        const kept = whole ? rows : rows.filter(r => (r.TimeGenerated as number) >= this.parameters.rangeStart && (r.TimeGenerated as number) < this.parameters.rangeEnd);
        this.cache.set(key, kept);
        return kept;
    }
}

/** Every column of the files; times as epoch milliseconds, integers as numbers, dynamic values as JSON text. */
async function readParquetRows(files: readonly string[]): Promise<Row[]> {
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    try {
        const from = `read_parquet([${files.map(f => `'${f.replace(/'/g, "''")}'`).join(", ")}], union_by_name = true)`;
        const types = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjectsJS().map(r => [String(r.column_name), String(r.column_type)] as const);
        const select = types.map(([name, type]) => {
            const q = `"${name.replace(/"/g, "\"\"")}"`;
            if (type.startsWith("TIMESTAMP")) return `epoch_ms(${q})::DOUBLE AS ${q}`;
            if (/INT|DOUBLE|FLOAT|DECIMAL/.test(type)) return `${q}::DOUBLE AS ${q}`;
            if (type === "VARCHAR" || type === "BOOLEAN") return q;
            return `to_json(${q})::VARCHAR AS ${q}`;
        });
        return (await db.runAndReadAll(`SELECT ${select.join(", ")} FROM ${from}`)).getRowObjectsJS() as Row[];
    } finally {
        db.closeSync();
        instance.closeSync();
    }
}

/** Defender's tags as the M's TagsOf reads them: a JSON array of texts, anything else none. */
function tagsOf(tags: DaxValue): string[] {
    if (typeof tags !== "string" || tags === "") return [];
    try {
        const parsed: unknown = JSON.parse(tags);
        return Array.isArray(parsed) ? parsed.map(t => (typeof t === "string" ? t : JSON.stringify(t))) : [];
    } catch {
        return [];
    }
}

type Aggregate = (rows: Row[]) => DaxValue;

/** One aggregation of a Table.Group step, by the forms the generator writes. */
function aggregation(form: string): { name: string; aggregate: Aggregate } {
    const known: [RegExp, (m: RegExpExecArray) => Aggregate][] = [
        [/^\{"([^"]+)", each List\.Sum\(\[([^\]]+)\]\), type nullable number\}$/, m => rows => {
            const values = rows.map(r => r[m[2] as string]).filter(v => v !== null && v !== undefined) as number[];
            return values.length === 0 ? null : values.reduce((s, v) => s + v, 0);
        }],
        [/^\{"([^"]+)", each List\.Count\(List\.Distinct\(List\.RemoveNulls\(\[([^\]]+)\]\)\)\), Int64\.Type\}$/,
            m => rows => new Set(rows.map(r => r[m[2] as string]).filter(v => v !== null && v !== undefined)).size],
        [/^\{"([^"]+)", each Table\.RowCount\(_\), Int64\.Type\}$/, () => rows => rows.length],
        [/^\{"([^"]+)", each List\.Count\(List\.Select\(\[([^\]]+)\], each _ <> "([^"]*)"\)\), Int64\.Type\}$/,
            m => rows => rows.filter(r => r[m[2] as string] !== m[3]).length],
        [/^\{"([^"]+)", each List\.Count\(List\.Select\(\[([^\]]+)\], each List\.Contains\(\{([^}]*)\}, _\)\)\), Int64\.Type\}$/,
            m => rows => { const set = new Set(textList(m[3] as string)); return rows.filter(r => set.has(r[m[2] as string] as string)).length; }],
        [/^\{"([^"]+)", each Table\.Max\(_, "([^"]+)"\), type record\}$/, m => rows => {
            // Table.Max keeps the first row of the largest value.
            let best: Row | undefined;
            for (const r of rows) if (best === undefined || (r[m[2] as string] as number) > (best[m[2] as string] as number)) best = r;
            return JSON.stringify(best ?? null);
        }],
    ];
    for (const [pattern, make] of known) {
        const m = pattern.exec(form);
        if (m) return { name: m[1] as string, aggregate: make(m) };
    }
    throw new Error(`the loader does not know the aggregation ${form}: teach it`);
}

/** Splits `{a}, {b}, ...` at the top level. */
function braces(list: string): string[] {
    const parts: string[] = [];
    let depth = 0, start = -1;
    for (let i = 0; i < list.length; i++) {
        const c = list[i];
        if (c === "\"") { i = list.indexOf("\"", i + 1); while (list[i + 1] === "\"") i = list.indexOf("\"", i + 2); continue; }
        if (c === "{") { if (depth === 0) start = i; depth++; }
        if (c === "}") { depth--; if (depth === 0) parts.push(list.slice(start, i + 1)); }
    }
    return parts;
}

function group(rows: Row[], keys: string[], aggregations: { name: string; aggregate: Aggregate }[]): Row[] {
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
        const k = JSON.stringify(keys.map(c => r[c] ?? null));
        const list = groups.get(k);
        if (list) list.push(r); else groups.set(k, [r]);
    }
    return [...groups.values()].map(list => {
        const out: Row = {};
        for (const k of keys) out[k] = (list[0] as Row)[k] ?? null;
        for (const a of aggregations) out[a.name] = a.aggregate(list);
        return out;
    });
}

const dayOf = (ms: DaxValue): DaxValue => (typeof ms === "number" ? Math.floor(ms / DAY_MS) * DAY_MS : null);

/** Runs one step's form over the rows of the step it names; the forms the generator writes and nothing else. */
function applyStep(step: Step, input: (name: string) => Row[], tagsDefined: boolean, parameters: ModelParameters): Row[] | "function" {
    const e = step.expression;
    let m: RegExpExecArray | null;
    // The optional tables' check that the export holds their subfolder: the Rows step reads it (ExportReader).
    if (step.name === "WorkspaceFolder" && /^Folder\.Contents\("(?:[^"]|"")*" & "[/\\]" & WorkspaceId\)$/.test(e)) return "function";
    if (step.name === "Exported" && /^List\.Contains\(Table\.SelectRows\(WorkspaceFolder, each \[Attributes\]\?\[Kind\]\? = "Folder"\)\[Name\], "[A-Za-z]+"\)$/.test(e)) return "function";
    if (/^\(tags as nullable text\) as list => if tags = null or tags = "" then \{\} else try List\.Transform\(Json\.Document\(tags\), Text\.From\) otherwise \{\}$/.test(e)) return "function";
    if ((m = /^Table\.AddColumn\((\w+), "Date", each DateTime\.AddZone\(DateTime\.From\(DateTime\.Date\(\[TimeGenerated\]\)\), 0\), type datetimezone\)$/.exec(e))) {
        return input(m[1] as string).map(r => ({ ...r, Date: dayOf(r.TimeGenerated ?? null) }));
    }
    if ((m = /^Table\.TransformColumns\((\w+), \{\{"AppId", each if _ = null then null else Text\.From\(_, "en-US"\), type nullable text\}\}\)$/.exec(e))) {
        return input(m[1] as string).map(r => ({ ...r, AppId: r.AppId === null || r.AppId === undefined ? null : String(r.AppId) }));
    }
    if ((m = /^Table\.AddColumn\((\w+), "UserKey", each if \[(\w+)\] = null then null else Text\.Lower\(\[\2\]\), type nullable text\)$/.exec(e))) {
        const column = m[2] as string;
        return input(m[1] as string).map(r => ({ ...r, UserKey: typeof r[column] === "string" ? (r[column] as string).toLowerCase() : null }));
    }
    if ((m = /^List\.Buffer\(List\.Distinct\(Table\.SelectRows\((\w+), each \[StreamName\] = ("[^"]+")\)\[Date\]\)\)$/.exec(e))) {
        return [{ stream: text(m[2] as string), source: m[1] as string }];
    }
    if ((m = /^Table\.SelectRows\((\w+), each \(\(\[AppScore\] <> null and \[AppScore\] <= (\d+)\) or List\.Contains\(TagsOf\(\[AppTags\]\), "unsanctioned"\)\) and \(\[StreamName\] = ("[^"]+") or not List\.Contains\(GlobalViewDays, \[Date\]\)\)\)$/.exec(e))) {
        if (!tagsDefined) throw new Error("Risky uses TagsOf before it is defined");
        const max = Number(m[2]), stream = text(m[3] as string);
        const rows = input(m[1] as string);
        const gv = input("GlobalViewDays")[0] as { stream: string; source: string };
        if (gv.stream !== stream) throw new Error("GlobalViewDays and Risky name different streams");
        const days = new Set(input(gv.source).filter(r => r.StreamName === stream).map(r => r.Date));
        return rows.filter(r => ((typeof r.AppScore === "number" && r.AppScore <= max) || tagsOf(r.AppTags ?? null).includes("unsanctioned"))
            && (r.StreamName === stream || !days.has(r.Date)));
    }
    if ((m = /^Table\.SelectRows\((\w+), each \[ProductName\] = ("[^"]+") or \[ProviderName\] = ("[^"]+")\)$/.exec(e))) {
        const product = text(m[2] as string), provider = text(m[3] as string);
        return input(m[1] as string).filter(r => r.ProductName === product || r.ProviderName === provider);
    }
    if ((m = /^Table\.Group\((\w+), \{([^}]*)\}, \{(.*)\}\)$/s.exec(e))) {
        return group(input(m[1] as string), textList(m[2] as string), braces(m[3] as string).map(aggregation));
    }
    if ((m = /^Table\.ExpandRecordColumn\((\w+), "Row", \{([^}]*)\}\)$/.exec(e))) {
        const columns = textList(m[2] as string);
        return input(m[1] as string).map(r => {
            const record = JSON.parse(r.Row as string) as Row;
            const out: Row = { ...r };
            delete out.Row;
            for (const c of columns) out[c] = record[c] ?? null;
            return out;
        });
    }
    if ((m = /^Table\.AddColumn\((\w+), "DisplayName", each if \[Row\]\[EnrichedUserName\] = null or \[Row\]\[EnrichedUserName\] = "" then \[UserKey\] else \[Row\]\[EnrichedUserName\], type text\)$/.exec(e))) {
        return input(m[1] as string).map(r => {
            const enriched = (JSON.parse(r.Row as string) as Row).EnrichedUserName;
            return { ...r, DisplayName: enriched === null || enriched === undefined || enriched === "" ? r.UserKey ?? null : enriched };
        });
    }
    if ((m = /^Table\.AddColumn\((\w+), "Sanction", each if List\.Contains\(TagsOf\(\[AppTags\]\), "unsanctioned"\) then "Unsanctioned" else if List\.Contains\(TagsOf\(\[AppTags\]\), "sanctioned"\) then "Sanctioned" else "None", type text\)$/.exec(e))) {
        return input(m[1] as string).map(r => {
            const tags = tagsOf(r.AppTags ?? null);
            return { ...r, Sanction: tags.includes("unsanctioned") ? "Unsanctioned" : tags.includes("sanctioned") ? "Sanctioned" : "None" };
        });
    }
    if ((m = /^Table\.AddColumn\((\w+), "CustomTags", each Text\.Combine\(List\.Distinct\(List\.Difference\(TagsOf\(\[AppTags\]\), \{"sanctioned", "unsanctioned"\}\)\), ", "\), type text\)$/.exec(e))) {
        return input(m[1] as string).map(r => ({ ...r, CustomTags: [...new Set(tagsOf(r.AppTags ?? null).filter(t => t !== "sanctioned" && t !== "unsanctioned"))].join(", ") }));
    }
    if ((m = /^Table\.AddColumn\((\w+), "RiskBand", each if \[AppScore\] = null or \[AppScore\] < 0 or \[AppScore\] > 10 then "Unscored" else if \[AppScore\] <= (\d+) then "High" else if \[AppScore\] <= 7 then "Medium" else "Low", type text\)$/.exec(e))) {
        const high = Number(m[2]);
        return input(m[1] as string).map(r => {
            const s = r.AppScore;
            return { ...r, RiskBand: typeof s !== "number" || s < 0 || s > 10 ? "Unscored" : s <= high ? "High" : s <= 7 ? "Medium" : "Low" };
        });
    }
    if ((m = /^Table\.Distinct\(Table\.SelectColumns\((\w+), \{"StreamName"\}\)\)$/.exec(e))) {
        return group(input(m[1] as string), ["StreamName"], []);
    }
    if ((m = /^Table\.TransformColumns\((\w+), List\.Transform\(\{([^}]*)\}, each \{_, \(v\) => if v = null then null else DateTimeZone\.RemoveZone\(DateTimeZone\.ToUtc\(v\)\)\}\)\)$/.exec(e))) {
        const columns = textList(m[2] as string);
        return input(m[1] as string).map(r => {
            const out = { ...r };
            for (const c of columns) out[c] = typeof r[c] === "number" ? mDatetime(r[c] as number) : null;
            return out;
        });
    }
    if ((m = /^Table\.SelectColumns\((\w+), \{([^}]*)\}\)$/.exec(e))) {
        const columns = textList(m[2] as string);
        return input(m[1] as string).map(r => Object.fromEntries(columns.map(c => {
            if (!(c in r)) throw new Error(`Table.SelectColumns: no column ${c}: the refresh would fail`);
            return [c, r[c] ?? null];
        })));
    }
    if ((m = /^Table\.TransformColumnTypes\((\w+), \{(.*)\}, "en-US"\)$/.exec(e))) {
        const types = braces(m[2] as string).map(t => {
            const p = /^\{"([^"]+)", (type text|Int64\.Type|type number|type datetime)\}$/.exec(t);
            if (!p) throw new Error(`the loader does not know the type ${t}: teach it`);
            return [p[1] as string, p[2] as string] as const;
        });
        return input(m[1] as string).map(r => {
            const out = { ...r };
            for (const [c, type] of types) {
                const v = r[c] ?? null;
                if (v === null) continue;
                if (type === "Int64.Type") {
                    if (typeof v !== "number") throw new Error(`${c}: ${JSON.stringify(v)} is not a number`);
                    out[c] = Math.round(v);
                } else if (type === "type text") out[c] = String(v);
                else if (type === "type datetime" && (typeof v !== "string" || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(v))) throw new Error(`${c}: ${JSON.stringify(v)} is not a datetime`);
            }
            return out;
        });
    }
    if ((m = /^Table\.SelectRows\((\w+), each \[Date\] >= RangeStart and \[Date\] < RangeEnd\)$/.exec(e))) {
        const start = mDatetime(parameters.rangeStart), end = mDatetime(parameters.rangeEnd);
        return input(m[1] as string).filter(r => typeof r.Date === "string" && r.Date >= start && r.Date < end);
    }
    throw new Error(`the loader does not know the step ${step.name} = ${e.split("\n")[0]}: teach it`);
}

/** A table's rows from its partition's M. */
async function loadTable(m: string, reader: ExportReader, parameters: ModelParameters): Promise<Row[]> {
    const results = new Map<string, Row[]>();
    let tags = false;
    let last: Row[] = [];
    for (const step of stepsOf(m)) {
        if (step.name === "Rows") {
            last = await reader.rows(step.expression);
        } else {
            const result = applyStep(step, name => {
                const rows = results.get(name);
                if (!rows) throw new Error(`step ${step.name} reads ${name}, which is not an earlier table step`);
                return rows;
            }, tags, parameters);
            if (result === "function") { tags = true; continue; }
            last = result;
        }
        results.set(step.name, last);
    }
    const final = /\nin\n {4}(\w+)\s*$/.exec(m);
    if (!final || !results.has(final[1] as string)) throw new Error("a partition's M ends with `in` and one of its steps");
    return results.get(final[1] as string) as Row[];
}

/**
 * The Date table: its M reads the clock (DateTimeZone.UtcNow), so here it holds the days of RangeStart to RangeEnd.
 * Nothing in the checks filters it, and the facts' days all lie in that range.
 */
function dateRows(parameters: ModelParameters): Row[] {
    const rows: Row[] = [];
    for (let day = parameters.rangeStart; day < parameters.rangeEnd; day += DAY_MS) {
        rows.push({ Date: mDatetime(day), Month: mDatetime(day).slice(0, 7), Weekday: null });
    }
    return rows;
}

/** The DAX model of a project's TMDL: its tables loaded from the export, its relationships and its measures. */
export async function loadModel(tables: readonly TmdlObject[], relationships: readonly TmdlObject[], parameters: ModelParameters): Promise<DaxModel> {
    const reader = new ExportReader(parameters);
    const loaded: DaxTable[] = [];
    const measures: DaxMeasure[] = [];
    for (const table of tables) {
        const name = table.name as string;
        const columns = table.children.filter(c => c.type === "Column").map(c => c.name as string);
        for (const measure of table.children.filter(c => c.type === "Measure")) {
            measures.push({ table: name, name: measure.name as string, expression: measure.defaultValue as string });
        }
        const partition = table.children.find(c => c.type === "Partition");
        const source = partition?.properties.get("source");
        if (typeof source !== "string") throw new Error(`table ${name} has no M partition source`);
        const rows = name === "Date" ? dateRows(parameters) : await loadTable(source, reader, parameters);
        for (const row of rows) {
            const extra = Object.keys(row).filter(k => !columns.includes(k));
            if (extra.length > 0 || columns.some(c => !(c in row))) {
                throw new Error(`table ${name}: the M gives the columns ${Object.keys(row).join(", ")}, the TMDL declares ${columns.join(", ")}`);
            }
        }
        loaded.push({ name, columns, rows });
    }
    const rels: DaxRelationship[] = relationships.map(r => {
        const side = (key: string) => {
            const value = r.properties.get(key);
            if (typeof value !== "string") throw new Error(`relationship ${r.name} has no ${key}`);
            const m = /^'?([^'[]+?)'?\.'?([^']+?)'?$/.exec(value);
            if (!m) throw new Error(`relationship ${r.name}: cannot read ${value}`);
            return { table: m[1] as string, column: m[2] as string };
        };
        const from = side("fromColumn"), to = side("toColumn");
        return { fromTable: from.table, fromColumn: from.column, toTable: to.table, toColumn: to.column };
    });
    return { tables: loaded, relationships: rels, measures };
}
