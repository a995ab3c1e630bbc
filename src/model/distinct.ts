import { valueKey } from "./values";

/**
 * Entries per distinct value of a column, created on first sight. Lookups of primitive values go straight to a
 * map keyed by the raw value, so folding a row allocates nothing once its value has been seen; blanks ("", " ",
 * null) share one entry through the normalized key. Memory grows with distinct values, never with rows.
 */
export class DistinctValues<E extends { readonly key: string }> {
    private readonly byRaw = new Map<unknown, E>();
    private readonly byKey = new Map<string, E>();

    constructor(private readonly create: (raw: unknown, key: string, row: number) => E) {}

    get(raw: unknown, row: number): E {
        const cached = this.byRaw.get(raw);
        if (cached !== undefined) return cached;
        const key = valueKey(raw);
        let entry = this.byKey.get(key);
        if (entry === undefined) {
            entry = this.create(raw, key, row);
            this.byKey.set(key, entry);
        }
        // Objects (dates) are new on every row: caching them would grow with rows.
        if (raw === null || typeof raw !== "object") this.byRaw.set(raw, entry);
        return entry;
    }

    get size(): number {
        return this.byKey.size;
    }

    entries(): IterableIterator<E> {
        return this.byKey.values();
    }
}
