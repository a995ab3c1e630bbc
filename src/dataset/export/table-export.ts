/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// Exporting one table of a run, in named steps: record the range it sets out to read, read the workspace's
// columns, plan windows under the budgets, fetch the windows concurrently into per-day stages, write each day
// file as its last window arrives, and advance the covered range and the watermark over complete days only.
import { promises as fs } from "node:fs";
import path from "node:path";
import type { TableSchema } from "../../schema.ts";
import { rawQuery } from "../kql/index.ts";
import { throwIfCancelled } from "./cancel.ts";
import { manifestSchema } from "./columns.ts";
import type { DayStore, WrittenDay } from "./day-store.ts";
import { countRowsByHour, fetchWindow, type FetchStats, type QueryRunner, type WindowPiece } from "./fetch.ts";
import { ingestionMark } from "./late-rows.ts";
import { writeManifest, type ExportFormat, type Manifest, type ManifestFile, type ManifestTable } from "./manifest.ts";
import type { ResolvedOptions } from "./options.ts";
import type { ProgressSink } from "./progress.ts";
import { bindColumns } from "./stage.ts";
import { fetchWorkspaceSchema } from "./workspace-schema.ts";
import { chunkRange, DAY_MS, formatSpan, planWindows, type DayPlan, type PlannedWindow, type Span } from "./windows.ts";
import { writing } from "./write-failure.ts";

export interface ExportedFileSummary {
    /** Path relative to the workspace folder. */
    readonly name: string;
    readonly day: string;
    readonly rows: number;
    readonly freshRows: number;
    readonly bytes: number;
}

export interface TableExportSummary {
    readonly table: string;
    /** The range read in this run (ISO), or null when there was nothing to read. */
    readonly range: { readonly start: string; readonly end: string } | null;
    /** Rows read from the service in this run. */
    readonly rows: number;
    readonly files: readonly ExportedFileSummary[];
    /** Days whose existing file was kept because the service returned fewer rows than it holds. */
    readonly keptDays: readonly string[];
    readonly windows: number;
    readonly bisections: number;
    readonly requests: number;
    readonly watermark: string | null;
    readonly covered: { readonly start: string; readonly end: string } | null;
}

/** One table of a run: its expected schema, the range to read (undefined: nothing new) and its last manifest entry. */
export interface TableRun {
    readonly schema: TableSchema;
    readonly range: Span | undefined;
    readonly previous: ManifestTable | undefined;
}

/** What exporting a table shares with the rest of the run. */
export interface TableExportContext {
    readonly opts: ResolvedOptions;
    readonly runner: QueryRunner;
    readonly store: DayStore;
    /** `<out>/<workspaceId>`. */
    readonly folder: string;
    readonly manifestPath: string;
    /** The run's manifest, replaced (never changed in place) each time it is written. */
    readonly state: { manifest: Manifest };
    readonly progress: ProgressSink;
    /** The day files written for the table, appended as they are: what a stopped run reports as saved. */
    readonly files: ExportedFileSummary[];
}

const ROW_BYTES_BY_TYPE: Readonly<Record<string, number>> = {
    string: 40, guid: 40, datetime: 32, long: 12, int: 6, real: 14, bool: 6, timespan: 20, decimal: 20, dynamic: 120,
};

/** A rough size of one row in the service's JSON response, to turn the byte budget into rows. */
export function estimatedRowBytes(table: TableSchema): number {
    return table.columns.reduce((n, c) => n + (ROW_BYTES_BY_TYPE[c.type] ?? 40) + 2, 2);
}

const iso = (ms: number) => new Date(ms).toISOString();

export function emptyTableEntry(schema: TableSchema, format: ExportFormat): ManifestTable {
    return {
        format, watermark: null, covered: null, pending: null, files: [], schema: manifestSchema(schema, format),
        query: rawQuery(schema, { startExpr: "{start}", endExpr: "{end}" }), updated: new Date().toISOString(),
    };
}

