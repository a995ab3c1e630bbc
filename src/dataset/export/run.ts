/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// `shadowit export`: pulls tables from a Log Analytics workspace into per-day Parquet/CSV files with a manifest,
// incrementally and crash-safely. See README "Export" for the layout.
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import type { TokenCredential } from "@azure/identity";
import type { LogsQueryClientOptions } from "@azure/monitor-query-logs";
import type { TableSchema } from "../../schema.ts";
import { UserError } from "../errors.ts";
import { rawQuery, resolveTable } from "../kql/index.ts";
import { createLogsClient } from "../logs/client.ts";
import { buildCredential, withTokenDeadline } from "../logs/credential.ts";
import { removeStaleTempFiles } from "./atomic.ts";
import { Cancelled, throwIfCancelled } from "./cancel.ts";
import { manifestSchema } from "./columns.ts";
import { DayStore, type WrittenDay } from "./day-store.ts";
import { bindColumns } from "./stage.ts";
import { countRowsByHour, fetchWindow, RateLimiter, type FetchStats, type QueryRunner } from "./fetch.ts";
import { assertNotInFuture, includeLateRows, ingestionMark } from "./late-rows.ts";
import { acquireLock } from "./lock.ts";
import { reconcileManifest } from "./reconcile.ts";
import {
    MANIFEST_KIND, MANIFEST_NAME, MANIFEST_VERSION, readManifest, writeManifest,
    type ExportFormat, type Manifest, type ManifestFile, type ManifestTable,
} from "./manifest.ts";
import { resolveOptions, DEFAULT_DAYS, type ExportOptions, type ResolvedOptions } from "./options.ts";
import { createProgress, type ProgressSink, type ProgressStream } from "./progress.ts";
import { fetchWorkspaceSchema } from "./workspace-schema.ts";
import { chunkRange, DAY_MS, formatSpan, planWindows, type DayPlan, type PlannedWindow, type Span } from "./windows.ts";
import { writeAdvice, WriteFailure, writeErrorCode, writing } from "./write-failure.ts";

export type { ExportOptions } from "./options.ts";

export interface ExportDeps {
    /** A credential to use instead of building one from the options (tests, embedding). */
    readonly credential?: TokenCredential;
    /** Extra LogsQueryClient options (tlsOptions, retryOptions, …). */
    readonly clientOptions?: LogsQueryClientOptions;
    /** Where progress and notes go (default process.stderr). */
    readonly stderr?: ProgressStream;
    /** Environment for SHADOWIT_TOKEN / SHADOWIT_LOGS_ENDPOINT / SHADOWIT_CA_FILE (default process.env). */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /**
     * Aborted to stop the run (Ctrl+C): pending requests are abandoned, a day file being written is finished, the
     * lock is released and the run rejects with a UserError that says what was saved. A string reason ("SIGINT",
     * "SIGTERM") names the cause and sets the exit code (130, 143).
     */
    readonly signal?: AbortSignal;
}

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

export interface ExportSummary {
    readonly workspaceId: string;
    /** `<out>/<workspaceId>`. */
    readonly folder: string;
    readonly manifestPath: string;
    readonly format: ExportFormat;
    readonly tables: readonly TableExportSummary[];
    /** What the run repaired in the manifest to agree with the files on disk (empty when nothing). */
    readonly repairs: readonly string[];
    readonly rows: number;
    readonly elapsedMs: number;
}

const ROW_BYTES_BY_TYPE: Readonly<Record<string, number>> = {
    string: 40, guid: 40, datetime: 32, long: 12, int: 6, real: 14, bool: 6, timespan: 20, decimal: 20, dynamic: 120,
};

/** A rough size of one row in the service's JSON response, to turn the byte budget into rows. */
export function estimatedRowBytes(table: TableSchema): number {
    return table.columns.reduce((n, c) => n + (ROW_BYTES_BY_TYPE[c.type] ?? 40) + 2, 2);
}

function toolVersion(): string {
    try {
        const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version?: string };
        return pkg.version ?? "0.0.0";
    } catch {
        return "0.0.0";
    }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Serializes async sections (DuckDB calls and manifest writes) while windows are fetched concurrently. */
class Mutex {
    private tail: Promise<unknown> = Promise.resolve();
    run<T>(section: () => Promise<T>): Promise<T> {
        const next = this.tail.then(section, section);
        this.tail = next.catch(() => undefined);
        return next;
    }
}

