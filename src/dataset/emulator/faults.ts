// Fault injection: the network and service failures a client of Log Analytics must survive, on demand.
import { seededRandom } from "../../random.ts";

export const FAULT_KINDS = ["503", "429", "drop", "truncate"] as const;
/** 503/429: answer with that status and Retry-After; drop: close the connection before answering;
 *  truncate: send half of the body, then close. */
export type FaultKind = typeof FAULT_KINDS[number];

export interface FaultOptions {
    /** Delay before each answer, in milliseconds; it counts against the query's server timeout. */
    readonly latencyMs?: number;
    /** Chance (0..1) of each fault on every query request, drawn from a PRNG seeded with `seed`. */
    readonly probabilities?: Readonly<Partial<Record<FaultKind, number>>>;
    /** Faults for the next requests, in order (deterministic): ["503", "503"] fails the next two requests. */
    readonly next?: readonly FaultKind[];
    /** Seed of the PRNG behind `probabilities` (default 1). */
    readonly seed?: number;
    /** Retry-After seconds on injected 503 and 429 answers (default 1). */
    readonly retryAfterSeconds?: number;
    /** Answer every request as if its bearer token had expired (401). */
    readonly expiredToken?: boolean;
}

export class FaultSpecError extends Error {}

const isFaultKind = (text: string): text is FaultKind => (FAULT_KINDS as readonly string[]).includes(text);

/**
 * Parses the CLI's compact form: `latency=200,503=0.1,drop=0.05,truncate=0.02,seed=7` (probabilities),
 * `503:2,drop:1` (the next requests, in order), `retry-after=2`, `expired`. Items combine.
 */
export function parseFaultSpec(spec: string): FaultOptions {
    let latencyMs: number | undefined;
    let seed: number | undefined;
    let retryAfterSeconds: number | undefined;
    let expiredToken = false;
    const probabilities: Partial<Record<FaultKind, number>> = {};
    const next: FaultKind[] = [];
    const known = `${FAULT_KINDS.join(", ")}, latency, seed, retry-after, expired`;
    for (const raw of spec.split(",")) {
        const item = raw.trim();
        if (item === "") continue;
        if (item === "expired") {
            expiredToken = true;
            continue;
        }
        const counted = /^([a-z0-9-]+):(\d+)$/i.exec(item);
        if (counted) {
            const [, kind, count] = counted;
            if (!isFaultKind(kind)) throw new FaultSpecError(`Unknown fault '${kind}' in '${item}': use one of ${FAULT_KINDS.join(", ")}.`);
            const n = Number(count);
            if (n > 100_000) throw new FaultSpecError(`'${item}': at most 100000 counted faults.`);
            for (let i = 0; i < n; i++) next.push(kind);
            continue;
        }
        const assigned = /^([a-z0-9-]+)=(.+)$/i.exec(item);
        if (!assigned) throw new FaultSpecError(`Cannot read the fault '${item}': write name=value (like 503=0.1 or latency=200) or name:count (like 503:2).`);
        const [, name, valueText] = assigned;
        const value = Number(valueText);
        if (!Number.isFinite(value) || value < 0) throw new FaultSpecError(`'${item}': the value must be a non-negative number.`);
        if (name === "latency") latencyMs = value;
        else if (name === "seed") {
            if (!Number.isInteger(value)) throw new FaultSpecError(`'${item}': the seed must be a whole number.`);
            seed = value;
        } else if (name === "retry-after") {
            if (!Number.isInteger(value)) throw new FaultSpecError(`'${item}': Retry-After must be whole seconds.`);
            retryAfterSeconds = value;
        } else if (isFaultKind(name)) {
            if (value > 1) throw new FaultSpecError(`'${item}': a probability is between 0 and 1.`);
            probabilities[name] = value;
        } else {
            throw new FaultSpecError(`Unknown fault '${name}' in '${item}': use ${known}.`);
        }
    }
    return {
        ...(latencyMs !== undefined ? { latencyMs } : {}),
        ...(Object.keys(probabilities).length > 0 ? { probabilities } : {}),
        ...(next.length > 0 ? { next } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(expiredToken ? { expiredToken } : {}),
    };
}

export interface FaultDecision {
    readonly latencyMs: number;
    readonly fault: FaultKind | undefined;
    readonly retryAfterSeconds: number;
    readonly expiredToken: boolean;
}

/** Decides, request by request, which fault (if any) to inject. Deterministic for a given seed and request order. */
export class FaultInjector {
    private options: FaultOptions = {};
    private queue: FaultKind[] = [];
    private random: () => number = seededRandom(1);

    constructor(options: FaultOptions = {}) {
        this.set(options);
    }

    set(options: FaultOptions): void {
        validate(options);
        this.options = options;
        this.queue = [...(options.next ?? [])];
        this.random = seededRandom(options.seed ?? 1);
    }

    decide(): FaultDecision {
        const retryAfterSeconds = this.options.retryAfterSeconds ?? 1;
        const base = { latencyMs: this.options.latencyMs ?? 0, retryAfterSeconds, expiredToken: this.options.expiredToken ?? false };
        const queued = this.queue.shift();
        if (queued) return { ...base, fault: queued };
        const probabilities = this.options.probabilities ?? {};
        for (const kind of FAULT_KINDS) {
            const p = probabilities[kind] ?? 0;
            if (p > 0 && this.random() < p) return { ...base, fault: kind };
        }
        return { ...base, fault: undefined };
    }
}

function validate(options: FaultOptions): void {
    if (options.latencyMs !== undefined && !(Number.isFinite(options.latencyMs) && options.latencyMs >= 0)) {
        throw new FaultSpecError(`latencyMs must be a non-negative number, got ${options.latencyMs}.`);
    }
    for (const [kind, p] of Object.entries(options.probabilities ?? {})) {
        if (!isFaultKind(kind)) throw new FaultSpecError(`Unknown fault '${kind}': use one of ${FAULT_KINDS.join(", ")}.`);
        if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new FaultSpecError(`The probability of ${kind} must be between 0 and 1, got ${p}.`);
    }
    for (const kind of options.next ?? []) {
        if (!isFaultKind(kind)) throw new FaultSpecError(`Unknown fault '${String(kind)}': use one of ${FAULT_KINDS.join(", ")}.`);
    }
}