/** Union of the previous covered range and the newly completed span when they touch; else the new span. */
function mergeCovered(previous: ManifestTable["covered"], done: Span): { start: string; end: string } {
    if (previous) {
        const ps = Date.parse(previous.start);
        const pe = Date.parse(previous.end);
        if (done.start <= pe && done.end >= ps) return { start: iso(Math.min(ps, done.start)), end: iso(Math.max(pe, done.end)) };
    }
    return { start: iso(done.start), end: iso(done.end) };
}

/** Serializes async sections (DuckDB calls and manifest writes) while windows are fetched concurrently. */
class Mutex {
    private tail: Promise<unknown> = Promise.resolve();
    run<T>(section: () => Promise<T>): Promise<T> {
        const next = this.tail.then(section, section);
        this.tail = next.catch(() => undefined);
        return next;
    }
}

/** Exports one table: see the steps in exportTable. */
export async function exportTable(run: TableRun, ctx: TableExportContext): Promise<TableExportSummary> {
    const base = ctx.state.manifest.tables[run.schema.name] ?? emptyTableEntry(run.schema, ctx.opts.format);
    if (!run.range) {
        ctx.progress.note(`${run.schema.name}: nothing new to read (covered up to ${base.covered?.end ?? "?"})`);
        return {
            table: run.schema.name, range: null, rows: 0, files: [], keptDays: [], windows: 0, bisections: 0, requests: 0,
            watermark: base.watermark, covered: base.covered,
        };
    }
    const table = new TableExport(run, run.range, ctx, base);
    await table.markPending();
    await table.readWorkspaceSchema();
    await table.plan();
    throwIfCancelled(ctx.runner.signal);
    await table.fetchAll();
    return table.finish();
}

/** The state of one table's export while its windows are read and its days written. */
class TableExport {
    /** The expected schema until the workspace's own columns are read. */
    private schema: TableSchema;
    private entry: ManifestTable;
    private readonly stats: FetchStats = { requests: 0, bisections: 0 };
    private readonly mutex = new Mutex();
    private days: DayPlan[] = [];
    /** The windows that hold rows, in time order. */
    private windows: PlannedWindow[] = [];
    /** Windows of each day still to read. */
    private readonly remaining = new Map<string, number>();
    /** The stage of each day being read. */
    private readonly stages = new Map<string, string>();
    /** Whether each day's pieces were appended in time order (then its file needs no sort). */
    private readonly stageOrder = new Map<string, { lastEnd: number; ordered: boolean }>();
    private readonly completed = new Set<string>();
    /** The largest time staged per day, for the watermark. */
    private readonly dayMax = new Map<string, number>();
    /** days[0..prefix) are durable and contiguous. */
    private prefix = 0;
    private watermark: number | undefined;
    private readonly keptDays: string[] = [];
    private rowsRead = 0;

    constructor(private readonly run: TableRun, private readonly range: Span, private readonly ctx: TableExportContext, base: ManifestTable) {
        this.schema = run.schema;
        this.entry = base;
    }

    /**
     * Records the range this run sets out to read before the first request, so that a run that fails or is
     * killed before its first day is complete resumes from the same start.
     */
    async markPending(): Promise<void> {
        const { opts, folder } = this.ctx;
        const tableDir = path.join(folder, this.schema.name);
        await writing("the table folder", tableDir, () => fs.mkdir(tableDir, { recursive: true }));
        this.entry = {
            ...this.entry, format: opts.format,
            query: this.entry.query || emptyTableEntry(this.schema, opts.format).query,
            pending: { start: iso(this.range.start), end: iso(this.range.end) },
        };
        await this.persist();
        this.watermark = this.entry.watermark !== null ? Date.parse(this.entry.watermark) : undefined;
    }

    /**
     * Every column the workspace's table has, typed as it declares them (README, "Columns and types"); the
     * manifest lists them from the first day written on.
     */
    async readWorkspaceSchema(): Promise<void> {
        const { opts, runner } = this.ctx;
        this.schema = await fetchWorkspaceSchema(runner, this.run.schema, this.range, this.stats);
        this.entry = { ...this.entry, schema: manifestSchema(this.schema, opts.format), query: emptyTableEntry(this.schema, opts.format).query };
    }

