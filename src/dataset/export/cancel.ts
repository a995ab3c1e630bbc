// Stopping an export on request (Ctrl+C, SIGTERM): the caller aborts the signal it passed in, the export stops
// asking for more, and the run ends with a Cancelled error once what was being written is safely written or dropped.

/** The run was asked to stop; `reason` is the signal's name ("SIGINT", "SIGTERM") or another word for the cause. */
export class Cancelled extends Error {
    constructor(readonly reason: string) {
        super(`stopped (${reason})`);
        this.name = "Cancelled";
    }
}

export function cancelReason(signal: AbortSignal): string {
    return typeof signal.reason === "string" ? signal.reason : "cancelled";
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new Cancelled(cancelReason(signal));
}

/** Waits `ms`, or less when `signal` is aborted (then it rejects with Cancelled). */
export function cancellableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new Cancelled(cancelReason(signal)));
        const onAbort = () => {
            clearTimeout(timer);
            reject(new Cancelled(cancelReason(signal as AbortSignal)));
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}
