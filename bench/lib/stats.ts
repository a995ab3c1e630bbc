export interface Summary {
    readonly runs: number;
    readonly median: number;
    readonly min: number;
    readonly max: number;
}

export function median(values: readonly number[]): number {
    if (values.length === 0) return Number.NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
    return { runs: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** "12.3 ms (min 11.0, max 15.2, 15 runs)" */
export function formatSummary(s: Summary, unit = "ms"): string {
    return `${fixed(s.median)} ${unit} (min ${fixed(s.min)}, max ${fixed(s.max)}, ${s.runs} runs)`;
}

export function fixed(value: number): string {
    if (!Number.isFinite(value)) return "n/a";
    const abs = Math.abs(value);
    return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

export function thousands(value: number): string {
    return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function megabytes(bytes: number): string {
    return `${(bytes / 1e6).toFixed(1)} MB`;
}