    /** Row counts per hour, then windows under the row budget (and the byte budget turned into rows). */
    async plan(): Promise<void> {
        const { opts, runner, progress } = this.ctx;
        const counts = new Map<number, number>();
        for (const chunk of chunkRange(this.range, 31 * DAY_MS)) {
            for (const [hour, n] of await countRowsByHour(runner, this.schema, chunk, this.stats)) counts.set(hour, (counts.get(hour) ?? 0) + n);
        }
        const rowBudget = Math.max(1, Math.min(opts.rowBudget, Math.floor(opts.byteBudget / estimatedRowBytes(this.schema))));
        this.days = planWindows(this.range, counts, rowBudget);
        this.windows = this.days.flatMap(d => d.windows.filter(w => w.expectedRows > 0));
        for (const day of this.days) this.remaining.set(day.day, day.windows.filter(w => w.expectedRows > 0).length);
        progress.startTable(this.schema.name, this.days.reduce((n, d) => n + d.expectedRows, 0), this.windows.length);
    }

    /**
     * Reads the windows, `concurrency` at a time, each day's file written when its last window is in. Days without
     * any window to read complete at once (no data: no file, but the range is covered).
     */
    async fetchAll(): Promise<void> {
        const { opts, store, runner } = this.ctx;
        for (const day of this.days) {
            if (this.remaining.get(day.day) === 0) await this.mutex.run(() => this.finishDay(day));
        }
        const dayOf = new Map<PlannedWindow, DayPlan>();
        for (const day of this.days) for (const w of day.windows) dayOf.set(w, day);
        let next = 0;
        let failure: unknown;
        const worker = async (): Promise<void> => {
            while (failure === undefined && !runner.signal?.aborted && next < this.windows.length) {
                const window = this.windows[next++];
                try {
                    await this.readWindow(window, dayOf.get(window) as DayPlan, () => failure !== undefined);
                } catch (error) {
                    failure ??= error;
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(1, this.windows.length)) }, worker));
        await this.mutex.run(async () => undefined);
        for (const stage of this.stages.values()) await store.dropStage(stage);
        if (failure !== undefined) throw failure;
        // Stopped between windows, before every window was read: the days not finished stay for the next run.
        if (this.prefix < this.days.length) throwIfCancelled(runner.signal);
    }

    /** Fetches one window into its day's stage; `failed` says that another window failed (then it stops quietly). */
    private async readWindow(window: PlannedWindow, day: DayPlan, failed: () => boolean): Promise<void> {
        const { opts, runner, progress } = this.ctx;
        const started = Date.now();
        let rows = 0;
        await fetchWindow(runner, this.schema, window, opts.minWindowMs, this.stats, piece => this.mutex.run(async () => {
            if (failed()) return;
            await this.stagePiece(day, piece);
            rows += piece.table.rows.length;
        }));
        if (failed()) return;
        this.rowsRead += rows;
        progress.windowDone(this.schema.name, formatSpan(window), rows, Date.now() - started);
        const left = (this.remaining.get(day.day) ?? 0) - 1;
        this.remaining.set(day.day, left);
        if (left === 0) await this.mutex.run(() => this.finishDay(day));
    }

    private async stagePiece(day: DayPlan, piece: WindowPiece): Promise<void> {
        const { store } = this.ctx;
        let stage = this.stages.get(day.day);
        if (!stage) {
            stage = await store.createStage(this.schema);
            this.stages.set(day.day, stage);
        }
        await store.append(stage, this.schema, bindColumns(this.schema, piece.table.columnDescriptors), piece.table.rows);
        const order = this.stageOrder.get(day.day) ?? { lastEnd: -Infinity, ordered: true };
        this.stageOrder.set(day.day, { lastEnd: Math.max(order.lastEnd, piece.span.end), ordered: order.ordered && piece.span.start >= order.lastEnd });
    }

    /** Writes the day's file (or keeps the existing one), then advances the covered range and saves the manifest. */
    private async finishDay(day: DayPlan): Promise<void> {
        const { opts, folder, progress } = this.ctx;
        const name = `${this.schema.name}/${day.day}.${opts.format}`;
        const target = path.join(folder, ...name.split("/"));
        const { written, kept } = await this.writeDayFile(day, target);
        if (kept) {
            this.keptDays.push(day.day);
            progress.note(`${this.schema.name} ${day.day}: the workspace returned fewer rows than ${name} already holds for ${formatSpan(day)}; the exported file is kept as it is`);
        }
        if (written) {
            const file: ManifestFile = {
                name, day: day.day, rows: written.rows, bytes: written.bytes, sha256: written.sha256,
                minTime: written.minTime, maxTime: written.maxTime,
            };
            this.ctx.files.push({ name, day: day.day, rows: written.rows, freshRows: written.freshRows, bytes: written.bytes });
            this.entry = { ...this.entry, files: [...this.entry.files.filter(f => f.name !== name), file].sort((a, b) => a.name.localeCompare(b.name)) };
            progress.dayWritten(this.schema.name, name, written.rows, written.bytes);
        }
        this.completed.add(day.day);
        this.advanceCovered();
        this.entry = { ...this.entry, updated: new Date().toISOString() };
        await this.persist();
    }

    /**
     * The day's staged rows merged into its file; `kept` when the existing file stays as it is because the
     * workspace returned fewer rows for the span than it holds (or none at all).
     */
    private async writeDayFile(day: DayPlan, target: string): Promise<{ written: WrittenDay | undefined; kept: boolean }> {
        const { opts, store } = this.ctx;
        const exists = await fs.access(target).then(() => true, () => false);
        const stage = this.stages.get(day.day);
        if (stage) {
            const ordered = this.stageOrder.get(day.day)?.ordered ?? true;
            const written = await writing("the day file", target, () => store.writeDay(stage, this.schema, opts.format, target, day, exists, ordered));
            const max = await store.maxStagedTime(stage);
            if (max !== undefined) this.dayMax.set(day.day, max);
            await store.dropStage(stage);
            this.stages.delete(day.day);
            return { written, kept: !written && exists };
        }
        // No row came back for the day: its file stays, and it is news only if it holds rows of the span read.
        return { written: undefined, kept: exists && await store.rowsInSpan(this.schema, opts.format, target, day) > 0 };
    }

    /** The covered range and the watermark advance only over days that are complete with all days before them. */
    private advanceCovered(): void {
        const days = this.days;
        while (this.prefix < days.length && this.completed.has(days[this.prefix].day)) {
            const max = this.dayMax.get(days[this.prefix].day);
            if (max !== undefined) this.watermark = Math.max(this.watermark ?? max, max);
            this.prefix++;
        }
        if (this.prefix > 0) {
            this.entry = {
                ...this.entry,
                covered: mergeCovered(this.run.previous?.covered ?? null, { start: days[0].start, end: days[this.prefix - 1].end }),
                watermark: this.watermark !== undefined ? iso(this.watermark) : this.entry.watermark,
            };
        }
    }

    private async persist(): Promise<void> {
        const { state, manifestPath } = this.ctx;
        state.manifest = {
            ...state.manifest, updated: new Date().toISOString(),
            tables: { ...state.manifest.tables, [this.schema.name]: this.entry },
        };
        await writing("the manifest", manifestPath, () => writeManifest(manifestPath, state.manifest));
    }

    /** Clears the pending range, records the ingestion mark and returns what the table's export did. */
    async finish(): Promise<TableExportSummary> {
        const { opts } = this.ctx;
        // An explicit range joined to an earlier covered range says nothing of rows ingested late elsewhere in it:
        // the earlier mark stays.
        const ingestedBefore = opts.since === undefined || !this.run.previous?.covered ? ingestionMark(opts.now) : this.entry.ingestedBefore;
        this.entry = { ...this.entry, pending: null, ingestedBefore, updated: new Date().toISOString() };
        await this.mutex.run(() => this.persist());
        return {
            table: this.schema.name,
            range: { start: iso(this.range.start), end: iso(this.range.end) },
            rows: this.rowsRead,
            files: this.ctx.files,
            keptDays: this.keptDays,
            windows: this.windows.length,
            bisections: this.stats.bisections,
            requests: this.stats.requests,
            watermark: this.entry.watermark,
            covered: this.entry.covered,
        };
    }
}
