/*
 * Deterministic rows of grouped discovery data, as Power BI hands them to a visual: one row per distinct
 * (AppCategory, AppName, StreamName, AppScore, AppTags) with summed measures. Row i is the same in every run and
 * in every process (Node or the browser page), so both renderers and every segment see identical data.
 * Streams vary fastest, then apps, out of a catalogue of APP_COUNT apps (a large tenant's discovered apps): any
 * prefix covers every stream of a site, and past APP_COUNT × 48 rows another site's streams begin. No two rows
 * share a grouping key, and the distinct values (what the visual's model is keyed by) grow far slower than the
 * rows: 104,858 rows hold 2,185 apps and 48 streams; 1,048,576 rows hold 5,000 apps and 240 streams.
 * Each distinct name is one string object shared by every row that holds it, as in a DataView built from
 * dictionary-encoded query results; names built per row by concatenation would instead be unflattened strings that
 * every consumer pays to flatten and hash again on each row. The render benchmark also measures the rows after a
 * structured clone (the "marshalled" transport), where every row holds string objects of its own.
 */

import type { TypedDiscoveryRow } from "../../test/fixtures/roles";

/** One row, keyed by role (test/fixtures/roles.ts, shared with the tests). */
export type DiscoveryRow = TypedDiscoveryRow;

/** Defender for Cloud Apps catalogue categories. */
export const CATEGORIES: readonly string[] = [
    "Cloud storage", "Collaboration", "Webmail", "Content management", "CRM", "Development tools", "Hosting services",
    "IT services", "Marketing", "Media", "Online meeting", "Productivity", "Social network", "Business management",
    "Accounting and finance", "Human resource management", "Security", "Vendor management system", "Sales",
    "Customer support", "Transportation and logistics", "Health", "Education", "Operations management",
    "Supply chain and logistics", "Website monitoring", "Personal instant messaging", "Cloud computing platform",
    "Data analytics", "Forums", "Advertising", "Code-hosting", "Generative AI", "AI model provider", "MCP server",
];

/** The same text as one flat string (V8 keeps a concatenation as a rope until something reads it whole). */
export function flat(text: string): string {
    return JSON.parse(JSON.stringify(text)) as string;
}

const DEPARTMENTS = ["Finance", "Marketing", "Engineering", "Sales", "Legal", "Human Resources", "Operations", "Support"];
const SOURCES = ["Palo Alto PA-3220", "Zscaler ZIA", "Check Point R81", "Fortinet FortiGate", "Cisco ASA", "Squid proxy"];
const SITE_STREAMS: readonly string[] = DEPARTMENTS.flatMap(d => SOURCES.map(s => flat(`${d} Department (${s})`)));

const streamNames: string[] = [];

export function streamName(stream: number): string {
    let name = streamNames[stream];
    if (name === undefined) {
        const site = Math.floor(stream / SITE_STREAMS.length);
        const base = SITE_STREAMS[stream % SITE_STREAMS.length];
        name = site === 0 ? base : flat(`${base} site ${site + 1}`);
        streamNames[stream] = name;
    }
    return name;
}

export const APP_COUNT = 5000;

const NAME_HEADS = ["Box", "Drop", "Cloud", "Share", "Sync", "Note", "Task", "Chat", "Meet", "Mail", "Code", "Data",
    "File", "Sales", "Pay", "Doc", "Form", "Flow", "Desk", "Hub"];
const NAME_TAILS = ["ly", "io", "ify", "Point", "Base", "Stack", "Vault", "Zone", "Works", "Space", "Link", "Cast"];
const CUSTOM_TAGS = ["Approved by IT", "Under review", "Legacy"];

/** A 32-bit integer hash (xorshift-multiply): stable across engines, good enough to spread attributes. */
export function hash32(x: number): number {
    let h = (x ^ 0x9e3779b9) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return (h ^ (h >>> 16)) >>> 0;
}

export function unit(x: number): number {
    return hash32(x) / 4294967296;
}

/** Heavy-tailed counts (up to five decades above `min`): a few rows dominate traffic, as in real tenants. */
export function heavyTail(seed: number, min: number): number {
    return Math.floor(min * Math.pow(10, 5 * Math.pow(unit(seed), 3)));
}

export interface AppAttributes {
    readonly name: string;
    readonly category: string;
    readonly score: number;
    readonly tags: string;
    readonly blockedRate: number;
}

const appCatalogue: AppAttributes[] = [];

export function appAttributes(app: number): AppAttributes {
    let attributes = appCatalogue[app];
    if (attributes === undefined) {
        attributes = describeApp(app);
        appCatalogue[app] = attributes;
    }
    return attributes;
}

function describeApp(app: number): AppAttributes {
    const h = hash32(app * 7 + 1);
    const combos = NAME_HEADS.length * NAME_TAILS.length;
    const head = NAME_HEADS[app % NAME_HEADS.length];
    const tail = NAME_TAILS[Math.floor(app / NAME_HEADS.length) % NAME_TAILS.length];
    const generation = Math.floor(app / combos);
    const name = flat(generation === 0 ? `${head}${tail}` : `${head}${tail} ${generation + 1}`);
    const category = CATEGORIES[(h >>> 12) % CATEGORIES.length];
    // Scores lean towards the middle and the safe end, as in the catalogue.
    const score = Math.min(10, Math.floor(11 * Math.sqrt(unit(app * 7 + 2))));
    const t = unit(app * 7 + 3);
    const tags = t < 0.15 ? "[\"sanctioned\"]"
        : t < 0.3 ? "[\"unsanctioned\"]"
        : t < 0.38 ? JSON.stringify([CUSTOM_TAGS[(h >>> 20) % CUSTOM_TAGS.length]])
        : t < 0.4 ? JSON.stringify(["sanctioned", CUSTOM_TAGS[(h >>> 20) % CUSTOM_TAGS.length]])
        : "[]";
    const blockedRate = tags.includes("\"unsanctioned\"") ? 0.6 : 0.02;
    return { name, category, score, tags, blockedRate };
}

/** Which app and stream row i is about. */
export function rowKey(i: number): { app: number; stream: number } {
    const perSite = SITE_STREAMS.length * APP_COUNT;
    const site = Math.floor(i / perSite);
    const within = i % perSite;
    return { app: Math.floor(within / SITE_STREAMS.length), stream: site * SITE_STREAMS.length + within % SITE_STREAMS.length };
}

export function discoveryRow(i: number): DiscoveryRow {
    const { app, stream } = rowKey(i);
    const a = appAttributes(app);
    const uploaded = heavyTail(i * 5 + 11, 500);
    const downloaded = heavyTail(i * 5 + 12, 2_000);
    const events = 1 + Math.floor(heavyTail(i * 5 + 13, 1) / 10);
    const blocked = Math.floor(events * a.blockedRate * unit(i * 5 + 14));
    return {
        AppCategory: a.category,
        AppName: a.name,
        StreamName: streamName(stream),
        AppScore: a.score,
        AppTags: a.tags,
        UploadedBytes: uploaded,
        DownloadedBytes: downloaded,
        TotalBytes: uploaded + downloaded,
        TotalEvents: events,
        BlockedEvents: blocked,
        Users: 1 + Math.floor(40 * Math.pow(unit(i * 5 + 15), 4)),
        IpAddresses: 1 + Math.floor(25 * Math.pow(unit(i * 5 + 16), 4)),
    };
}

export function discoveryRows(start: number, count: number): DiscoveryRow[] {
    const rows = new Array<DiscoveryRow>(count);
    for (let k = 0; k < count; k++) rows[k] = discoveryRow(start + k);
    return rows;
}
