// Export progress: a bar on an interactive terminal, one line per completed window otherwise (logs, CI), or
// nothing but the notes. Messages (warnings, notes) always go through `note` so they do not tear the bar.
import cliProgress from "cli-progress";

export type ProgressMode = "auto" | "bar" | "lines" | "none";

export interface ProgressSink {
    startTable(table: string, expectedRows: number, windows: number): void;
    windowDone(table: string, window: string, rows: number, elapsedMs: number): void;
    dayWritten(table: string, file: string, rows: number, bytes: number): void;
    /** A request has been pending for `elapsedMs`: say what the export is waiting for. */
    waiting(table: string, endpoint: string, window: string, elapsedMs: number, attempts: number): void;
    note(message: string): void;
    stop(): void;
}

export interface ProgressStream {
    write(text: string): unknown;
    isTTY?: boolean;
}

export function waitingLine(table: string, endpoint: string, window: string, elapsedMs: number, attempts: number): string {
    return `${table}: waiting for ${endpoint} (window ${window}), ${Math.round(elapsedMs / 1000)} s so far${attempts > 1 ? `, attempt ${attempts}` : ""}`;
}

class LineProgress implements ProgressSink {
    constructor(private readonly out: ProgressStream) {}
    startTable(table: string, expectedRows: number, windows: number): void {
        this.out.write(`${table}: about ${expectedRows} rows in ${windows} window(s)\n`);
    }
    windowDone(table: string, window: string, rows: number, elapsedMs: number): void {
        this.out.write(`${table} ${window}: ${rows} rows in ${(elapsedMs / 1000).toFixed(1)} s\n`);
    }
    dayWritten(table: string, file: string, rows: number, bytes: number): void {
        this.out.write(`${table}: wrote ${file} (${rows} rows, ${bytes} bytes)\n`);
    }
    waiting(table: string, endpoint: string, window: string, elapsedMs: number, attempts: number): void {
        this.out.write(`${waitingLine(table, endpoint, window, elapsedMs, attempts)}\n`);
    }
    note(message: string): void {
        this.out.write(`${message}\n`);
    }
    stop(): void {}
}

class BarProgress implements ProgressSink {
    private bar: cliProgress.SingleBar | undefined;
    private rows = 0;
    private windows = 0;
    private totalWindows = 0;

    constructor(private readonly out: ProgressStream) {}

    startTable(table: string, expectedRows: number, windows: number): void {
        this.stop();
        this.rows = 0;
        this.windows = 0;
        this.totalWindows = windows;
        this.bar = new cliProgress.SingleBar({
            stream: this.out as NodeJS.WritableStream,
            format: `${table} |{bar}| {percentage}% | {value}/{total} rows | {windows} windows | ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 20,
        }, cliProgress.Presets.shades_classic);
        this.bar.start(Math.max(expectedRows, 1), 0, { windows: `0/${windows}` });
    }

    windowDone(_table: string, _window: string, rows: number): void {
        if (!this.bar) return;
        this.rows += rows;
        this.windows++;
        // The expected rows are an estimate: when the last window is in, the total is what was read.
        if (this.rows > this.bar.getTotal() || this.windows === this.totalWindows) this.bar.setTotal(Math.max(this.rows, 1));
        this.bar.update(this.rows, { windows: `${this.windows}/${this.totalWindows}` });
    }

    dayWritten(): void {}

    waiting(table: string, endpoint: string, window: string, elapsedMs: number, attempts: number): void {
        this.note(waitingLine(table, endpoint, window, elapsedMs, attempts));
    }

    note(message: string): void {
        if (this.bar) {
            // Print above the bar: clear the line, write, and let the bar redraw.
            this.out.write(`\r\x1b[K${message}\n`);
            this.bar.render();
        } else {
            this.out.write(`${message}\n`);
        }
    }

    stop(): void {
        this.bar?.stop();
        this.bar = undefined;
    }
}

/** No progress at all; notes are warnings the user must still see (a day file kept, say), so they are written. */
class NoProgress implements ProgressSink {
    constructor(private readonly out: ProgressStream) {}
    startTable(): void {}
    windowDone(): void {}
    dayWritten(): void {}
    waiting(): void {}
    note(message: string): void {
        this.out.write(`${message}\n`);
    }
    stop(): void {}
}

export function createProgress(mode: ProgressMode, out: ProgressStream): ProgressSink {
    const resolved = mode === "auto" ? (out.isTTY ? "bar" : "lines") : mode;
    if (resolved === "bar") return new BarProgress(out);
    if (resolved === "lines") return new LineProgress(out);
    return new NoProgress(out);
}
