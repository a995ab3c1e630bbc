// Spreads exactly N timestamps over [start, end) in ascending order with a working-week rhythm, in O(hours)
// memory: each hour gets its share of rows, and each row its own slot within the hour.
import { Rng } from "./prng.ts";

const HOUR_MS = 3_600_000;

/** Relative activity of an hour of the week (UTC treated as the tenant's local time). */
function hourWeight(time: Date, rng: Rng): number {
    const day = time.getUTCDay();
    const hour = time.getUTCHours();
    const weekend = day === 0 || day === 6;
    const business = hour >= 8 && hour < 18 ? 1 : hour >= 6 && hour < 21 ? 0.45 : 0.12;
    return (weekend ? 0.22 : 1) * business * (0.8 + 0.4 * rng.next());
}

/** Yields `count` millisecond timestamps, non-decreasing, all within [startMs, endMs), whole seconds. */
export function* timestamps(count: number, startMs: number, endMs: number, rng: Rng): Generator<number> {
    if (count <= 0) return;
    const hours = Math.max(1, Math.ceil((endMs - startMs) / HOUR_MS));
    const weights = new Float64Array(hours);
    let total = 0;
    for (let h = 0; h < hours; h++) {
        const w = hourWeight(new Date(startMs + h * HOUR_MS), rng);
        weights[h] = w;
        total += w;
    }
    let cumulative = 0;
    let allocated = 0;
    for (let h = 0; h < hours; h++) {
        cumulative += weights[h] as number;
        const upTo = h === hours - 1 ? count : Math.min(count, Math.floor((count * cumulative) / total));
        const inHour = upTo - allocated;
        allocated = upTo;
        if (inHour === 0) continue;
        const hourStart = startMs + h * HOUR_MS;
        const hourEnd = Math.min(hourStart + HOUR_MS, endMs);
        const slot = (hourEnd - hourStart) / inHour;
        for (let j = 0; j < inHour; j++) {
            const t = Math.floor((hourStart + (j + rng.next()) * slot) / 1000) * 1000;
            yield Math.min(Math.max(t, startMs), endMs - 1);
        }
    }
}
