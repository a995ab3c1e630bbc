/* eslint-disable powerbi-visuals/non-literal-fs-path -- the companion reads and writes under the folder the user names with --out */
// One export at a time per workspace folder: two runs writing the same day files and manifest would undo each
// other's work.
//
// The rule (also in README "Export"):
// - The lock is the file .shadowit-export.lock, created whole: its text is written to a draft file that is then
//   hard-linked to the lock's name, which fails when the name exists, so of two runs creating it the file system
//   lets exactly one succeed and no run reads a half-written lock (where hard links are not supported, the
//   exclusive flag 'wx'). It holds JSON: the owner's pid, host name, a random token and the
//   time it was taken. The owner touches the file every HEARTBEAT_MS while it runs and removes it when it ends
//   (only if the token in it is still its own).
// - A lock is stale when it was left by a run that no longer runs: on this machine (same host name), its pid is
//   not running; from another machine (a shared folder), its file was not touched for STALE_AFTER_MS by this
//   machine's clock. A file that cannot be read as a lock (a run killed between creating and writing it) is
//   stale once it is older than STALE_AFTER_MS too; a younger one is a lock being taken right now.
// - Taking over a stale lock goes through a claim: the file .shadowit-export.lock.claim-<token of the stale lock>,
//   created with 'wx'. Only the run that created the claim may delete the stale lock, and only after reading,
//   while it holds the claim, that the lock still carries the stale token; then it creates the lock anew with
//   'wx' and reads it back to check the token is its own. Tokens are never reused, so a lock file that was
//   replaced cannot be mistaken for the stale one (two runs can never both delete "the stale lock" and both
//   create their own). A run that loses the claim or the creation refuses, naming the holder.
// - A claim whose run was killed in the middle of a takeover (a window of milliseconds) is stale when its pid is
//   gone or it is older than STALE_AFTER_MS; it is then deleted under a claim of its own (same construction).
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { UserError } from "../errors.ts";

export const LOCK_NAME = ".shadowit-export.lock";
const CLAIM_INFIX = ".claim-";
const DRAFT_INFIX = ".draft-";
/** How often the holder touches the lock file. */
export const HEARTBEAT_MS = 30_000;
/** A lock from another machine (or an unreadable one) not touched for this long is stale. */
export const STALE_AFTER_MS = 10 * 60_000;
const ATTEMPTS = 8;

export interface LockOwner {
    readonly pid: number;
    readonly host: string;
    readonly token: string;
    readonly started: string;
}

/** What is known of a lock file on disk. */
interface LockState {
    /** Identifies this very file: its token, or for an unreadable file its inode and time. */
    readonly id: string;
    readonly owner: LockOwner | undefined;
    readonly mtimeMs: number;
}

export interface LockOptions {
    /** This machine's name (tests); default os.hostname(). */
    readonly host?: string;
    /** The current time in ms (tests); default the clock. */
    readonly now?: () => number;
}

function isAlive(pid: number): boolean {
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Parses a lock file's text: the JSON owner, or the bare pid written by earlier versions (same machine). */
export function parseLockText(text: string, host: string): LockOwner | undefined {
    const trimmed = text.trim();
    if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), host, token: `pid-${trimmed}`, started: "" };
    try {
        const data = JSON.parse(trimmed) as Partial<LockOwner>;
        if (typeof data.pid === "number" && typeof data.host === "string" && typeof data.token === "string" && /^[0-9a-f]{8,64}$/.test(data.token)) {
            return { pid: data.pid, host: data.host, token: data.token, started: typeof data.started === "string" ? data.started : "" };
        }
    } catch {
        // an unreadable lock: handled by the caller
    }
    return undefined;
}

