// End to end: `npm start -- --data FILE.csv` on a portal export whose apps change score, category and tags across
// rows, with negative bytes and events and hostile names. Every panel of the packaged visual, hosted by the preview in
// Chromium, must agree with the others and with an independent computation done here: DuckDB reads the same CSV and
// groups it as Power BI builds the categorical DataView (one row per combination of the bound groupings, measures
// summed, users and addresses counted distinct), and the rules of docs/visual.md "Data notes" are applied below to
// those rows, without the visual's model code.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Browser, Page } from "playwright-core";
import { launchChromium, markLabels, recordPageErrors, scrolledMarkLabels } from "./preview-page.ts";
import { formatBytes } from "../../src/schema.ts";
import { startPreview, RunningPreview } from "../../src/preview/start.ts";
import { sqlString } from "../../src/preview/parquet.ts";
import { seededRandom } from "../../src/random.ts";

const ROOT = resolve(__dirname, "..", "..");

// The portal's "Export to CSV (all columns)" header for McasShadowItReporting.
const HEADER = ["TenantId", "SourceSystem", "TimeGenerated [UTC]", "StreamName", "TotalEvents", "BlockedEvents", "UploadedBytes",
    "TotalBytes", "DownloadedBytes", "IpAddress", "UserName", "EnrichedUserName", "AppName", "AppId", "AppCategory", "AppTags",
    "AppScore", "Type"];
const TENANT = "6b3a1c8e-2f4d-4e5a-9b7c-0d1e2f3a4b5c";

/** A right-to-left override: "\u202Egnp.exe" reads "exe.png" when drawn raw. */
const RLO_APP = "\u202Egnp.exe";
const QUOTED_APP = "Zoë \"Quotes\", Inc.";
const MARKUP_APP = "<b>Bold</b> App";
const RLO_STREAM = "Sales\u202E proxy";

interface Attributes { readonly category: string; readonly score: number | null; readonly tags: readonly string[] }
interface AppSpec {
    readonly name: string;
    readonly id: number;
    readonly before: Attributes;
    /** The attributes from this row on (Defender revised the app), if they change. */
    readonly after?: Attributes & { readonly fromRow: number };
}

const APPS: readonly AppSpec[] = [
    { name: "Dropbox", id: 11627, before: { category: "Cloud storage", score: 6, tags: ["unsanctioned"] },
        after: { category: "Cloud storage", score: 3, tags: ["unsanctioned"], fromRow: 120 } },
    { name: "Box", id: 11628, before: { category: "Cloud storage", score: 9, tags: ["sanctioned"] } },
    { name: "Slack", id: 11630, before: { category: "Collaboration", score: 9, tags: ["sanctioned"] },
        after: { category: "Communications", score: 9, tags: ["sanctioned"], fromRow: 200 } },
    { name: RLO_APP, id: 29001, before: { category: "File sharing", score: 2, tags: [] } },
    { name: "WeTransfer", id: 11640, before: { category: "File sharing", score: 3, tags: ["unsanctioned"] },
        after: { category: "File sharing", score: 3, tags: [], fromRow: 60 } },
    { name: "ChatGPT", id: 31770, before: { category: "Generative AI", score: 5, tags: [] },
        after: { category: "Generative AI", score: 8, tags: ["sanctioned", "Finance"], fromRow: 150 } },
    { name: QUOTED_APP, id: 20011, before: { category: "CRM", score: 8, tags: ["sanctioned"] } },
    { name: "GitHub", id: 11599, before: { category: "Code-hosting", score: 8, tags: [] } },
    { name: "Mega", id: 11650, before: { category: "Cloud storage", score: 1, tags: ["unsanctioned"] } },
    { name: "Trello", id: 11660, before: { category: "Productivity", score: 7, tags: [] } },
    { name: "Canva", id: 11670, before: { category: "Content management", score: 6, tags: [] } },
    { name: MARKUP_APP, id: 29002, before: { category: "Hosting services", score: 4, tags: [] } },
    { name: "Zoom", id: 11680, before: { category: "Video conferencing", score: 10, tags: ["sanctioned"] } },
    { name: "Unscored app", id: 29003, before: { category: "Social network", score: null, tags: [] } },
    { name: "TikTok", id: 11690, before: { category: "Social network", score: 3, tags: ["unsanctioned"] },
        after: { category: "Social network", score: 0, tags: ["unsanctioned"], fromRow: 250 } },
];
const STREAMS = ["Engineering", "Marketing Department", "Zscaler (proxy)", RLO_STREAM];

