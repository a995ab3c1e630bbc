/*
 * Watches a fetchMoreData request for the segment it promised. Power BI may accept the request (fetchMoreData
 * returns true) and never send the segment: after an edit → reading view switch it resends the first window with
 * a segment marker, and fetchMoreData then "does nothing at all, but returns with true"
 * (microsoft/PowerBI-visuals-tools issue #348); the same after a persistProperties update
 * (microsoft/powerbi-visuals-api issue #100). Without a watch the visual would say "Loading more data…" for ever and
 * never signal renderingFinished, so an export would wait for nothing.
 */

/** The timer the watch runs on: the browser's by default, a fake one in tests. */
export interface LoadingTimer {
    set(callback: () => void, milliseconds: number): unknown;
    clear(handle: unknown): void;
}

/** Looks up setTimeout at call time, so that jasmine's fake clock (installed after load) replaces it. */
export const browserTimer: LoadingTimer = {
    set: (callback, milliseconds) => setTimeout(callback, milliseconds),
    clear: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * How long to wait for a requested segment. A segment is one query of at most 30,000 grouped rows, which Power BI
 * answers in a few seconds even on DirectQuery; a segment that comes later still is folded (loading resumes).
 */
export const SEGMENT_TIMEOUT_MS = 30_000;

export class LoadingWatch {
    private handle: unknown = null;

    constructor(private readonly timer: LoadingTimer, private readonly timeoutMs: number = SEGMENT_TIMEOUT_MS) { }

    get waiting(): boolean {
        return this.handle !== null;
    }

    /** Starts (or restarts) the wait for a segment; `onStall` runs if none arrives in time. */
    start(onStall: () => void): void {
        this.stop();
        this.handle = this.timer.set(() => {
            this.handle = null;
            onStall();
        }, this.timeoutMs);
    }

    stop(): void {
        if (this.handle === null) return;
        this.timer.clear(this.handle);
        this.handle = null;
    }
}
