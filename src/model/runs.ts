import { TagClass } from "../schema";
import type { AppEntry, AppVariant, CategoryEntry, ScoreEntry } from "./aggregates";

/*
 * The fold's arithmetic apart from its loop (accumulator.ts): a run of rows added to its entries at once, and the
 * rules for one measure value.
 */

/** Returned by measure reads for values that are absent or invalid; valid values are never negative. */
export const NONE = -1;

/** Consecutive rows with the same app, category, score and tags: their entries and what the rows sum to. */
export interface Run {
    app: AppEntry | undefined;
    category: CategoryEntry | undefined;
    score: ScoreEntry | undefined;
    tagClass: TagClass;
    tagsBlank: boolean;
    rows: number;
    bytes: number;
    highlightedBytes: number;
    blocked: number;
    usersMax: number;
}

/** Adds a run's sums to its entries; the same as adding its rows one by one, in the same order. */
export function addRun(run: Run, tagsBound: boolean): void {
    const { app, category, score } = run;
    const tagClass: TagClass = tagsBound && !run.tagsBlank ? run.tagClass : "other";
    if (app) {
        app.rows += run.rows;
        app.totalBytes += run.bytes;
        app.highlightedBytes += run.highlightedBytes;
        app.blocked += run.blocked;
        if (run.usersMax > app.usersMax) app.usersMax = run.usersMax;
        variantOf(app, category ?? null, score ?? null, tagClass).bytes += run.bytes;
    }
    if (category) {
        category.totalBytes += run.bytes;
        switch (tagClass) {
            case "sanctioned": category.sanctioned += run.bytes; break;
            case "unsanctioned": category.unsanctioned += run.bytes; break;
            default: category.other += run.bytes;
        }
        category.highlightedBytes += run.highlightedBytes;
    }
    if (score) {
        score.rows += run.rows;
        score.totalBytes += run.bytes;
        score.highlightedBytes += run.highlightedBytes;
        if (run.usersMax > score.usersMax) score.usersMax = run.usersMax;
    }
}

/** The app's variant for these attributes, created on first sight. */
function variantOf(app: AppEntry, category: CategoryEntry | null, score: ScoreEntry | null, tagClass: TagClass): AppVariant {
    const last = app.lastVariant;
    if (last !== null && last.category === category && last.score === score && last.tagClass === tagClass) return last;
    let variant = app.variants.find(v => v.category === category && v.score === score && v.tagClass === tagClass);
    if (variant === undefined) {
        variant = { category, score, tagClass, bytes: 0, lastDay: NONE };
        app.variants.push(variant);
    }
    app.lastVariant = variant;
    return variant;
}

/** A measure value when valid (a number ≥ 0 and finite), else NONE. */
export function validOrNone(v: unknown): number {
    return typeof v === "number" && v >= 0 && v < Infinity ? v : NONE;
}

/** Total of a row from its parts: the valid parts, or NONE when neither is valid. */
export function sumOfParts(a: number, b: number): number {
    if (a === NONE && b === NONE) return NONE;
    return (a === NONE ? 0 : a) + (b === NONE ? 0 : b);
}