interface Row {
    stream: string; app: AppSpec; attributes: Attributes; user: string; ip: string;
    up: number; down: number; total: number; events: number; blocked: number;
}

function sampleRows(): Row[] {
    // Seeded, so the file is the same on every run.
    const next = seededRandom(17);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const rows: Row[] = [];
    for (let i = 0; i < 320; i++) {
        const app = APPS[i % APPS.length];
        const attributes = app.after && i >= app.after.fromRow ? app.after : app.before;
        // GitHub and Canva are never seen on the Marketing stream here: the rows with negative events below are then
        // alone in their DataView rows, whose sums are negative.
        const streams = app.name === "GitHub" || app.name === "Canva" ? STREAMS.filter(s => s !== "Marketing Department") : STREAMS;
        const up = Math.floor(next() * 4e8) + 1000;
        const down = Math.floor(next() * 9e8) + 1000;
        const events = Math.floor(next() * 900) + 1;
        const user = `user${Math.floor(next() * 23)}@contoso.example`;
        rows.push({
            stream: pick(streams), app, attributes, user, ip: `10.20.${Math.floor(next() * 4)}.${Math.floor(next() * 30) + 1}`,
            up, down, total: up + down, events, blocked: Math.floor(next() * events / 8),
        });
    }
    const app = (name: string) => APPS.find(a => a.name === name) as AppSpec;
    const at = (name: string): Attributes => {
        const spec = app(name);
        return spec.after ?? spec.before;
    };
    const base = { user: "mallory@contoso.example", ip: "10.99.0.1" };
    rows.push(
        // +5 GB and -4 GB in a DataView row that has other rows too: Power BI sums them before the visual sees them.
        { ...base, stream: "Engineering", app: app("Box"), attributes: at("Box"), up: 2e9, down: 3e9, total: 5e9, events: 10, blocked: 0 },
        { ...base, stream: "Engineering", app: app("Box"), attributes: at("Box"), up: -1e9, down: -3e9, total: -4e9, events: 10, blocked: 0 },
        // Negative bytes alone on a stream of their own: the DataView row's sums are negative, so they are left out.
        { ...base, stream: "Legacy firewall", app: app("Trello"), attributes: at("Trello"), up: -1e9, down: -3e9, total: -4e9, events: 40, blocked: 2 },
        // A TotalEvents of -5 with valid blocked events: the events are left out, the blocked events kept.
        { ...base, stream: "Marketing Department", app: app("GitHub"), attributes: at("GitHub"), up: 5e6, down: 7e6, total: 12e6, events: -5, blocked: 3 },
        // Both event counts negative in one row.
        { ...base, stream: "Marketing Department", app: app("Canva"), attributes: at("Canva"), up: 1e6, down: 2e6, total: 3e6, events: -5, blocked: -5 },
    );
    return rows;
}

function csvField(value: string): string {
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, "\"\"")}"` : value;
}

function writeCsv(file: string, rows: readonly Row[]): void {
    const lines = [HEADER.map(csvField).join(",")];
    rows.forEach((row, i) => {
        // The portal writes times in the browser's format; the preview does not read them.
        const time = `3/${1 + (i % 28)}/2026, ${1 + (i % 12)}:00:00.000 ${i % 2 === 0 ? "AM" : "PM"}`;
        const fields = [TENANT, "Azure", time, row.stream, String(row.events), String(row.blocked), String(row.up), String(row.total),
            String(row.down), row.ip, row.user, row.user.split("@")[0], row.app.name, String(row.app.id), row.attributes.category,
            JSON.stringify(row.attributes.tags), row.attributes.score === null ? "" : String(row.attributes.score), "McasShadowItReporting"];
        lines.push(fields.map(csvField).join(","));
    });
    writeFileSync(file, "\ufeff" + lines.join("\r\n") + "\r\n", "utf8");
}

