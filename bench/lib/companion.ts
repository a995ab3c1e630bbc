/*
 * The companion's parts the export and pushdown benchmarks drive, loaded at run time so that the benchmark
 * harness builds and runs (reporting "not measured") before they exist. The interfaces name only what is used.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface Emulator {
    readonly endpoint: string;
    readonly ca: string;
    readonly token: string;
    readonly workspaceId: string;
    close(): Promise<void> | void;
}

export interface EmulatorModule {
    startEmulator(options: { port: number; rows: number; end: Date; rateLimit?: { requests: number; perSeconds: number } }): Promise<Emulator>;
}

export interface ExportSummaryLike {
    readonly rows: number;
    readonly elapsedMs: number;
    readonly tables: readonly { readonly files: readonly { readonly bytes: number }[]; readonly requests: number; readonly windows: number }[];
}

export interface ExportModule {
    runExport(options: Record<string, unknown>, deps: Record<string, unknown>): Promise<ExportSummaryLike>;
}

export interface TableSchemaLike {
    readonly name: string;
    readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface ColumnBindingLike { readonly source: number }

export interface DayStoreLike {
    createStage(table: TableSchemaLike): Promise<string>;
    dropStage(stage: string): Promise<void>;
    append(stage: string, table: TableSchemaLike, bindings: readonly ColumnBindingLike[], rows: readonly (readonly unknown[])[]): Promise<void>;
    writeDay(stage: string, table: TableSchemaLike, format: "parquet" | "csv", target: string,
        fresh: { start: number; end: number }, existing: boolean, ordered: boolean): Promise<{ rows: number; bytes: number } | undefined>;
    maxStagedTime(stage: string): Promise<number | undefined>;
    close(): void;
}

export interface DayStoreModule {
    DayStore: { open(): Promise<DayStoreLike> };
}

export interface StageModule {
    bindColumns(table: TableSchemaLike, resultColumns: readonly { name?: string }[]): ColumnBindingLike[];
}

export interface KqlModule {
    rawQuery(table: string, window?: { start: Date; end: Date }): string;
    aggregateQuery(table: string, grain: "day" | "hour" | "none", window?: { start: Date; end: Date }): string;
}

export interface SampleModule {
    SAMPLE_WORKSPACE_ID: string;
}

/** Imports a companion module by its path under the repository, or says plainly that it has not landed. */
export async function loadCompanion<T>(root: string, relativePath: string, what: string): Promise<T> {
    const file = join(root, ...relativePath.split("/"));
    if (!existsSync(file)) throw new Error(`${what} (${relativePath}) has not landed yet`);
    const namespace = (await import(file)) as Record<string, unknown>;
    // Loaded as CommonJS through tsx, the named exports may sit under `default`.
    const inner = namespace.default;
    return (inner && typeof inner === "object" ? { ...inner, ...namespace } : namespace) as T;
}
