// mulberry32: a small seeded pseudo-random generator, the same sequence for a seed on every platform (only 32-bit
// integer arithmetic). Shared by the sample tenant, the emulator's fault injection and the tests' data.

/** A generator of 32-bit unsigned integers, starting from `seed`. */
export function mulberry32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (t ^ (t >>> 14)) >>> 0;
    };
}

/** Uniform numbers in [0, 1) from mulberry32, starting from `seed`. */
export function seededRandom(seed: number): () => number {
    const next = mulberry32(seed);
    return () => next() / 4294967296;
}
