/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// Crash-safe file replacement: write to a temporary name in the target's folder, then rename over the target.
// A rename within one file system is atomic, so a reader (or a run killed at any point) sees the old file or
// the new one, never a half-written one.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

/** Temporary files start with this prefix and end with TEMP_SUFFIX, so a later run can find and remove them. */
export const TEMP_PREFIX = ".shadowit-";
export const TEMP_SUFFIX = ".tmp";

export function tempPathFor(target: string): string {
    const name = `${TEMP_PREFIX}${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
    return path.join(path.dirname(target), name);
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Renames `from` over `to`. On Windows a rename fails with EPERM/EBUSY/EACCES while another process (an
 * antivirus scanner, an indexer, Power BI reading the file) holds the target open: retry for a short while.
 */
export async function renameOver(from: string, to: string): Promise<void> {
    const delays = [20, 50, 100, 200, 400, 800, 1600];
    for (let attempt = 0; ; attempt++) {
        try {
            await fs.rename(from, to);
            return;
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            const transient = code === "EPERM" || code === "EBUSY" || code === "EACCES";
            if (!transient || attempt >= delays.length) throw error;
            await sleep(delays[attempt]);
        }
    }
}

/** Writes the whole content to a temporary file, flushes it to disk, then renames it over `target`. */
export async function writeFileAtomic(target: string, content: string | Uint8Array): Promise<void> {
    const temp = tempPathFor(target);
    try {
        const handle = await fs.open(temp, "w");
        try {
            await handle.writeFile(content);
            await handle.sync();
        } finally {
            await handle.close();
        }
        await renameOver(temp, target);
    } catch (error) {
        await fs.rm(temp, { force: true }).catch(() => undefined);
        throw error;
    }
}

/** Moves an already written temporary file into place after flushing it to disk. */
export async function commitTempFile(temp: string, target: string): Promise<void> {
    const handle = await fs.open(temp, "r+");
    try {
        await handle.sync();
    } finally {
        await handle.close();
    }
    await renameOver(temp, target);
}

/** Removes temporary files left by a killed run in `dir` (not recursive). Returns how many were removed. */
export async function removeStaleTempFiles(dir: string): Promise<number> {
    let entries: string[];
    try {
        entries = await fs.readdir(dir);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
        throw error;
    }
    let removed = 0;
    for (const name of entries) {
        if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
            await fs.rm(path.join(dir, name), { force: true, recursive: true });
            removed++;
        }
    }
    return removed;
}