/** One row of the categorical DataView: the five groupings and the measures Power BI aggregates per combination. */
interface DataViewRow {
    category: string; app: string; stream: string; score: number | null; tags: string;
    up: number | null; down: number | null; total: number | null; events: number | null; blocked: number | null;
    users: number; ips: number;
}

async function dataViewRows(file: string): Promise<{ rows: DataViewRow[]; users: number; ips: number }> {
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    try {
        const types = Object.fromEntries(HEADER.map(name => [name, "VARCHAR"]));
        await db.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"', escape = '"',
            columns = ${JSON.stringify(types).replace(/"/g, "'")}, all_varchar = true)`);
        const read = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();
        const grouped = await read(`SELECT coalesce(AppCategory, '') AS category, coalesce(AppName, '') AS app,
                coalesce(StreamName, '') AS stream, TRY_CAST(AppScore AS INTEGER) AS score, coalesce(AppTags, '') AS tags,
                sum(CAST(UploadedBytes AS BIGINT))::DOUBLE AS up, sum(CAST(DownloadedBytes AS BIGINT))::DOUBLE AS down,
                sum(CAST(TotalBytes AS BIGINT))::DOUBLE AS total, sum(CAST(TotalEvents AS BIGINT))::DOUBLE AS events,
                sum(CAST(BlockedEvents AS BIGINT))::DOUBLE AS blocked,
                count(DISTINCT UserName)::DOUBLE AS users, count(DISTINCT IpAddress)::DOUBLE AS ips
            FROM t GROUP BY ALL`);
        const [distinct] = await read("SELECT count(DISTINCT UserName)::DOUBLE AS users, count(DISTINCT IpAddress)::DOUBLE AS ips FROM t");
        const number = (value: unknown) => (value === null ? null : Number(value));
        return {
            rows: grouped.map(r => ({
                category: String(r.category), app: String(r.app), stream: String(r.stream), score: number(r.score), tags: String(r.tags),
                up: number(r.up), down: number(r.down), total: number(r.total), events: number(r.events), blocked: number(r.blocked),
                users: Number(r.users), ips: Number(r.ips),
            })),
            users: Number(distinct.users),
            ips: Number(distinct.ips),
        };
    } finally {
        db.closeSync();
        instance.closeSync();
    }
}

// ---- The documented rules, applied independently ----

type Measure = "up" | "down" | "total" | "events" | "blocked";
const FIELD_NAMES: Record<Measure, string> = {
    up: "Uploaded bytes", down: "Downloaded bytes", total: "Total bytes", events: "Total events", blocked: "Blocked events",
};
type TagClass = "unsanctioned" | "sanctioned" | "other";
const TAG_RANK: Record<TagClass, number> = { unsanctioned: 0, sanctioned: 1, other: 2 };
type Band = "high" | "medium" | "low" | "unscored";
const BAND_NAMES: Record<Band, string> = { high: "High risk (0-3)", medium: "Medium risk (4-7)", low: "Low risk (8-10)", unscored: "Unscored" };

/** Names as drawn: invisible and reordering characters as "<U+XXXX>" escapes (the ones this file holds). */
function drawn(name: string): string {
    return name.replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ch => `<U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}>`);
}

function tagClass(tags: string): TagClass {
    const list = tags.trim() === "" ? [] : (JSON.parse(tags) as string[]).map(t => t.trim().toLowerCase());
    return list.includes("unsanctioned") ? "unsanctioned" : list.includes("sanctioned") ? "sanctioned" : "other";
}

function band(score: number | null): Band {
    if (score === null || score < 0 || score > 10) return "unscored";
    return score <= 3 ? "high" : score <= 7 ? "medium" : "low";
}

/** A measure's value of a DataView row when the rules keep it: null when blank or negative. */
function kept(row: DataViewRow, measure: Measure): number | null {
    const value = row[measure];
    return value === null || value < 0 ? null : value;
}

interface AppFigures {
    name: string; bytes: number; blocked: number; events: number; usersMax: number;
    variants: Map<string, { category: string; score: number | null; tagClass: TagClass; bytes: number }>;
}

interface Independent {
    apps: number;
    users: number;
    ips: number;
    sums: Record<Measure, number>;
    negatives: Record<Measure, number>;
    changedApps: number;
    categories: { name: string; total: number; byTag: Record<TagClass, number> }[];
    bands: { band: Band; apps: number; bytes: number; usersMax: number }[];
    streams: { name: string; up: number; down: number }[];
    topApps: { name: string; category: string; score: number | null; tagClass: TagClass; bytes: number; usersMax: number; blocked: number; events: number }[];
}

function applyRules(rows: readonly DataViewRow[], users: number, ips: number): Independent {
    const measures: Measure[] = ["up", "down", "total", "events", "blocked"];
    const sums = { up: 0, down: 0, total: 0, events: 0, blocked: 0 };
    const negatives = { up: 0, down: 0, total: 0, events: 0, blocked: 0 };
    const apps = new Map<string, AppFigures>();
    const streams = new Map<string, { name: string; up: number; down: number }>();
    for (const row of rows) {
        for (const m of measures) {
            const value = row[m];
            if (value === null) continue;
            if (value < 0) negatives[m]++;
            else sums[m] += value;
        }
        const bytes = kept(row, "total") ?? 0;
        const app = apps.get(row.app) ?? { name: row.app, bytes: 0, blocked: 0, events: 0, usersMax: 0, variants: new Map() };
        apps.set(row.app, app);
        app.bytes += bytes;
        app.blocked += kept(row, "blocked") ?? 0;
        app.events += kept(row, "events") ?? 0;
        app.usersMax = Math.max(app.usersMax, row.users);
        const variant = { category: row.category, score: row.score, tagClass: tagClass(row.tags) };
        const key = JSON.stringify(variant);
        const entry = app.variants.get(key) ?? { ...variant, bytes: 0 };
        app.variants.set(key, entry);
        entry.bytes += bytes;
        const stream = streams.get(row.stream) ?? { name: row.stream, up: 0, down: 0 };
        streams.set(row.stream, stream);
        stream.up += kept(row, "up") ?? 0;
        stream.down += kept(row, "down") ?? 0;
    }
    // One set of attributes per app: most traffic; ties by the riskier score (unscored last), category text, tags.
    const shown = (app: AppFigures) => [...app.variants.values()].sort((a, b) => b.bytes - a.bytes
        || (a.score ?? 11) - (b.score ?? 11) || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0)
        || TAG_RANK[a.tagClass] - TAG_RANK[b.tagClass])[0];
    const categories = new Map<string, { name: string; total: number; byTag: Record<TagClass, number> }>();
    const bands = new Map<Band, { band: Band; apps: number; bytes: number; usersMax: number }>(
        (["high", "medium", "low", "unscored"] as Band[]).map(b => [b, { band: b, apps: 0, bytes: 0, usersMax: 0 }]));
    for (const app of apps.values()) {
        const variant = shown(app);
        const category = categories.get(variant.category) ?? { name: variant.category, total: 0, byTag: { sanctioned: 0, unsanctioned: 0, other: 0 } };
        categories.set(variant.category, category);
        category.total += app.bytes;
        category.byTag[variant.tagClass] += app.bytes;
        const b = bands.get(band(variant.score))!;
        b.apps++;
        b.bytes += app.bytes;
        b.usersMax = Math.max(b.usersMax, app.usersMax);
    }
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
        apps: apps.size, users, ips, sums, negatives,
        changedApps: [...apps.values()].filter(a => a.variants.size > 1).length,
        categories: [...categories.values()].sort((a, b) => b.total - a.total || byText(drawn(a.name), drawn(b.name))),
        bands: [...bands.values()].filter(b => b.band !== "unscored" || b.apps > 0),
        streams: [...streams.values()],
        topApps: [...apps.values()].sort((a, b) => b.bytes - a.bytes || byText(drawn(a.name), drawn(b.name))).slice(0, 10).map(app => {
            const variant = shown(app);
            return { name: app.name, category: variant.category, score: variant.score, tagClass: variant.tagClass, bytes: app.bytes, usersMax: app.usersMax, blocked: app.blocked, events: app.events };
        }),
    };
}

