// Writes the sample tenant's tables to files: streamed with backpressure, each to a temporary name renamed
// into place when complete, so an interrupted run never leaves a partial file under the final name.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { COMPANION_TABLES, type CompanionTable } from "../tables.ts";
import { csvHeader, csvLine, jsonLine } from "./format.ts";
import { resolveSampleOptions, type SampleOptions } from "./options.ts";

export type SampleFormat = "csv" | "jsonl";
export const SAMPLE_FORMATS: readonly SampleFormat[] = ["csv", "jsonl"];

export interface WrittenFile {
    readonly table: string;
    readonly path: string;
    readonly rows: number;
    readonly bytes: number;
}

export interface WriteSampleOptions extends SampleOptions {
    format?: SampleFormat;
    /** Called with a one-line progress message now and then. */
    progress?: (message: string) => void;
}

const CHUNK_CHARS = 256 * 1024;

function waitForDrain(stream: WriteStream): Promise<void> {
    return new Promise((resolveDrain, reject) => {
        const onDrain = () => { stream.off("error", onError); resolveDrain(); };
        const onError = (error: Error) => { stream.off("drain", onDrain); reject(error); };
        stream.once("drain", onDrain);
        stream.once("error", onError);
    });
}

function closeStream(stream: WriteStream): Promise<void> {
    return new Promise((resolveClose, reject) => {
        stream.once("error", reject);
        stream.end(() => resolveClose());
    });
}

function openStream(path: string): Promise<WriteStream> {
    return new Promise((resolveOpen, reject) => {
        const stream = createWriteStream(path, { flags: "wx" });
        stream.once("open", () => { stream.off("error", reject); resolveOpen(stream); });
        stream.once("error", reject);
    });
}

async function writeTable(dir: string, descriptor: CompanionTable, format: SampleFormat, opts: WriteSampleOptions, total: number): Promise<WrittenFile> {
    const table = descriptor.schema;
    const path = join(dir, `${table.name}.${format}`);
    const temp = join(dir, `.${table.name}.${format}.${process.pid}.tmp`);
    const rows = descriptor.sample.rows(opts, "defender");
    const stream = await openStream(temp);
    let count = 0;
    let bytes = 0;
    try {
        let chunk = format === "csv" ? csvHeader(table) : "";
        const step = Math.max(100_000, Math.ceil(total / 10));
        let nextReport = step;
        for (const row of rows) {
            chunk += format === "csv" ? csvLine(table, row) : jsonLine(table, row);
            count++;
            if (chunk.length >= CHUNK_CHARS) {
                bytes += Buffer.byteLength(chunk);
                if (!stream.write(chunk)) await waitForDrain(stream);
                chunk = "";
            }
            if (count >= nextReport) {
                opts.progress?.(`${table.name}: ${count.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows`);
                nextReport += step;
            }
        }
        if (chunk.length > 0) {
            bytes += Buffer.byteLength(chunk);
            if (!stream.write(chunk)) await waitForDrain(stream);
        }
        await closeStream(stream);
        await rename(temp, path);
    } catch (error) {
        stream.destroy();
        await rm(temp, { force: true });
        throw error;
    }
    opts.progress?.(`${table.name}: wrote ${count.toLocaleString("en-US")} rows to ${path}`);
    return { table: table.name, path, rows: count, bytes };
}

/** Writes a file of every table in COMPANION_TABLES to `dir` (created if missing). */
export async function writeSample(dir: string, opts: WriteSampleOptions = {}): Promise<WrittenFile[]> {
    const resolved = resolveSampleOptions(opts);
    const format = opts.format ?? "csv";
    // Pin the end so that every table covers the same range even across an hour boundary.
    const pinned: WriteSampleOptions = { ...opts, end: new Date(resolved.endMs) };
    await mkdir(dir, { recursive: true });
    const written: WrittenFile[] = [];
    for (const table of COMPANION_TABLES) {
        written.push(await writeTable(dir, table, format, pinned, table.sample.count(resolved.rows, resolved.days)));
    }
    return written;
}