async function readState(file: string, host: string): Promise<LockState | undefined> {
    let text: string;
    let stat: import("node:fs").Stats;
    try {
        stat = await fs.stat(file);
        text = await fs.readFile(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
    }
    const owner = parseLockText(text, host);
    return { id: owner ? owner.token : `unreadable-${stat.ino}-${stat.mtimeMs}`, owner, mtimeMs: stat.mtimeMs };
}

function isStale(state: LockState, host: string, now: number): boolean {
    const old = now - state.mtimeMs > STALE_AFTER_MS;
    if (!state.owner) return old;
    if (state.owner.host === host) return !isAlive(state.owner.pid);
    return old;
}

function describeOwner(state: LockState, host: string): string {
    if (!state.owner) return "an export that is taking the lock right now";
    const where = state.owner.host === host ? "" : ` on ${state.owner.host}`;
    const since = state.owner.started ? `, started ${state.owner.started}` : "";
    return `process ${state.owner.pid}${where}${since}`;
}

function errorCode(error: unknown): string | undefined {
    return (error as NodeJS.ErrnoException).code;
}

/** File systems that refuse hard links (FAT, some network shares): the lock is then created in place. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/**
 * Creates `file` holding `text` if no file has that name; false when one exists. The text is written to a
 * private file first and hard-linked to `file`, which fails if `file` exists: the file appears whole, so no other
 * run ever reads a lock that is being written. Where hard links are not supported, `file` is created with the
 * exclusive flag and written at once; a reader may then see it empty for an instant, and judges an unreadable
 * lock by its age.
 */
async function createExclusive(file: string, text: string): Promise<boolean> {
    const draft = `${file}${DRAFT_INFIX}${randomBytes(8).toString("hex")}`;
    try {
        await fs.writeFile(draft, text, { flag: "wx" });
        await fs.link(draft, file);
        return true;
    } catch (error) {
        if (errorCode(error) === "EEXIST") return false;
        if (!NO_HARD_LINKS.has(errorCode(error) ?? "")) throw error;
    } finally {
        await fs.rm(draft, { force: true });
    }
    try {
        await fs.writeFile(file, text, { flag: "wx" });
        return true;
    } catch (error) {
        if (errorCode(error) === "EEXIST") return false;
        throw error;
    }
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Deletes the lock file `file` if it is still the stale one identified by `staleId`; true when this run did.
 * The claim file makes the read-then-delete exclusive among the runs that judged the same lock stale.
 */
async function removeStale(file: string, staleId: string, me: LockOwner, options: Required<LockOptions>, depth = 0): Promise<boolean> {
    const claim = `${file}${CLAIM_INFIX}${staleId}`;
    if (!await createExclusive(claim, JSON.stringify(me))) {
        // Another run claims it. If that run was killed mid-takeover, clear its claim (under a claim of its own).
        const claimState = await readState(claim, options.host);
        if (depth < 2 && claimState && isStale(claimState, options.host, options.now()) && await removeStale(claim, claimState.id, me, options, depth + 1)) {
            return removeStale(file, staleId, me, options, depth);
        }
        return false;
    }
    try {
        const current = await readState(file, options.host);
        if (!current || current.id !== staleId) return false;
        await fs.rm(file, { force: true });
        return true;
    } finally {
        await fs.rm(claim, { force: true });
    }
}

function cannotWrite(folder: string, error: unknown): UserError {
    return new UserError(`cannot write to the output folder ${folder} (${errorCode(error) ?? (error as Error).message}): choose an --out folder you can write to; nothing was queried`);
}

function heldBy(folder: string, file: string, state: LockState, host: string): UserError {
    return new UserError(
        `another export (${describeOwner(state, host)}) is writing into ${folder}: wait for it to finish. If no such export ` +
        `is running, delete ${file} and rerun.`,
        1,
    );
}

/** Takes the folder's lock; resolves to a function that releases it. */
export async function acquireLock(folder: string, lockOptions: LockOptions = {}): Promise<() => Promise<void>> {
    const options: Required<LockOptions> = { host: lockOptions.host ?? hostname(), now: lockOptions.now ?? Date.now };
    const file = path.join(folder, LOCK_NAME);
    const me: LockOwner = { pid: process.pid, host: options.host, token: randomBytes(16).toString("hex"), started: new Date(options.now()).toISOString() };
    const text = `${JSON.stringify(me)}\n`;
    let last: LockState | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (attempt > 0) await sleep(attempt * 10);
        try {
            if (await createExclusive(file, text)) {
                const check = await readState(file, options.host);
                if (check?.id === me.token) return startHolding(file, me.token, options.host);
                if (check) throw heldBy(folder, file, check, options.host);
                continue;
            }
            const state = await readState(file, options.host);
            if (!state) continue; // released meanwhile: try again
            last = state;
            if (!isStale(state, options.host, options.now())) {
                // A file still being written by the run that just created it: read it again in a moment.
                if (!state.owner) continue;
                throw heldBy(folder, file, state, options.host);
            }
            // Left by a run that no longer runs: take it over, or see who did.
            await removeStale(file, state.id, me, options);
        } catch (error) {
            if (error instanceof UserError) throw error;
            throw cannotWrite(folder, error);
        }
    }
    if (last && isStale(last, options.host, options.now())) {
        throw new UserError(
            `cannot take over the export lock ${file} left by ${describeOwner(last, options.host)}, which no longer runs: another ` +
            `run is taking it over, or one was stopped while doing so. If no export is running, delete ${file} and the ` +
            `${LOCK_NAME}${CLAIM_INFIX}* files next to it, and rerun.`,
            1,
        );
    }
    if (last) throw heldBy(folder, file, last, options.host);
    throw new UserError(`cannot take the export lock ${file}: other exports keep taking it; rerun when they are done`, 1);
}

function startHolding(file: string, token: string, host: string): () => Promise<void> {
    const timer = setInterval(() => {
        const now = new Date();
        fs.utimes(file, now, now).catch(() => undefined);
    }, HEARTBEAT_MS);
    timer.unref();
    let released = false;
    return async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        // Remove the lock only while it is still this run's (a lock taken over after being judged stale is not).
        const state = await readState(file, host).catch(() => undefined);
        if (state?.id === token) await fs.rm(file, { force: true }).catch(() => undefined);
    };
}