// ---- The labels the visual must draw for those figures ----

const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const TAG_NAMES: Record<TagClass, string> = { sanctioned: "Sanctioned", unsanctioned: "Unsanctioned", other: "Other tags" };
const TAG_STATES: Record<TagClass, string> = { sanctioned: "sanctioned", unsanctioned: "unsanctioned", other: "other tags" };

function expectedLabels(x: Independent) {
    const kpis = [
        `Discovered apps: ${counts.format(x.apps)}`,
        `Users: ${counts.format(x.users)}`,
        `IP addresses: ${counts.format(x.ips)}`,
        `Traffic: ${formatBytes(x.sums.total)}, uploaded ${formatBytes(x.sums.up)}, downloaded ${formatBytes(x.sums.down)}`,
        `Blocked events: ${counts.format(x.sums.blocked)}, ${percent.format(x.sums.blocked / x.sums.events)} of ${counts.format(x.sums.events)} events`,
    ];
    const top = x.categories.slice(0, 10);
    const rest = x.categories.slice(10);
    const bars = rest.length === 0 ? top : [...top, rest.reduce((sum, c) => ({
        name: "Other", total: sum.total + c.total,
        byTag: { sanctioned: sum.byTag.sanctioned + c.byTag.sanctioned, unsanctioned: sum.byTag.unsanctioned + c.byTag.unsanctioned, other: sum.byTag.other + c.byTag.other },
    }), { name: "Other", total: 0, byTag: { sanctioned: 0, unsanctioned: 0, other: 0 } })];
    const categoryBars = bars.map(b => {
        const split = (["sanctioned", "unsanctioned", "other"] as TagClass[]).filter(t => b.byTag[t] > 0).map(t => `${TAG_NAMES[t]}: ${formatBytes(b.byTag[t])}`);
        return `${drawn(b.name)}: ${formatBytes(b.total)}${split.length > 0 ? ` (${split.join(", ")})` : ""}`;
    });
    const riskBands = x.bands.map(b => `${BAND_NAMES[b.band]}: ${b.apps === 1 ? "1 app" : `${counts.format(b.apps)} apps`}, ` +
        `${formatBytes(b.bytes)}, at least ${counts.format(b.usersMax)} users`);
    const streams = x.streams.map(s => `${drawn(s.name)}: uploaded ${formatBytes(s.up)}, downloaded ${formatBytes(s.down)}`);
    const topApps = x.topApps.map(a => {
        const score = a.score === null ? "unscored" : `score ${counts.format(a.score)}`;
        const blocked = a.blocked === 1 ? "1 blocked event" : `${counts.format(a.blocked)} blocked events`;
        // An app shown as unsanctioned that carries traffic says so, its blocked share over the range (no Time generated).
        const share = a.events > 0 ? `, ${percent.format(Math.min(1, a.blocked / a.events))} of its events blocked` : "";
        const status = a.tagClass === "unsanctioned" && a.bytes > 0 ? `, unsanctioned, carries traffic: ${formatBytes(a.bytes)}${share}` : "";
        return `${drawn(a.name)} (${drawn(a.category)}, ${score}, ${TAG_STATES[a.tagClass]}): ${formatBytes(a.bytes)}, ` +
            `at least ${counts.format(a.usersMax)} users, ${blocked}${status}`;
    });
    return { kpis, categoryBars, riskBands, streams, topApps };
}

