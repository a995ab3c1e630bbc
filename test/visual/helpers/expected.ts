// Aggregates computed straight from the generated rows, independently of src/model, to check what is drawn.
import { formatBytes } from "../../../src/schema";
import { DiscoveryRow } from "./discovery-data";

export function isValidAmount(value: unknown): value is number {
    return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function tagClass(tags: string | null): "sanctioned" | "unsanctioned" | "other" {
    const list: string[] = tags ? JSON.parse(tags) as string[] : [];
    const lower = list.map(t => t.toLowerCase());
    return lower.includes("unsanctioned") ? "unsanctioned" : lower.includes("sanctioned") ? "sanctioned" : "other";
}

export interface CategoryTotal {
    name: string;
    total: number;
    sanctioned: number;
    unsanctioned: number;
    other: number;
}

export function categoryTotals(rows: readonly DiscoveryRow[]): CategoryTotal[] {
    const byName = new Map<string, CategoryTotal>();
    for (const row of rows) {
        if (!isValidAmount(row.total)) continue;
        const name = row.category === null || row.category === "" ? "(Blank)" : row.category;
        const entry = byName.get(name) ?? { name, total: 0, sanctioned: 0, unsanctioned: 0, other: 0 };
        entry.total += row.total;
        entry[tagClass(row.tags)] += row.total;
        byName.set(name, entry);
    }
    return [...byName.values()].sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1));
}

export interface BandTotal {
    id: "high" | "medium" | "low" | "unscored";
    total: number;
    apps: Set<string>;
    usersMax: number;
}

export function riskTotals(rows: readonly DiscoveryRow[]): Map<BandTotal["id"], BandTotal> {
    const bands = new Map<BandTotal["id"], BandTotal>();
    for (const row of rows) {
        const s = row.score;
        const id = s === null ? "unscored" : s <= 3 ? "high" : s <= 7 ? "medium" : "low";
        const band = bands.get(id) ?? { id, total: 0, apps: new Set<string>(), usersMax: 0 };
        if (isValidAmount(row.total)) band.total += row.total;
        if (row.app !== null) band.apps.add(row.app);
        band.usersMax = Math.max(band.usersMax, row.users);
        bands.set(id, band);
    }
    return bands;
}

export interface StreamTotal {
    name: string;
    uploaded: number;
    downloaded: number;
}

export function streamTotals(rows: readonly DiscoveryRow[]): StreamTotal[] {
    const byName = new Map<string, StreamTotal>();
    for (const row of rows) {
        const name = row.stream ?? "(Blank)";
        const entry = byName.get(name) ?? { name, uploaded: 0, downloaded: 0 };
        if (isValidAmount(row.uploaded)) entry.uploaded += row.uploaded;
        if (isValidAmount(row.downloaded)) entry.downloaded += row.downloaded;
        byName.set(name, entry);
    }
    return [...byName.values()].sort((a, b) => (b.uploaded + b.downloaded) - (a.uploaded + a.downloaded));
}

export function sum(rows: readonly DiscoveryRow[], pick: (row: DiscoveryRow) => number): number {
    return rows.reduce((total, row) => total + (isValidAmount(pick(row)) ? pick(row) : 0), 0);
}

export const bytes = (value: number): string => formatBytes(value, "si");

/** The sums of several categories, as the Other bar shows them. */
export function sumOfCategories(categories: readonly CategoryTotal[]): Omit<CategoryTotal, "name"> {
    return categories.reduce((sum, c) => ({
        total: sum.total + c.total, sanctioned: sum.sanctioned + c.sanctioned,
        unsanctioned: sum.unsanctioned + c.unsanctioned, other: sum.other + c.other,
    }), { total: 0, sanctioned: 0, unsanctioned: 0, other: 0 });
}

/** A category bar's aria-label: its traffic, then its split by tag (tags with traffic only), named `tags`. */
export function categoryLabel(
    c: Omit<CategoryTotal, "name">, name: string, tags: readonly string[] = ["Sanctioned", "Unsanctioned", "Other tags"],
): string {
    const split = [c.sanctioned, c.unsanctioned, c.other].map((v, i) => [tags[i], v] as const)
        .filter(([, v]) => v > 0).map(([tag, v]) => `${tag}: ${bytes(v)}`);
    return `${name}: ${bytes(c.total)}${split.length > 0 ? ` (${split.join(", ")})` : ""}`;
}

export function count(value: number): string {
    return new Intl.NumberFormat("en-US").format(value);
}

export interface AppTotal {
    name: string;
    category: string;
    score: number | null;
    state: "sanctioned" | "unsanctioned" | "other tags";
    total: number;
    usersMax: number;
    blocked: number;
    events: number;
    firstRow: number;
    /** DataView rows of the app: with one, its row's distinct count is the app's, exactly. */
    rows: number;
}

/** Per-app traffic, users (largest row) and blocked events, larger traffic first, ties by name. */
export function appTotals(rows: readonly DiscoveryRow[]): AppTotal[] {
    const byName = new Map<string, AppTotal>();
    rows.forEach((row, index) => {
        const name = row.app === null || row.app.trim() === "" ? "(Blank)" : row.app;
        const tag = tagClass(row.tags);
        const entry = byName.get(name) ?? {
            name, category: row.category ?? "(Blank)", score: row.score,
            state: tag === "other" ? "other tags" : tag, total: 0, usersMax: 0, blocked: 0, events: 0, firstRow: index, rows: 0,
        };
        entry.rows++;
        if (isValidAmount(row.total)) entry.total += row.total;
        entry.usersMax = Math.max(entry.usersMax, row.users);
        entry.blocked += row.blocked;
        entry.events += row.events;
        byName.set(name, entry);
    });
    return [...byName.values()].sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The aria-label of a top-apps row with every field bound but Time generated, in English: an unsanctioned app with
 * traffic ends in its status over the whole range (docs/visual.md, "Top apps: status").
 */
export function appLabel(app: AppTotal): string {
    const score = app.score === null ? "unscored" : `score ${app.score}`;
    const blocked = app.blocked === 1 ? "1 blocked event" : `${count(app.blocked)} blocked events`;
    const label = `${app.name} (${app.category}, ${score}, ${app.state}): ${bytes(app.total)}, ${usersPhrase(app.usersMax, false)}, ${blocked}`;
    if (app.state !== "unsanctioned" || app.total <= 0) return label;
    const share = app.events > 0 ? `, ${new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.min(1, app.blocked / app.events))} of its events blocked` : "";
    return `${label}, unsanctioned, carries traffic: ${bytes(app.total)}${share}`;
}

/** "12 users", "1 user", or "at least 12 users" for a lower bound. */
export function usersPhrase(users: number, exact: boolean): string {
    if (!exact) return `at least ${count(users)} users`;
    return users === 1 ? "1 user" : `${count(users)} users`;
}
