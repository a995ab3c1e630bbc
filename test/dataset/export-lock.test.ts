// The export lock: exclusive by construction. Many pairs of processes race for a folder holding a stale lock
// (left by a killed run): exactly one of each pair wins, the other refuses naming the holder. Locks of other
// machines go stale by age, and a run never removes a lock that is not its own.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { UserError } from "../../src/dataset/errors.ts";
import { acquireLock, LOCK_NAME, STALE_AFTER_MS } from "../../src/dataset/export/lock.ts";
import { REPO_ROOT } from "./cli-process.ts";
import { END, MINUTE, tempDir } from "./export-setup.ts";

const CHILD = path.join(REPO_ROOT, "test", "dataset", "lock-child.ts");
/** Reads a file in a tight loop until a stop file appears; prints how often it found it and any text not whole JSON. */
const READER = `
    const fs = require("fs");
    const [file, stop] = process.argv.slice(1);
    let found = 0;
    const partial = [];
    while (!fs.existsSync(stop)) {
        let text;
        try { text = fs.readFileSync(file, "utf8"); } catch { continue; }
        found++;
        try { JSON.parse(text); } catch { if (partial.length < 5) partial.push(text); }
    }
    process.stdout.write(JSON.stringify({ found, partial }));`;

interface Attempt {
    readonly pid: number;
    readonly won: boolean;
    readonly message?: string;
}

/** A child process that takes locks through lock.ts when asked, answering one JSON line per request. */
class Racer {
    private readonly child: ChildProcessWithoutNullStreams;
    private readonly answers: ((attempt: Attempt) => void)[] = [];
    readonly exited: Promise<number | null>;

    constructor(clockAhead = false) {
        this.child = spawn(process.execPath, ["--import", "tsx", CHILD],
            { cwd: REPO_ROOT, stdio: "pipe", env: { ...process.env, SHADOWIT_LOCK_CLOCK_AHEAD: clockAhead ? "1" : "0" } });
        createInterface({ input: this.child.stdout }).on("line", line => this.answers.shift()?.(JSON.parse(line) as Attempt));
        this.exited = new Promise(resolve => this.child.on("close", code => resolve(code)));
    }

    get pid(): number {
        return this.child.pid as number;
    }

    take(at: number, folder: string): Promise<Attempt> {
        return new Promise(resolve => {
            this.answers.push(resolve);
            this.child.stdin.write(`${at} ${folder}\n`);
        });
    }

    /** Closes its input: it releases every lock it holds and exits. */
    finish(): Promise<number | null> {
        this.child.stdin.end();
        return this.exited;
    }
}

/** The pid of a process that has exited: what a lock left by a killed run holds. */
function deadPid(): number {
    const pid = spawnSync(process.execPath, ["-e", ""]).pid;
    assert.ok(pid);
    return pid;
}

function plantStaleLock(folder: string, round: number, pid: number, host: string): void {
    mkdirSync(folder, { recursive: true });
    // Both forms: the bare pid of earlier versions and the JSON of this one.
    const text = round % 2 === 0
        ? `${pid}\n`
        : `${JSON.stringify({ pid, host, token: `${round.toString(16).padStart(8, "0")}dead`, started: "2026-03-02T09:00:00.000Z" })}\n`;
    writeFileSync(path.join(folder, LOCK_NAME), text);
}

/**
 * Races `pairs` pairs of child processes for folders holding a stale lock; returns what went wrong. `clockAhead`
 * gives the children a clock fixed far ahead of the file system's (lock-child.ts).
 */
async function race(pairs: number, clockAhead: boolean): Promise<{ failures: string[]; folders: string[] }> {
    const root = tempDir("lock-race");
    const dead = deadPid();
    const { hostname } = await import("node:os");
    const folders = Array.from({ length: pairs }, (_, i) => path.join(root, `ws-${i}`));
    folders.forEach((folder, i) => plantStaleLock(folder, i, dead, hostname()));
    const a = new Racer(clockAhead);
    const b = new Racer(clockAhead);
    // The first request also waits for both children to have loaded.
    const failures: string[] = [];
    try {
        for (let i = 0; i < pairs; i++) {
            const at = performance.timeOrigin + performance.now() + (i === 0 ? 4000 : 15);
            const results = await Promise.all([a.take(at, folders[i]), b.take(at, folders[i])]);
            const winners = results.filter(r => r.won);
            if (winners.length !== 1) {
                failures.push(`round ${i}: ${winners.length} winners (${results.map(r => r.message ?? "won").join(" | ")})`);
                continue;
            }
            const loser = results.find(r => !r.won) as Attempt;
            if (!new RegExp(`another export \\(process ${winners[0].pid}, started [^)]+\\) is writing into`).test(loser.message ?? "")) {
                failures.push(`round ${i}: the loser's message does not name the winner: ${loser.message}`);
            }
            const held = readFileSync(path.join(folders[i], LOCK_NAME), "utf8");
            if (!held.includes(`"pid":${winners[0].pid},`)) failures.push(`round ${i}: the lock file does not name the winner: ${held}`);
        }
    } finally {
        await Promise.all([a.finish(), b.finish()]);
    }
    return { failures, folders };
}