async function prepareFolder(folder: string, out: string): Promise<void> {
    try {
        const stat = await fs.stat(out).catch((error: NodeJS.ErrnoException) => {
            if (error.code === "ENOENT") return undefined;
            throw error;
        });
        if (stat && !stat.isDirectory()) throw new UserError(`--out ${out} is a file, not a folder: choose a folder to export into`);
        await fs.mkdir(folder, { recursive: true });
        await fs.access(folder, fs.constants.W_OK);
    } catch (error) {
        if (error instanceof UserError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new UserError(`cannot write to the output folder ${folder} (${code}): choose an --out folder you can write to; nothing was queried`);
    }
}

interface TableRun {
    readonly schema: TableSchema;
    readonly range: Span | undefined;
    previous: ManifestTable | undefined;
}

/** The range to read for one table: explicit, else incremental from the manifest, else the default days. */
function rangeFor(opts: ResolvedOptions, previous: ManifestTable | undefined): Span | undefined {
    if (opts.since !== undefined) return { start: opts.since, end: opts.until };
    if (previous && !previous.covered && previous.pending) {
        const start = Date.parse(previous.pending.start);
        return start < opts.until ? { start, end: opts.until } : undefined;
    }
    if (previous?.covered) {
        const coveredStart = Date.parse(previous.covered.start);
        const coveredEnd = Date.parse(previous.covered.end);
        const mark = previous.watermark !== null ? Math.min(Date.parse(previous.watermark) + 1, coveredEnd) : coveredEnd;
        const start = Math.max(coveredStart, mark - opts.overlapMs);
        return start < opts.until ? { start, end: opts.until } : undefined;
    }
    return { start: opts.until - DEFAULT_DAYS * DAY_MS, end: opts.until };
}

export async function runExport(options: ExportOptions, deps: ExportDeps = {}): Promise<ExportSummary> {
    const began = Date.now();
    const opts = resolveOptions(options);
    const env = deps.env ?? process.env;
    const stderr = deps.stderr ?? process.stderr;
    const folder = path.resolve(opts.out, opts.workspaceId);
    const manifestPath = path.join(folder, MANIFEST_NAME);
    const schemas = opts.tables.map(t => resolveTable(t));

    // Everything that can be checked locally is checked before the first request.
    const token = options.token ?? env.SHADOWIT_TOKEN;
    const signIn = deps.credential ?? buildCredential({
        token: token !== undefined && token !== "" ? token : undefined,
        tenantId: options.tenant,
        deviceCode: options.deviceCode,
        prompt: message => stderr.write(`${message}\n`),
    });
    // A device code sign-in waits for the user: only the other credentials get a deadline.
    const credential = options.deviceCode && !deps.credential ? signIn : withTokenDeadline(signIn, opts.deadlines.connectMs + opts.deadlines.responseMs);
    const endpointOption = options.endpoint ?? (env.SHADOWIT_LOGS_ENDPOINT || undefined);
    const caOption = options.ca ?? (env.SHADOWIT_CA_FILE || undefined);
    const { client, endpoint, capture } = createLogsClient({
        credential, endpoint: endpointOption, caFile: caOption, clientOptions: deps.clientOptions, deadlines: opts.deadlines,
    });

    await prepareFolder(folder, opts.out);
    const release = await acquireLock(folder);
    const progress = createProgress(opts.progress, stderr);
    let store: DayStore | undefined;
    const state: { manifest: Manifest | undefined } = { manifest: undefined };
    // Day files written by this run, per table: what a stopped run reports as saved.
    const saved = new Map<string, ExportedFileSummary[]>(schemas.map(s => [s.name, []]));
    try {
        throwIfCancelled(deps.signal);
        const manifest = await readManifest(manifestPath, opts.workspaceId);
        for (const schema of schemas) {
            const previous = manifest?.tables[schema.name];
            assertNotInFuture(manifestPath, schema.name, previous, opts.now);
            if (previous && previous.format !== opts.format) {
                throw new UserError(
                    `${schema.name} in ${folder} was exported as ${previous.format}; rerun with --format ${previous.format}, ` +
                    `or export ${opts.format} into another --out folder`,
                );
            }
        }
        await removeStaleTempFiles(folder);
        for (const schema of schemas) await removeStaleTempFiles(path.join(folder, schema.name));

        const tool = { name: "shadowit", version: toolVersion() };
        const started: Manifest = manifest
            ? { ...manifest, tool }
            : { kind: MANIFEST_KIND, version: MANIFEST_VERSION, workspaceId: opts.workspaceId, tool, updated: new Date().toISOString(), tables: {} };
        store = await DayStore.open();
        const reconciled = await reconcileManifest(started, manifestPath, schemas, store, opts.format, emptyTableEntry);
        if (reconciled.notes.length > 0) {
            await writeManifest(manifestPath, reconciled.manifest);
            for (const line of reconciled.notes) progress.note(`manifest repaired from the files on disk: ${line}`);
        }
        const tableState = { manifest: reconciled.manifest };
        state.manifest = reconciled.manifest;
        const runner: QueryRunner = {
            client, capture, endpoint, workspaceId: opts.workspaceId, limiter: new RateLimiter(opts.requestsPer30s),
            serverTimeoutInSeconds: opts.serverTimeoutSeconds, signal: deps.signal, waitNoticeMs: opts.waitNoticeMs,
            onWaiting: (ctx, elapsedMs, attempts) => progress.waiting(ctx.table, ctx.endpoint, ctx.window, elapsedMs, attempts),
        };
        const summaries: TableExportSummary[] = [];
        for (const schema of schemas) {
            throwIfCancelled(deps.signal);
            const previous = tableState.manifest.tables[schema.name];
            let range = rangeFor(opts, previous);
            if (opts.since === undefined) {
                const late = await includeLateRows(runner, schema, previous, range, opts.until);
                if (late.note) progress.note(late.note);
                range = late.range;
            }
            const run: TableRun = { schema, range, previous };
            try {
                summaries.push(await exportTable(run, opts, runner, store, folder, manifestPath, tableState, progress, saved.get(schema.name) ?? []));
            } finally {
                state.manifest = tableState.manifest;
            }
        }
        progress.stop();
        return {
            workspaceId: opts.workspaceId,
            folder,
            manifestPath,
            format: opts.format,
            tables: summaries,
            repairs: reconciled.notes,
            rows: summaries.reduce((n, s) => n + s.rows, 0),
            elapsedMs: Date.now() - began,
        };
    } catch (error) {
        throw explainStop(error, opts, folder, state.manifest, saved);
    } finally {
        progress.stop();
        store?.close();
        await release();
    }
}

/** What this run saved, table by table, and how far each table is exported without a gap. */
function savedSoFar(manifest: Manifest | undefined, saved: ReadonlyMap<string, readonly ExportedFileSummary[]>): string {
    return [...saved].map(([table, files]) => {
        const days = files.map(f => f.day).sort();
        const list = days.length === 0 ? "no day file saved in this run"
            : `${days.length} day file${days.length === 1 ? "" : "s"} saved in this run (${days.length <= 4 ? days.join(", ") : `${days[0]} … ${days.at(-1)}`})`;
        const covered = manifest?.tables[table]?.covered;
        return `${table}: ${list}${covered ? `, every row from ${covered.start} to ${covered.end} is exported` : ""}`;
    }).join("; ");
}

function resumeHint(opts: ResolvedOptions): string {
    return opts.since !== undefined
        ? "run the same command again (without --since/--days, it reads only what is missing)"
        : "run the same command again";
}

const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGBREAK: 149 };

