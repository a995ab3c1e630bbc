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

export function count(value: number): string {
    return new Intl.NumberFormat("en-US").format(value);
}
