/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// Day files through DuckDB: the staged rows of one UTC day (stage.ts) are merged with the day's existing file
// (time-range replacement) and written to a temporary file that is renamed over the target.
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import { availableParallelism } from "node:os";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { TIME_COLUMN } from "../tables.ts";
import { commitTempFile, tempPathFor } from "./atomic.ts";
import {
    CSV_DATETIME_FORMAT, csvHeaderName, outputExpression, quoteIdent, sqlString, typedFromCsv, typedFromStage,
} from "./columns.ts";
import type { ExportFormat } from "./manifest.ts";
import { CHUNK_ROWS, emptyStage, releaseStage, stageRows, type ColumnBinding, type Stage } from "./stage.ts";
import { ORDINAL_COLUMN, SCAN_FUNCTION, stageScanFunction } from "./stage-scan.ts";
import type { Span } from "./windows.ts";

export interface WrittenDay {
    /** Rows in the file after the merge. */
    readonly rows: number;
    /** Rows that came from this run's queries. */
    readonly freshRows: number;
    readonly bytes: number;
    readonly sha256: string;
    readonly minTime: string | null;
    readonly maxTime: string | null;
    /** Set when the existing file was left as it was (see `writeDay`). */
    readonly kept?: "no-rows" | "fewer-rows";
}

/**
 * zstd's fastest level: on discovery rows its pages come out no larger than at DuckDB's default level 3 (dictionary
 * and run-length encoding do most of the work before compression), and the file is written faster.
 */
const ZSTD_LEVEL = 1;

/** DuckDB's default rows per Parquet row group, and the fewest this writer puts in one. */
const DEFAULT_ROW_GROUP = 122_880;
const MIN_ROW_GROUP = 16_384;

/**
 * Rows per Parquet row group for a file of `rows` rows. DuckDB encodes row groups in parallel, but a day of a
 * small or mid-sized tenant fits in one default row group, which one thread encodes while the others wait: the day
 * is split evenly over the threads instead (in whole 2,048-row vectors, never below MIN_ROW_GROUP rows), which
 * costs a few percent of file size for the extra row-group metadata.
 */
export function rowGroupSize(rows: number, threads: number): number {
    const share = Math.ceil(rows / Math.max(1, threads) / CHUNK_ROWS) * CHUNK_ROWS;
    return Math.min(DEFAULT_ROW_GROUP, Math.max(MIN_ROW_GROUP, share));
}

/**
 * DuckDB's threads for `cores` cores: all but one, which stays with Node's thread. That thread stages rows, parses
 * the service's responses and feeds every chunk of a COPY through the stage's table function, a scan DuckDB runs
 * on one thread; a DuckDB thread that competes with it for a core slows the whole write.
 */
export function duckdbThreads(cores: number): number {
    return Math.max(1, Math.floor(cores) - 1);
}

/** One DuckDB instance per export run; all calls are serialized by the caller. */
export class DayStore {
    private stageCounter = 0;
    private readonly stages = new Map<string, Stage>();

    private constructor(
        private readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance, private readonly threads: number,
    ) {}

