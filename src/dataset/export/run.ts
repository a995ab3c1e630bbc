/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// `shadowit export`: pulls tables from a Log Analytics workspace into per-day Parquet/CSV files with a manifest,
// incrementally and crash-safely. See README "Export" for the layout.
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import type { TokenCredential } from "@azure/identity";
import type { LogsQueryClientOptions } from "@azure/monitor-query-logs";
import { UserError } from "../errors.ts";
import { resolveTable } from "../kql/index.ts";
import { createLogsClient } from "../logs/client.ts";
import { connectionSettings } from "../logs/connection.ts";
import { buildCredential, withTokenDeadline } from "../logs/credential.ts";
import { removeStaleTempFiles } from "./atomic.ts";
import { Cancelled, throwIfCancelled } from "./cancel.ts";
import { DayStore } from "./day-store.ts";
import { RateLimiter, type QueryRunner } from "./fetch.ts";
import { assertNotInFuture, includeLateRows } from "./late-rows.ts";
import { acquireLock } from "./lock.ts";
import { reconcileManifest } from "./reconcile.ts";
import {
    MANIFEST_KIND, MANIFEST_NAME, MANIFEST_VERSION, readManifest, writeManifest,
    type ExportFormat, type Manifest, type ManifestTable,
} from "./manifest.ts";
import { resolveOptions, DEFAULT_DAYS, type ExportOptions, type ResolvedOptions } from "./options.ts";
import { createProgress, type ProgressStream } from "./progress.ts";
import { emptyTableEntry, exportTable, type ExportedFileSummary, type TableExportSummary, type TableRun } from "./table-export.ts";
import { DAY_MS, type Span } from "./windows.ts";
import { writeAdvice, WriteFailure, writeErrorCode } from "./write-failure.ts";

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

function toolVersion(): string {
    try {
        const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version?: string };
        return pkg.version ?? "0.0.0";
    } catch {
        return "0.0.0";
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
    const settings = connectionSettings(options, env);
    const signIn = deps.credential ?? buildCredential({
        token: settings.token,
        tenantId: options.tenant,
        deviceCode: options.deviceCode,
        prompt: message => stderr.write(`${message}\n`),
    });
    // A device code sign-in waits for the user: only the other credentials get a deadline.
    const credential = options.deviceCode && !deps.credential ? signIn : withTokenDeadline(signIn, opts.deadlines.connectMs + opts.deadlines.responseMs);
    const { client, endpoint, capture } = createLogsClient({
        credential, endpoint: settings.endpoint, caFile: settings.caFile, clientOptions: deps.clientOptions, deadlines: opts.deadlines,
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
                const files = saved.get(schema.name) ?? [];
                summaries.push(await exportTable(run, { opts, runner, store, folder, manifestPath, state: tableState, progress, files }));
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
