/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// One export at a time per workspace folder: two runs writing the same day files and manifest would undo each
// other's work. The lock holds the owner's pid; a lock left by a killed run (its pid is gone) is taken over.
import { promises as fs } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";

export const LOCK_NAME = ".shadowit-export.lock";

function isAlive(pid: number): boolean {
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Takes the folder's lock; resolves to a function that releases it. */
export async function acquireLock(folder: string): Promise<() => Promise<void>> {
    const file = path.join(folder, LOCK_NAME);
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            await fs.writeFile(file, `${process.pid}\n`, { flag: "wx" });
            return async () => {
                await fs.rm(file, { force: true }).catch(() => undefined);
            };
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code !== "EEXIST") {
                throw new UserError(`cannot write to the output folder ${folder} (${code ?? (error as Error).message}): choose an --out folder you can write to; nothing was queried`);
            }
        }
        const owner = Number.parseInt(await fs.readFile(file, "utf8").catch(() => ""), 10);
        if (owner !== process.pid && isAlive(owner)) {
            throw new UserError(
                `another export (process ${owner}) is writing into ${folder}: wait for it to finish. If no such export is running, ` +
                `delete ${file} and rerun.`,
            );
        }
        // Left by a run that was killed: remove it and try again.
        await fs.rm(file, { force: true });
    }
    throw new UserError(`cannot take the export lock ${file}: another export keeps taking it; rerun when it is done`);
}
