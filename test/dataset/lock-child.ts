// A child process for the lock race spec: takes export locks through lock.ts when told, and holds the ones it
// won until its input closes. Input lines: `<epoch ms to start at> <folder>`; output lines: JSON results.
// SHADOWIT_LOCK_SKEW_MS sets how far the clock the lock judges file ages by runs ahead of the file system's.
import { createInterface } from "node:readline";
import { acquireLock } from "../../src/dataset/export/lock.ts";

const held: (() => Promise<void>)[] = [];
const clock = (): number => performance.timeOrigin + performance.now();
const skewMs = Number(process.env.SHADOWIT_LOCK_SKEW_MS ?? 0);

async function take(at: number, folder: string): Promise<void> {
    // Both racers wait for the same instant, so that their attempts really overlap.
    while (clock() < at) { /* spin */ }
    try {
        held.push(await acquireLock(folder, skewMs === 0 ? {} : { now: () => Date.now() + skewMs }));
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
