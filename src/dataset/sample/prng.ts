// The sample tenant's random numbers: mulberry32 with the distributions the tenant needs.
// Deterministic across platforms: only 32-bit integer arithmetic and IEEE doubles.
import { mulberry32 } from "../../random.ts";

/** FNV-1a hash of a label: derives independent, stable sub-streams from one seed. */
export function hashLabel(label: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
        h ^= label.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}

export class Rng {
    readonly nextUint32: () => number;

    constructor(seed: number, label = "") {
        this.nextUint32 = mulberry32((Math.trunc(seed) ^ hashLabel(label)) >>> 0);
        // Warm up so that nearby seeds diverge at once.
        for (let i = 0; i < 4; i++) this.nextUint32();
    }

    /** Uniform in [0, 1). */
    next(): number {
        return this.nextUint32() / 4294967296;
    }

    /** Uniform integer in [min, max] (inclusive). */
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }

    chance(probability: number): boolean {
        return this.next() < probability;
    }

    pick<T>(items: readonly T[]): T {
        if (items.length === 0) throw new RangeError("cannot pick from an empty list");
        return items[Math.floor(this.next() * items.length)] as T;
    }

    /** Standard normal (Box–Muller). */
    normal(): number {
        const u = 1 - this.next();
        const v = this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Lognormal with the given parameters of the underlying normal. */
    lognormal(mu: number, sigma: number): number {
        return Math.exp(mu + sigma * this.normal());
    }

    /** Pareto with scale xm and shape alpha: heavy-tailed, never below xm. */
    pareto(xm: number, alpha: number): number {
        return xm / Math.pow(1 - this.next(), 1 / alpha);
    }

    /** A version-4-shaped GUID from the stream. */
    guid(): string {
        const hex = (n: number) => n.toString(16).padStart(8, "0");
        const a = hex(this.nextUint32());
        const b = hex(this.nextUint32());
        const c = hex(this.nextUint32());
        const d = hex(this.nextUint32());
        const variant = "89ab"[this.nextUint32() & 3];
        return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    }
}

/** Picks indexes in proportion to fixed weights in O(log n), from cumulative sums. */
export class WeightedPicker<T> {
    private readonly cumulative: Float64Array;
    private readonly total: number;

    constructor(private readonly items: readonly T[], weights: readonly number[]) {
        if (items.length === 0 || items.length !== weights.length) throw new RangeError("items and weights must be non-empty and of equal length");
        this.cumulative = new Float64Array(items.length);
        let sum = 0;
        weights.forEach((w, i) => {
            if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is not a finite non-negative number`);
            sum += w;
            this.cumulative[i] = sum;
        });
        if (sum <= 0) throw new RangeError("weights sum to zero");
        this.total = sum;
    }

    pick(rng: Rng): T {
        const target = rng.next() * this.total;
        let lo = 0;
        let hi = this.cumulative.length - 1;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if ((this.cumulative[mid] as number) > target) hi = mid;
            else lo = mid + 1;
        }
        return this.items[lo] as T;
    }
}
