// A child process for the lock race spec: takes export locks through lock.ts when told, and holds the ones it
// won until its input closes. Input lines: `<epoch ms to start at> <folder>`; output lines: JSON results.
// SHADOWIT_LOCK_CLOCK_AHEAD=1 gives the lock a clock fixed far ahead of the file system's (the year 2100), as on a
// machine whose clock runs ahead of a file server's: every file then looks old the moment it is created.
import { createInterface } from "node:readline";
import { acquireLock } from "../../src/dataset/export/lock.ts";

const held: (() => Promise<void>)[] = [];
const clock = (): number => performance.timeOrigin + performance.now();
const FAR_AHEAD = Date.parse("2100-01-01T00:00:00Z");
const clockAhead = process.env.SHADOWIT_LOCK_CLOCK_AHEAD === "1";

async function take(at: number, folder: string): Promise<void> {
    // Both racers wait for the same instant, so that their attempts really overlap.
    while (clock() < at) { /* spin */ }
    try {
        held.push(await acquireLock(folder, clockAhead ? { now: () => FAR_AHEAD } : {}));
        process.stdout.write(`${JSON.stringify({ pid: process.pid, won: true })}\n`);
    } catch (error) {
        process.stdout.write(`${JSON.stringify({ pid: process.pid, won: false, message: (error as Error).message })}\n`);
    }
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", line => {
    const space = line.indexOf(" ");
    queue = queue.then(() => take(Number(line.slice(0, space)), line.slice(space + 1)));
});
lines.on("close", () => {
    void queue.then(async () => {
        for (const release of held) await release();
    });
});