/** A full or failing disk met outside the writes that name their file (DuckDB spilling to disk, say). */
function unwrappedDiskFailure(error: unknown, folder: string): WriteFailure | undefined {
    const code = writeErrorCode(error);
    if (code === undefined || error instanceof UserError || !["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EIO"].includes(code)) return undefined;
    const file = (error as NodeJS.ErrnoException).path;
    return new WriteFailure("a file", file ?? `for the export into ${folder}`, code, error);
}

/**
 * The error a stopped run ends with: a cancellation or a file that could not be written becomes a UserError that
 * says what was saved and how to resume; anything else passes unchanged.
 */
function explainStop(
    error: unknown, opts: ResolvedOptions, folder: string, manifest: Manifest | undefined, saved: ReadonlyMap<string, readonly ExportedFileSummary[]>,
): unknown {
    if (error instanceof Cancelled) {
        return new UserError(
            `export stopped (${error.reason}). ${savedSoFar(manifest, saved)}. Nothing partial was kept: a day still being read ` +
            `was dropped and is read again next time. To resume, ${resumeHint(opts)}.`,
            SIGNAL_EXIT_CODES[error.reason] ?? 1,
        );
    }
    const failure = error instanceof WriteFailure ? error : unwrappedDiskFailure(error, folder);
    if (failure) {
        return new UserError(
            `could not write ${failure.what} ${failure.file} (${failure.code}): ${writeAdvice(failure.code, folder)}. The export stopped; ` +
            `${savedSoFar(manifest, saved)}. Nothing partial was kept (files are written under temporary names and renamed). ` +
            `When that is fixed, ${resumeHint(opts)}: it resumes from what is saved.`,
            1,
        );
    }
    return error;
}