/** The byte figure of a label ("…: 4.07 GB…"), read back in bytes, and the rounding its three digits allow. */
function bytesOf(text: string): { value: number; slack: number } {
    const match = /(\d+(?:\.\d+)?) (B|kB|MB|GB|TB|PB)/.exec(text);
    assert.ok(match, `a byte figure in ${text}`);
    const scale = 1000 ** ["B", "kB", "MB", "GB", "TB", "PB"].indexOf(match[2]);
    const decimals = match[1].split(".")[1]?.length ?? 0;
    return { value: Number(match[1]) * scale, slack: 0.5 * 10 ** -decimals * scale };
}

describe("npm start --data on a CSV with negative values, changing app attributes and hostile names", { timeout: 10 * 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "shadowit-csv-rules-"));
    const file = join(dir, "McasShadowItReporting export.csv");
    const rows = sampleRows();
    let preview: RunningPreview;
    let browser: Browser;
    let page: Page;
    let independent: Independent;
    let expected: ReturnType<typeof expectedLabels>;
    const logged: string[] = [];
    const pageErrors: string[] = [];

    before(async () => {
        writeCsv(file, rows);
        const grouped = await dataViewRows(file);
        independent = applyRules(grouped.rows, grouped.users, grouped.ips);
        expected = expectedLabels(independent);
        preview = await startPreview({ root: ROOT, port: 0, dataFile: file, log: line => logged.push(line) });
        browser = await launchChromium();
        page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        recordPageErrors(page, pageErrors);
        await page.goto(preview.url);
        await page.waitForFunction(() => {
            const data = document.documentElement.dataset;
            return data.renderState === "finished" && data.moreSegments === "false";
        }, null, { timeout: 120_000 });
        // This test is about negative values, changing apps and hostile names: the per-app, per-category and
        // per-stream user measures (exact distinct counts, tested on the sample tenant) are unbound, so apps show the
        // lower bound their rows give and categories and streams no users.
        for (const role of ["UsersPerApp", "UsersPerCategory", "UsersPerStream"]) await page.uncheck(`#wells input[data-role='${role}']`);
        await page.waitForFunction(() => document.documentElement.dataset.renderState === "finished" &&
            ![...document.querySelectorAll("[data-panel='category-traffic'] [aria-label]")].some(e => / users?$/.test(e.getAttribute("aria-label") ?? "")),
        null, { timeout: 120_000 });
    }, { timeout: 10 * 60_000 });

    after(async () => {
        await browser?.close();
        await preview?.close();
        rmSync(dir, { recursive: true, force: true });
    });

    it("reads every row of the file, and the data really holds what this test is about", () => {
        assert.equal(preview.dataset.rowCount, rows.length);
        assert.ok(logged.some(line => line.includes(`read ${rows.length} rows`)), logged.join("\n"));
        // Negative DataView rows for every byte and event measure, and apps that changed attributes.
        for (const measure of ["up", "down", "total", "events", "blocked"] as const) {
            assert.ok(independent.negatives[measure] > 0, `a negative ${measure} reaches the visual`);
        }
        assert.equal(independent.changedApps, 5, "Dropbox, Slack, WeTransfer, ChatGPT and TikTok changed");
        assert.ok(independent.categories.length > 10, "more categories than the top 10, so an Other bar");
        assert.ok(independent.bands.some(b => b.band === "unscored"), "an unscored app");
        // Without the rule, an app would be counted in each band it visited.
        const perBandVisits = new Set(rows.map(r => `${r.app.name}|${band(r.attributes.score)}`)).size;
        assert.ok(perBandVisits > independent.apps, "some app visits two bands");
    });

    it("draws every panel with the independently computed figures", async () => {
        assert.deepEqual(await markLabels(page, "kpis"), expected.kpis);
        assert.deepEqual(await scrolledMarkLabels(page, "category-traffic"), expected.categoryBars);
        assert.deepEqual(await markLabels(page, "risk-bands"), expected.riskBands);
        assert.deepEqual((await scrolledMarkLabels(page, "stream-bytes")).sort(), [...expected.streams].sort());
        assert.deepEqual(await markLabels(page, "top-apps"), expected.topApps);
        assert.deepEqual(pageErrors, []);
    });

    it("panels agree with each other: one band and one category per app, and the same traffic everywhere", async () => {
        const kpis = await markLabels(page, "kpis");
        const apps = Number(/^Discovered apps: ([\d,]+)$/.exec(kpis[0])?.[1].replace(/,/g, ""));
        const bands = await markLabels(page, "risk-bands");
        const bandApps = bands.map(label => Number(/: (\d+) apps?,/.exec(label)?.[1]));
        assert.equal(bandApps.reduce((a, b) => a + b, 0), apps, `bands ${bands.join(" | ")} hold the discovered apps`);

        // Traffic: the key figure equals the bands' sum and the categories' sum, within the rounding of the labels.
        const traffic = bytesOf(kpis[3]);
        for (const [panel, labels] of [["risk-bands", bands], ["category-traffic", await scrolledMarkLabels(page, "category-traffic")]] as const) {
            const parts = labels.map(bytesOf);
            const sum = parts.reduce((a, b) => a + b.value, 0);
            const slack = parts.reduce((a, b) => a + b.slack, traffic.slack);
            assert.ok(Math.abs(sum - traffic.value) <= slack, `${panel} add up to the traffic: ${sum} vs ${traffic.value}`);
        }
        // Uploaded and downloaded: the streams add up to the key figure's parts.
        const [, up, down] = /uploaded ([^,]+), downloaded (.+)$/.exec(kpis[3]) ?? [];
        const streams = await scrolledMarkLabels(page, "stream-bytes");
        for (const [part, total] of [["uploaded", up], ["downloaded", down]] as const) {
            const parts = streams.map(label => bytesOf(new RegExp(`${part} ([\\d.]+ \\w+)`).exec(label)?.[1] ?? ""));
            const expectedTotal = bytesOf(total);
            const sum = parts.reduce((a, b) => a + b.value, 0);
            assert.ok(Math.abs(sum - expectedTotal.value) <= parts.reduce((a, b) => a + b.slack, expectedTotal.slack), `streams ${part}`);
        }

        // The top apps table shows each app with the score, category and tags that put it in its band and category.
        for (const label of await markLabels(page, "top-apps")) {
            const app = independent.topApps.find(a => label.startsWith(`${drawn(a.name)} (`));
            assert.ok(app, label);
            assert.ok(independent.categories.some(c => c.name === app.category), `${app.name}'s category has a bar or is in Other`);
        }
    });

    it("escapes the right-to-left override wherever the name is drawn", async () => {
        const text = await page.locator("#visual").innerText();
        assert.ok(!text.includes("\u202E"), "no raw override on the canvas");
        const labels = [...await markLabels(page, "top-apps"), ...await scrolledMarkLabels(page, "stream-bytes")];
        assert.ok(labels.some(label => label.startsWith("<U+202E>gnp.exe (")), labels.join("\n"));
        assert.ok(labels.some(label => label.startsWith("Sales<U+202E> proxy: ")), labels.join("\n"));
        assert.ok(labels.some(label => label.startsWith(`${QUOTED_APP} (`)) && labels.some(label => label.startsWith(`${MARKUP_APP} (`)));

        // The host tooltip and the selection log of the app's row.
        const row = page.locator(`[data-panel="top-apps"] [aria-label^="<U+202E>gnp.exe ("]`).first();
        await row.hover();
        await page.locator("#tooltip").waitFor({ state: "visible" });
        const tooltip = await page.locator("#tooltip").innerText();
        assert.ok(tooltip.includes("<U+202E>gnp.exe") && !tooltip.includes("\u202E"), tooltip);
        await row.click();
        await page.waitForFunction(() => document.documentElement.dataset.selectionCount !== "0");
        const selected = await page.locator("#selection-log li.selected-item").allTextContents();
        assert.deepEqual(selected, ["App name in (<U+202E>gnp.exe)"]);
    });

    it("says in the data note what it left out and which apps changed attributes", async () => {
        const note = await page.locator(".shadowit-note").innerText();
        const negatives = independent.negatives;
        const total = Object.values(negatives).reduce((a, b) => a + b, 0);
        const detail = (["up", "down", "total", "events", "blocked"] as Measure[])
            .filter(m => negatives[m] > 0).map(m => `${FIELD_NAMES[m]}: ${negatives[m]}`).join(", ");
        assert.ok(note.includes(`${total} negative values left out, not netted (${detail})`), note);
        assert.ok(note.includes(`${independent.changedApps} apps changed score, category or tags: each is shown with those of most of its traffic`), note);
    });
});