describe("export lock", () => {
    const cases = [
        { clockAhead: false, title: "100 pairs of processes racing for a stale lock: exactly one of each pair wins, the other names it" },
        {
            clockAhead: true,
            title: "100 pairs racing with a clock far ahead of the file system's: a lock being created never looks like an old unreadable one",
        },
    ];
    for (const { clockAhead, title } of cases) {
        it(title, { timeout: 60_000 }, async () => {
            const { failures, folders } = await race(100, clockAhead);
            assert.deepEqual(failures, [], "every pair has exactly one winner");
            for (const folder of folders) assert.deepEqual(readdirSync(folder), [], "locks, claims and drafts are gone once the winners end");
        });
    }

    it("a reader never finds a lock half-written: the file appears whole", async () => {
        // A lock read while its creator is still writing it looks unreadable, and an unreadable lock is judged by its
        // age: on a machine whose clock is ahead of the file system's, that is a takeover of a live lock. Another
        // process reads the lock file as fast as it can while this one takes and releases it 500 times.
        const folder = tempDir("lock-whole");
        const stop = path.join(tempDir("lock-whole-stop"), "stop");
        const reader = spawn(process.execPath, ["-e", READER, path.join(folder, LOCK_NAME), stop], { stdio: ["ignore", "pipe", "inherit"] });
        let output = "";
        reader.stdout.on("data", (chunk: Buffer) => { output += chunk.toString(); });
        const exited = new Promise(resolve => reader.on("close", resolve));
        for (let i = 0; i < 500; i++) {
            const release = await acquireLock(folder);
            await release();
        }
        writeFileSync(stop, "");
        await exited;
        const { found, partial } = JSON.parse(output) as { found: number; partial: string[] };
        assert.ok(found > 0, "the reader saw the lock");
        assert.deepEqual(partial, [], `reads of the lock that found it half-written (of ${found})`);
    });

    it("a lock from another machine is held until it has not been touched for the stale age", async () => {
        const folder = tempDir("lock-remote");
        const file = path.join(folder, LOCK_NAME);
        writeFileSync(file, JSON.stringify({ pid: 1, host: "build-02", token: "0123456789abcdef", started: "2026-03-02T09:00:00.000Z" }));
        const touched = END;
        utimesSync(file, new Date(touched), new Date(touched));
        const young = acquireLock(folder, { host: "laptop", now: () => touched + STALE_AFTER_MS - MINUTE });
        await assert.rejects(young, (error: unknown) => error instanceof UserError && error.exitCode === 1 &&
            /another export \(process 1 on build-02, started 2026-03-02T09:00:00.000Z\) is writing into .*delete .*\.shadowit-export\.lock and rerun/.test(error.message));
        const release = await acquireLock(folder, { host: "laptop", now: () => touched + STALE_AFTER_MS + MINUTE });
        assert.equal(JSON.parse(readFileSync(file, "utf8")).host, "laptop");
        await release();
        assert.equal(existsSync(file), false);
    });

    it("a lock that cannot be read is a lock being taken until it is old", async () => {
        const folder = tempDir("lock-unreadable");
        const file = path.join(folder, LOCK_NAME);
        writeFileSync(file, "");
        utimesSync(file, new Date(END), new Date(END));
        await assert.rejects(acquireLock(folder, { now: () => END + MINUTE }), /another export \(an export that is taking the lock right now\)/);
        const release = await acquireLock(folder, { now: () => END + STALE_AFTER_MS + MINUTE });
        await release();
        assert.deepEqual(readdirSync(folder), []);
    });

    it("a takeover interrupted by a kill (a claim left behind) does not block the folder for ever", async () => {
        const folder = tempDir("lock-claim");
        const dead = deadPid();
        const { hostname } = await import("node:os");
        const token = "00c0ffee00c0ffee";
        writeFileSync(path.join(folder, LOCK_NAME), JSON.stringify({ pid: dead, host: hostname(), token, started: "2026-03-02T09:00:00.000Z" }));
        writeFileSync(path.join(folder, `${LOCK_NAME}.claim-${token}`), JSON.stringify({ pid: dead, host: hostname(), token: "0badc1a100000000", started: "2026-03-02T09:30:00.000Z" }));
        const release = await acquireLock(folder);
        assert.equal(JSON.parse(readFileSync(path.join(folder, LOCK_NAME), "utf8")).pid, process.pid);
        await release();
        assert.deepEqual(readdirSync(folder), [], "the lock and both claims are gone");
    });

    it("a run never removes a lock that is no longer its own", async () => {
        const folder = tempDir("lock-replaced");
        const file = path.join(folder, LOCK_NAME);
        const release = await acquireLock(folder);
        const other = JSON.stringify({ pid: 2, host: "build-02", token: "fedcba9876543210", started: "2026-03-02T09:00:00.000Z" });
        writeFileSync(file, other);
        await release();
        assert.equal(readFileSync(file, "utf8"), other);
    });
});