function emptyTableEntry(schema: TableSchema, format: ExportFormat): ManifestTable {
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

async function exportTable(
    run: TableRun, opts: ResolvedOptions, runner: QueryRunner, store: DayStore, folder: string, manifestPath: string,
    state: { manifest: Manifest }, progress: ProgressSink, files: ExportedFileSummary[],
): Promise<TableExportSummary> {
    // The expected schema until the workspace's own columns are read, below.
    let { schema } = run;
    const { range } = run;
    const stats: FetchStats = { requests: 0, bisections: 0 };
    const base = state.manifest.tables[schema.name] ?? emptyTableEntry(schema, opts.format);
    if (!range) {
        progress.note(`${schema.name}: nothing new to read (covered up to ${base.covered?.end ?? "?"})`);
        return {
            table: schema.name, range: null, rows: 0, files: [], keptDays: [], windows: 0, bisections: 0, requests: 0,
            watermark: base.watermark, covered: base.covered,
        };
    }
    const tableDir = path.join(folder, schema.name);
    await writing("the table folder", tableDir, () => fs.mkdir(tableDir, { recursive: true }));
    // Record the range this run sets out to read before the first request, so that a run that fails or is
    // killed before its first day is complete resumes from the same start.
    let entry: ManifestTable = {
        ...base, format: opts.format,
        query: base.query || emptyTableEntry(schema, opts.format).query, pending: { start: iso(range.start), end: iso(range.end) },
    };
    state.manifest = { ...state.manifest, updated: new Date().toISOString(), tables: { ...state.manifest.tables, [schema.name]: entry } };
    await writing("the manifest", manifestPath, () => writeManifest(manifestPath, state.manifest));

    // Every column the workspace's table has, typed as it declares them (README, "Columns and types"); the
    // manifest lists them from the first day written on.
    schema = await fetchWorkspaceSchema(runner, run.schema, range, stats);
    entry = { ...entry, schema: manifestSchema(schema, opts.format), query: emptyTableEntry(schema, opts.format).query };

    // Plan: row counts per hour, then windows under the row budget (and the byte budget turned into rows).
    const counts = new Map<number, number>();
    for (const chunk of chunkRange(range, 31 * DAY_MS)) {
        for (const [hour, n] of await countRowsByHour(runner, schema, chunk, stats)) counts.set(hour, (counts.get(hour) ?? 0) + n);
    }
    const rowBudget = Math.max(1, Math.min(opts.rowBudget, Math.floor(opts.byteBudget / estimatedRowBytes(schema))));
    const days = planWindows(range, counts, rowBudget);
    const windows = days.flatMap(d => d.windows.filter(w => w.expectedRows > 0));
    progress.startTable(schema.name, days.reduce((n, d) => n + d.expectedRows, 0), windows.length);

    throwIfCancelled(runner.signal);
    const mutex = new Mutex();
    const keptDays: string[] = [];
    let rowsRead = 0;
    const completed = new Set<string>();
    let prefix = 0; // days[0..prefix) are durable and contiguous
    let watermark = entry.watermark !== null ? Date.parse(entry.watermark) : undefined;
    const dayMax = new Map<string, number>();

    const stages = new Map<string, string>();
    // Whether each day's pieces were appended in time order (then its file needs no sort).
    const stageOrder = new Map<string, { lastEnd: number; ordered: boolean }>();
    const remaining = new Map<string, number>(days.map(d => [d.day, d.windows.filter(w => w.expectedRows > 0).length]));

    const persist = async (): Promise<void> => {
        state.manifest = {
            ...state.manifest, updated: new Date().toISOString(),
            tables: { ...state.manifest.tables, [schema.name]: entry },
        };
        await writing("the manifest", manifestPath, () => writeManifest(manifestPath, state.manifest));
    };

    const finishDay = async (day: DayPlan): Promise<void> => {
        const stage = stages.get(day.day);
        let written: WrittenDay | undefined;
        const name = `${schema.name}/${day.day}.${opts.format}`;
        const target = path.join(folder, ...name.split("/"));
        const exists = await fs.access(target).then(() => true, () => false);
        let kept = false;
        if (stage) {
            written = await writing("the day file", target, () => store.writeDay(stage, schema, opts.format, target, day, exists, stageOrder.get(day.day)?.ordered ?? true));
            const max = await store.maxStagedTime(stage);
            if (max !== undefined) dayMax.set(day.day, max);
            await store.dropStage(stage);
            stages.delete(day.day);
            kept = !written && exists;
        } else if (exists) {
            // No row came back for the day: its file stays, and it is news only if it holds rows of the span read.
            kept = await store.rowsInSpan(schema, opts.format, target, day) > 0;
        }
        if (kept) {
            keptDays.push(day.day);
            progress.note(`${schema.name} ${day.day}: the workspace returned fewer rows than ${name} already holds for ${formatSpan(day)}; the exported file is kept as it is`);
        }
        if (written) {
            const file: ManifestFile = {
                name, day: day.day, rows: written.rows, bytes: written.bytes, sha256: written.sha256,
                minTime: written.minTime, maxTime: written.maxTime,
            };
            files.push({ name, day: day.day, rows: written.rows, freshRows: written.freshRows, bytes: written.bytes });
            entry = { ...entry, files: [...entry.files.filter(f => f.name !== name), file].sort((a, b) => a.name.localeCompare(b.name)) };
            progress.dayWritten(schema.name, name, written.rows, written.bytes);
        }
        completed.add(day.day);
        // The covered range and the watermark advance only over days that are complete with all days before them.
        while (prefix < days.length && completed.has(days[prefix].day)) {
            const max = dayMax.get(days[prefix].day);
            if (max !== undefined) watermark = Math.max(watermark ?? max, max);
            prefix++;
        }
        if (prefix > 0) {
            entry = {
                ...entry,
                covered: mergeCovered(run.previous?.covered ?? null, { start: days[0].start, end: days[prefix - 1].end }),
                watermark: watermark !== undefined ? iso(watermark) : entry.watermark,
            };
        }
        entry = { ...entry, updated: new Date().toISOString() };
        await persist();
    };

    const windowDone = async (day: DayPlan): Promise<void> => {
        const left = (remaining.get(day.day) ?? 0) - 1;
        remaining.set(day.day, left);
        if (left === 0) await mutex.run(() => finishDay(day));
    };

    // Days without any window to read complete at once (no data: no file, but the range is covered).
    for (const day of days) {
        if (remaining.get(day.day) === 0) await mutex.run(() => finishDay(day));
    }

    const dayOf = new Map<PlannedWindow, DayPlan>();
    for (const day of days) for (const w of day.windows) dayOf.set(w, day);
    let next = 0;
    let failure: unknown;
    const worker = async (): Promise<void> => {
        while (failure === undefined && !runner.signal?.aborted && next < windows.length) {
            const window = windows[next++];
            const day = dayOf.get(window) as DayPlan;
            const started = Date.now();
            let rows = 0;
            try {
                await fetchWindow(runner, schema, window, opts.minWindowMs, stats, piece => mutex.run(async () => {
                    if (failure !== undefined) return;
                    let stage = stages.get(day.day);
                    if (!stage) {
                        stage = await store.createStage(schema);
                        stages.set(day.day, stage);
                    }
                    await store.append(stage, schema, bindColumns(schema, piece.table.columnDescriptors), piece.table.rows);
                    const order = stageOrder.get(day.day) ?? { lastEnd: -Infinity, ordered: true };
                    stageOrder.set(day.day, { lastEnd: Math.max(order.lastEnd, piece.span.end), ordered: order.ordered && piece.span.start >= order.lastEnd });
                    rows += piece.table.rows.length;
                }));
                if (failure !== undefined) return;
                rowsRead += rows;
                progress.windowDone(schema.name, formatSpan(window), rows, Date.now() - started);
                await windowDone(day);
            } catch (error) {
                failure ??= error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(1, windows.length)) }, worker));
    await mutex.run(async () => undefined);
    for (const stage of stages.values()) await store.dropStage(stage);
    if (failure !== undefined) throw failure;
    // Stopped between windows, before every window was read: the days not finished stay for the next run.
    if (prefix < days.length) throwIfCancelled(runner.signal);
    // An explicit range joined to an earlier covered range says nothing of rows ingested late elsewhere in it: the
    // earlier mark stays.
    const ingestedBefore = opts.since === undefined || !run.previous?.covered ? ingestionMark(opts.now) : entry.ingestedBefore;
    entry = { ...entry, pending: null, ingestedBefore, updated: new Date().toISOString() };
    await mutex.run(persist);

    return {
        table: schema.name,
        range: { start: iso(range.start), end: iso(range.end) },
        rows: rowsRead,
        files,
        keptDays,
        windows: windows.length,
        bisections: stats.bisections,
        requests: stats.requests,
        watermark: entry.watermark,
        covered: entry.covered,
    };
}
