import { isBlankValue, valueKey } from "./values";

/**
 * Entries per distinct value of a column, created on first sight. Lookups of primitive values go straight to a
 * map keyed by the raw value, so folding a row allocates nothing once its value has been seen; blanks ("", " ",
 * null) share one entry through the normalized key. Memory grows with distinct values, never with rows.
 */
export class DistinctValues<E extends { readonly key: string }> {
    private readonly byRaw = new Map<unknown, E>();
    /**
     * Entries of the values that can share a key with another raw value (blanks, objects). A non-blank string,
     * number or boolean is the only raw value with its key, so `byRaw` finds its entry and it needs no key lookup.
     */
    private readonly byKey = new Map<string, E>();
    /** Every entry, in order of first sight. */
    private readonly list: E[] = [];

    constructor(private readonly create: (raw: unknown, key: string, row: number) => E) {}

    get(raw: unknown, row: number): E {
        const cached = this.byRaw.get(raw);
        if (cached !== undefined) return cached;
        const key = valueKey(raw);
        if (hasOwnKey(raw)) {
            const entry = this.create(raw, key, row);
            this.list.push(entry);
            this.byRaw.set(raw, entry);
            return entry;
        }
        let entry = this.byKey.get(key);
        if (entry === undefined) {
            entry = this.create(raw, key, row);
            this.list.push(entry);
            this.byKey.set(key, entry);
        }
        // Objects (dates) are new on every row: caching them would grow with rows.
        if (raw === null || typeof raw !== "object") this.byRaw.set(raw, entry);
        return entry;
    }

    get size(): number {
        return this.list.length;
    }

    /** The entries in order of first sight. */
    entries(): readonly E[] {
        return this.list;
    }
}

/** True when no other raw value has the same key: a non-blank string, a number or a boolean. */
function hasOwnKey(raw: unknown): boolean {
    const type = typeof raw;
    return type === "number" || type === "boolean" || (type === "string" && !isBlankValue(raw));
}