    static async open(): Promise<DayStore> {
        const instance = await DuckDBInstance.create(":memory:", { threads: String(duckdbThreads(availableParallelism())) });
        const connection = await instance.connect();
        const threads = Number((await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
        const store = new DayStore(connection, instance, Number.isInteger(threads) && threads > 0 ? threads : 1);
        connection.registerTableFunction(stageScanFunction(store.stages));
        return store;
    }

    close(): void {
        for (const stage of [...this.stages.keys()]) this.release(stage);
        this.connection.closeSync();
        this.instance.closeSync();
    }

    /** Creates the (empty) stage of one day and returns its name. */
    async createStage(table: TableSchema): Promise<string> {
        const name = `stage_${++this.stageCounter}`;
        this.stages.set(name, emptyStage(table));
        return name;
    }

    async dropStage(stage: string): Promise<void> {
        this.release(stage);
    }

    private release(name: string): void {
        const stage = this.stages.get(name);
        if (!stage) return;
        this.stages.delete(name);
        releaseStage(stage);
    }

    private stage(name: string): Stage {
        const stage = this.stages.get(name);
        if (!stage) throw new Error(`no stage named ${name}: it was dropped or never created`);
        return stage;
    }

    /** The staged rows as a relation, with the arrival ordinal in `__ord`. */
    private scan(stage: string): string {
        return `${SCAN_FUNCTION}(${sqlString(stage)})`;
    }

    /** Stages result rows (see stageRows): a value of the wrong type stops with a clear error. */
    async append(stage: string, table: TableSchema, bindings: readonly ColumnBinding[], rows: readonly (readonly unknown[])[]): Promise<void> {
        stageRows(this.stage(stage), table, bindings, rows);
    }

    /**
     * An exported day file as a relation, by column name: the schema's columns typed as the schema says, and the
     * columns of the file that the schema no longer has (an earlier run's workspace had them) kept as they are,
     * after the schema's (`kept`). A schema column the file lacks is left to the union (null in the old rows).
     */
    private async existingRelation(table: TableSchema, file: string, format: ExportFormat): Promise<{ relation: string; kept: string[] }> {
        if (format === "parquet") {
            const source = `read_parquet(${sqlString(file)})`;
            const names = new Set(table.columns.map(c => c.name));
            const kept = (await this.columnNames(source)).filter(name => !names.has(name));
            return { relation: `(SELECT * FROM ${source})`, kept };
        }
        // The writer tells an empty string (`""`) from a null (a bare empty field); reading back keeps them apart,
        // so that a merged file has the same bytes as a clean export's. Every value is read as its text.
        const source = `read_csv(${sqlString(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ` +
            "allow_quoted_nulls = false)";
        const headers = await this.columnNames(source);
        const byHeader = new Map(table.columns.map(c => [csvHeaderName(c), c]));
        const typed = headers.map(header => {
            const column = byHeader.get(header);
            return column ? typedFromCsv(column) : quoteIdent(header);
        });
        const kept = headers.filter(header => !byHeader.has(header));
        return { relation: `(SELECT ${typed.join(", ")} FROM ${source})`, kept };
    }

    private async columnNames(source: string): Promise<string[]> {
        const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
        return described.getRows().map(row => String(row[0]));
    }

    /**
     * Writes the day file `target`: the rows of `existing` (if any) outside `fresh` (the span this run read)
     * plus the staged rows, ordered by TimeGenerated. When the staged rows are fewer than the existing file
     * holds inside the span (a rerun over data the workspace no longer retains), the existing file is kept
     * as it is: an export never loses history it already has.
     */
    async writeDay(
        stage: string, table: TableSchema, format: ExportFormat, target: string, fresh: Span, existing: boolean, ordered: boolean,
    ): Promise<WrittenDay | undefined> {
        const staged = this.stage(stage);
        const time = quoteIdent(TIME_COLUMN);
        const start = `epoch_ms(${fresh.start})`;
        const end = `epoch_ms(${fresh.end})`;
        const typed = `(SELECT ${table.columns.map(typedFromStage).join(", ")}, ${ORDINAL_COLUMN} FROM ${this.scan(stage)})`;
        const freshCount = staged.rows;
        if (!existing) {
            if (freshCount === 0) return undefined;
            // A new day file: straight from the staged rows, sorted only when windows arrived out of order.
            const { minTime: min, maxTime: max } = staged;
            const select = table.columns.map(c => outputExpression(c, format)).join(", ");
            const order = ordered ? "" : ` ORDER BY ${time}, ${ORDINAL_COLUMN}`;
            const written = await this.copyOut(`SELECT ${select} FROM ${typed}${order}`, format, target, freshCount);
            return {
                ...written, rows: freshCount, freshRows: freshCount,
                minTime: min !== null ? new Date(min).toISOString() : null,
                maxTime: max !== null ? new Date(max).toISOString() : null,
            };
        }
        // An existing day file: keep its rows outside the span read now, replace those inside it.
        const { relation: old, kept } = await this.existingRelation(table, target, format);
        const existingInSpan = await this.rowsInSpan(table, format, target, fresh);
        if (freshCount < existingInSpan) return undefined;
        const parts = [
            `SELECT *, 1 AS __part FROM ${typed}`,
            `SELECT *, 0 AS ${ORDINAL_COLUMN}, CASE WHEN ${time} < ${start} THEN 0 ELSE 2 END AS __part FROM ${old} WHERE ${time} IS NULL OR ${time} < ${start} OR ${time} >= ${end}`,
        ];
        const merged = `merged_${stage}`;
        await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${merged} AS SELECT * EXCLUDE (__part, ${ORDINAL_COLUMN}) FROM (${parts.join(" UNION ALL BY NAME ")}) ORDER BY __part, ${time}, ${ORDINAL_COLUMN}`);
        try {
            const stats = await this.connection.runAndReadAll(
                `SELECT count(*)::BIGINT, strftime(min(${time}), '${CSV_DATETIME_FORMAT}'), strftime(max(${time}), '${CSV_DATETIME_FORMAT}') FROM ${merged}`,
            );
            const [rowCount, minTime, maxTime] = stats.getRows()[0];
            const select = [...table.columns.map(c => outputExpression(c, format)), ...kept.map(quoteIdent)].join(", ");
            const written = await this.copyOut(`SELECT ${select} FROM ${merged}`, format, target, Number(rowCount));
            return {
                ...written, rows: Number(rowCount), freshRows: freshCount,
                minTime: typeof minTime === "string" ? minTime : null,
                maxTime: typeof maxTime === "string" ? maxTime : null,
            };
        } finally {
            await this.connection.run(`DROP TABLE IF EXISTS ${merged}`);
        }
    }

    /** Rows of the exported file `target` inside `span`: what a rerun over that span must bring back at least. */
    async rowsInSpan(table: TableSchema, format: ExportFormat, target: string, span: Span): Promise<number> {
        const time = quoteIdent(TIME_COLUMN);
        try {
            const { relation: old } = await this.existingRelation(table, target, format);
            return await this.scalar(`SELECT count(*) FROM ${old} WHERE ${time} >= epoch_ms(${span.start}) AND ${time} < epoch_ms(${span.end})`);
        } catch (error) {
            throw new UserError(
                `cannot read the exported file ${target} back to merge new rows into it (${(error as Error).message.split("\n")[0]}); ` +
                "the file is left as it is: move it away and rerun with --since to refetch that day",
            );
        }
    }

    /** Rows, TimeGenerated range, size and hash of an exported day file, read from the file itself. */
    async fileStats(table: TableSchema, format: ExportFormat, target: string): Promise<Omit<WrittenDay, "freshRows" | "kept">> {
        const time = quoteIdent(TIME_COLUMN);
        let row: unknown[];
        try {
            // Inside the try: a file that cannot be read fails already when its columns are listed.
            const { relation: old } = await this.existingRelation(table, target, format);
            const stats = await this.connection.runAndReadAll(
                `SELECT count(*)::BIGINT, strftime(min(${time}), '${CSV_DATETIME_FORMAT}'), strftime(max(${time}), '${CSV_DATETIME_FORMAT}') FROM ${old}`,
            );
            row = stats.getRows()[0];
        } catch (error) {
            throw new UserError(
                `cannot read the exported file ${target} to check the manifest against it (${(error as Error).message.split("\n")[0]}); ` +
                "nothing was changed: move the file away and rerun with --since to refetch that day",
            );
        }
        const [rowCount, minTime, maxTime] = row;
        return {
            ...await hashFile(target), rows: Number(rowCount),
            minTime: typeof minTime === "string" ? minTime : null, maxTime: typeof maxTime === "string" ? maxTime : null,
        };
    }

    /** Writes a query's `rows` rows to a temporary file next to `target`, then renames it over `target`. */
    private async copyOut(select: string, format: ExportFormat, target: string, rows: number): Promise<{ bytes: number; sha256: string }> {
        const temp = tempPathFor(target);
        const options = format === "parquet"
            ? `FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL ${ZSTD_LEVEL}, ROW_GROUP_SIZE ${rowGroupSize(rows, this.threads)}`
            : "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"'";
        try {
            await this.connection.run(`COPY (${select}) TO ${sqlString(temp)} (${options})`);
            const hashed = await hashFile(temp);
            await commitTempFile(temp, target);
            return hashed;
        } catch (error) {
            await fs.rm(temp, { force: true }).catch(() => undefined);
            throw error;
        }
    }

    /** Largest TimeGenerated staged (epoch ms), or undefined. */
    async maxStagedTime(stage: string): Promise<number | undefined> {
        return this.stage(stage).maxTime ?? undefined;
    }

    private async scalar(sql: string): Promise<number> {
        const result = await this.connection.runAndReadAll(sql);
        return Number(result.getRows()[0][0]);
    }
}

async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of createReadStream(file)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
    }
    return { bytes, sha256: hash.digest("hex") };
}

