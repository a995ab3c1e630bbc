// End to end: the panels about people, time and AI on the preview of the sample tenant. The sample goes through the
// Log Analytics emulator into Parquet; with Time generated and User name bound, the timeline, top-users, freshness
// and AI apps panels, the AI apps key figure and the top apps' still-used status are checked against aggregates
// computed here, independently, with DuckDB over the exported files, and a click on a mark of each is checked
// against the filter the host received and the rows it leaves the report.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Browser, Page } from "playwright-core";
import { launchChromium, markLabels as labelsOf, recordPageErrors, scrolledMarkLabels as scrolledLabelsOf } from "./preview-page.ts";

/** The panels' marks only: their other labelled parts are not rows. */
const MARKS = ".shadowit-mark[aria-label]";
const markLabels = (page: Page, panel: string) => labelsOf(page, panel, MARKS);
const scrolledMarkLabels = (page: Page, panel: string) => scrolledLabelsOf(page, panel, MARKS);
import { formatBytes } from "../../src/schema.ts";
import { startPreview, RunningPreview } from "../../src/preview/start.ts";
import { sqlString } from "../../src/preview/parquet.ts";

const ROOT = resolve(__dirname, "..", "..");
const SCREENSHOT = join(ROOT, ".tmp", "preview-panels.png");
const SAMPLE_ROWS = 20_000;
// A fixed end: the rows, and so every figure checked here, depend on the days and hours the data covers.
const SAMPLE_END = new Date("2026-03-02T10:00:00Z");
const GLOBAL_VIEW = "Global view";
const WINDOW = 2_000;
const DAY_MS = 86_400_000;
const AI_CATEGORIES = ["generative ai", "ai model provider", "mcp server"];

const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const days = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const usersPhrase = (users: number): string => (users === 1 ? "1 user" : `${counts.format(users)} users`);
const dayText = (day: number): string => days.format(new Date(day * DAY_MS));
const n = (value: unknown): number => Number(value);

interface Expected {
    timeline: string[];
    firstDay: { label: string; rows: number };
    topUsers: string[];
    topUserRows: number;
    freshness: string[];
    stalest: { name: string; rows: number };
    aiApps: string[];
    aiSummary: string;
    aiTile: string;
    firstAiApp: { name: string; rows: number };
    topApps: string[];
    stillUsedCaption: string;
    stillUsedApp: { name: string; rows: number; label: string };
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Per UTC day, the per-source streams' traffic and the day's distinct named users (User name bound: exact). */
async function timelineOf(rows: Query): Promise<Pick<Expected, "timeline" | "firstDay">> {
    const byDay = await rows(`SELECT floor(epoch_ms(TimeGenerated) / ${DAY_MS}) AS day, sum(UploadedBytes)::DOUBLE AS up,
        sum(DownloadedBytes)::DOUBLE AS down, count(DISTINCT nullif(UserName, ''))::DOUBLE AS users FROM t GROUP BY day ORDER BY day`);
    const timeline = byDay.map(d => `${dayText(n(d.day))}: ${formatBytes(n(d.up) + n(d.down))} (Uploaded: ${formatBytes(n(d.up))}, ` +
        `Downloaded: ${formatBytes(n(d.down))}), ${usersPhrase(n(d.users))}`);
    const [first] = await rows(`SELECT count(*)::DOUBLE AS n FROM everything WHERE floor(epoch_ms(TimeGenerated) / ${DAY_MS}) = ${n(byDay[0].day)}`);
    return { timeline, firstDay: { label: timeline[0], rows: n(first.n) } };
}

/** The ten users with the most upload, their traffic to high-risk and unsanctioned apps, blocked events and flag. */
async function topUsersOf(rows: Query): Promise<Pick<Expected, "topUsers" | "topUserRows">> {
    // An app is high-risk or unsanctioned by the score and tags of its latest day (the sample changes MEGA's tags).
    const users = await rows(`WITH r AS (SELECT *, coalesce(nullif(UserName, ''), '(Blank)') AS name FROM v),
        d AS (SELECT r.name, r.day, sum(CASE WHEN a.high OR a.unsanctioned THEN UploadedBytes ELSE 0 END) AS up
            FROM r JOIN apps a USING (AppName) GROUP BY r.name, r.day)
        SELECT r.name, sum(UploadedBytes)::DOUBLE AS up, sum(DownloadedBytes)::DOUBLE AS down,
            sum(CASE WHEN a.high THEN TotalBytes ELSE 0 END)::DOUBLE AS high,
            sum(CASE WHEN a.unsanctioned THEN TotalBytes ELSE 0 END)::DOUBLE AS unsanctioned, sum(BlockedEvents)::DOUBLE AS blocked,
            (SELECT count(*) FROM d WHERE d.name = r.name AND d.up > 500000000)::DOUBLE AS flagged
        FROM r JOIN apps a USING (AppName) GROUP BY r.name ORDER BY up DESC, r.name LIMIT 10`);
    const topUsers = users.map(u => {
        const blocked = n(u.blocked) === 1 ? "1 blocked event" : `${counts.format(n(u.blocked))} blocked events`;
        const flagged = n(u.flagged);
        const flag = flagged === 0 ? "" : `, uploaded over 500 MB a day to risky or unsanctioned apps on ${flagged === 1 ? "1 day" : `${counts.format(flagged)} days`}`;
        return `${u.name}: uploaded ${formatBytes(n(u.up))}, downloaded ${formatBytes(n(u.down))}, ${formatBytes(n(u.high))} with high-risk apps, ` +
            `${formatBytes(n(u.unsanctioned))} with unsanctioned apps, ${blocked}${flag}`;
    });
    const [first] = await rows(`SELECT count(*)::DOUBLE AS n FROM everything WHERE UserName = ${sqlString(String(users[0].name))}`);
    return { topUsers, topUserRows: n(first.n) };
}

/** Per stream, its last UTC day and the days from it to the latest day of any stream; stale from 2 days. */
async function freshnessOf(rows: Query): Promise<Pick<Expected, "freshness" | "stalest">> {
    const last = await rows(`SELECT coalesce(nullif(StreamName, ''), '(Blank)') AS name, max(floor(epoch_ms(TimeGenerated) / ${DAY_MS})) AS day,
        count(*)::DOUBLE AS n FROM everything GROUP BY 1`);
    const latest = Math.max(...last.map(s => n(s.day)));
    const freshness = last.map(s => {
        const since = latest - n(s.day);
        const date = dayText(n(s.day));
        const age = since === 0 ? `data up to ${date}` : since === 1 ? `last data 1 day ago (${date})` : `last data ${counts.format(since)} days ago (${date})`;
        return `${s.name}: ${age}${since >= 2 ? ", stale" : ""}`;
    });
    const stalest = [...last].sort((a, b) => n(a.day) - n(b.day) || (String(a.name) < String(b.name) ? -1 : 1))[0];
    return { freshness, stalest: { name: String(stalest.name), rows: n(stalest.n) } };
}

/** The apps of the AI categories, their traffic, upload, exact users (Users per app: every exported row) and first day. */
async function aiAppsOf(rows: Query): Promise<Pick<Expected, "aiApps" | "aiSummary" | "aiTile" | "firstAiApp">> {
    const ai = `lower(trim(a.category)) IN (${AI_CATEGORIES.map(sqlString).join(", ")})`;
    const apps = await rows(`SELECT v.AppName AS name, a.category, a.unsanctioned, sum(TotalBytes)::DOUBLE AS total, sum(UploadedBytes)::DOUBLE AS up,
            min(floor(epoch_ms(TimeGenerated) / ${DAY_MS})) AS first,
            (SELECT count(DISTINCT e.UserName) FROM everything e WHERE e.AppName = v.AppName)::DOUBLE AS users
        FROM v JOIN apps a USING (AppName) WHERE ${ai} GROUP BY v.AppName, a.category, a.unsanctioned ORDER BY total DESC, name`);
    const aiApps = apps.slice(0, 10).map(a => `${a.name} (${a.category}${a.unsanctioned ? ", tagged unsanctioned" : ""}): ${formatBytes(n(a.total))}, ` +
        `uploaded ${formatBytes(n(a.up))}, ${usersPhrase(n(a.users))}, first seen ${dayText(n(a.first))}`);
    const categories = "Generative AI, AI model provider, MCP server";
    const aiSummary = apps.length > 10 ? `Top 10 of ${counts.format(apps.length)} AI apps in ${categories}` : `${counts.format(apps.length)} AI apps in ${categories}`;
    const [tile] = await rows(`SELECT count(DISTINCT nullif(v.UserName, ''))::DOUBLE AS users, sum(UploadedBytes)::DOUBLE AS up
        FROM v JOIN apps a USING (AppName) WHERE ${ai}`);
    const aiTile = `AI apps: ${counts.format(apps.length)}, ${usersPhrase(n(tile.users))}, uploaded ${formatBytes(n(tile.up))}`;
    const [first] = await rows(`SELECT count(*)::DOUBLE AS n FROM everything WHERE AppName = ${sqlString(String(apps[0].name))}`);
    return { aiApps, aiSummary, aiTile, firstAiApp: { name: String(apps[0].name), rows: n(first.n) } };
}

/**
 * The top apps with their status: an app's tagging day is the first UTC day a row of it carries Unsanctioned, its
 * traffic after that day is still used, and the blocked share is that of those days' events (docs/visual.md).
 */
async function topAppsOf(rows: Query): Promise<Pick<Expected, "topApps" | "stillUsedCaption" | "stillUsedApp">> {
    await rows(`CREATE TEMP TABLE status AS WITH s AS (SELECT AppName, min(day) FILTER (WHERE list_contains(tags, 'unsanctioned')) AS since FROM v GROUP BY AppName)
        SELECT s.AppName, s.since, sum(v.TotalBytes) FILTER (WHERE v.day > s.since)::DOUBLE AS after,
            sum(v.TotalEvents) FILTER (WHERE v.day > s.since)::DOUBLE AS events, sum(v.BlockedEvents) FILTER (WHERE v.day > s.since)::DOUBLE AS blocked
        FROM s JOIN v USING (AppName) WHERE s.since IS NOT NULL GROUP BY s.AppName, s.since`);
    const top = await rows(`SELECT v.AppName AS name, a.category, a.score, a.tag_class, sum(TotalBytes)::DOUBLE AS total, sum(BlockedEvents)::DOUBLE AS blocked,
            (SELECT count(DISTINCT e.UserName) FROM everything e WHERE e.AppName = v.AppName)::DOUBLE AS users,
            any_value(st.since) AS since, any_value(st.after) AS after, any_value(st.events) AS events, any_value(st.blocked) AS after_blocked
        FROM v JOIN apps a USING (AppName) LEFT JOIN status st USING (AppName)
        GROUP BY v.AppName, a.category, a.score, a.tag_class ORDER BY total DESC, name LIMIT 10`);
    const states: Record<string, string> = { sanctioned: "sanctioned", unsanctioned: "unsanctioned", other: "other tags" };
    const topApps = top.map(a => {
        const blocked = n(a.blocked) === 1 ? "1 blocked event" : `${counts.format(n(a.blocked))} blocked events`;
        const label = `${a.name} (${a.category}, score ${counts.format(n(a.score))}, ${states[String(a.tag_class)]}): ${formatBytes(n(a.total))}, ` +
            `${usersPhrase(n(a.users))}, ${blocked}`;
        if (a.since === null || !(n(a.after) > 0)) return label;
        const share = n(a.events) > 0 ? `, ${percent.format(Math.min(1, n(a.after_blocked) / n(a.events)))} of its events blocked` : "";
        return `${label}, used after it was tagged unsanctioned on ${dayText(n(a.since))}: ${formatBytes(n(a.after))}${share}`;
    });
    const [all] = await rows(`SELECT (SELECT count(DISTINCT AppName) FROM v)::DOUBLE AS apps, (SELECT count(*) FROM status WHERE after > 0)::DOUBLE AS used`);
    const stillUsed = n(all.used);
    const stillUsedCaption = `Top 10 of ${counts.format(n(all.apps))} apps · ⚠ ${stillUsed === 1 ? "1 unsanctioned app still carries traffic" : `${counts.format(stillUsed)} unsanctioned apps still carry traffic`}`;
    const index = topApps.findIndex(label => label.includes("used after it was tagged unsanctioned"));
    assert.ok(index >= 0, "a top app of the sample is still used after it was tagged unsanctioned");
    const name = String(top[index].name);
    const [count] = await rows(`SELECT count(*)::DOUBLE AS n FROM everything WHERE AppName = ${sqlString(name)}`);
    return { topApps, stillUsedCaption, stillUsedApp: { name, rows: n(count.n), label: topApps[index] } };
}

async function expectedOf(files: readonly string[]): Promise<Expected> {
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    const rows: Query = async sql => (await db.runAndReadAll(sql)).getRowObjectsJS();
    try {
        await db.run(`CREATE TABLE everything AS SELECT * FROM read_parquet([${files.map(sqlString).join(", ")}])`);
        // The visual reads the Global view's rows when it is beside other streams: computed here from the others.
        await db.run(`CREATE VIEW t AS SELECT * FROM everything WHERE StreamName <> ${sqlString(GLOBAL_VIEW)}`);
        await db.run(`CREATE VIEW v AS SELECT *, floor(epoch_ms(TimeGenerated) / ${DAY_MS}) AS day,
            list_transform(coalesce(TRY_CAST(json(AppTags) AS VARCHAR[]), []), x -> lower(trim(x))) AS tags FROM t`);
        // Each app with the category, score and tags of its latest row (the sample's apps change tags at most once).
        await db.run(`CREATE TABLE apps AS SELECT *, coalesce(score <= 3, false) AS high, tag_class = 'unsanctioned' AS unsanctioned FROM (
            SELECT AppName, arg_max(AppCategory, TimeGenerated) AS category, arg_max(AppScore, TimeGenerated) AS score,
                arg_max(CASE WHEN list_contains(tags, 'unsanctioned') THEN 'unsanctioned' WHEN list_contains(tags, 'sanctioned') THEN 'sanctioned' ELSE 'other' END,
                    TimeGenerated) AS tag_class FROM v GROUP BY AppName)`);
        return {
            ...await timelineOf(rows), ...await topUsersOf(rows), ...await freshnessOf(rows), ...await aiAppsOf(rows), ...await topAppsOf(rows),
        };
    } finally {
        db.closeSync();
        instance.closeSync();
    }
}

async function waitForSettled(page: Page): Promise<void> {
    await page.waitForFunction(() => {
        const data = document.documentElement.dataset;
        return data.renderState === "finished" && data.moreSegments === "false" && data.resizing !== "true";
    }, null, { timeout: 120_000 });
}

/** Clicks a mark, checks the filter the host logged and the rows it leaves the report, and clicks again to clear it. */
async function clickAndCheck(page: Page, panel: string, label: string, filter: RegExp, reportRows: number): Promise<void> {
    const mark = page.locator(`[data-panel="${panel}"] .shadowit-mark[aria-label="${label.replace(/"/g, "\\\"")}"]`).first();
    await mark.click();
    await page.waitForFunction(() => document.documentElement.dataset.selectionCount !== "0");
    const selected = await page.locator("#selection-log li.selected-item").allTextContents();
    assert.equal(selected.length, 1, `one filter after clicking in ${panel}: ${selected.join(" | ")}`);
    assert.match(selected[0], filter);
    assert.equal(Number(await page.evaluate(() => document.documentElement.dataset.reportRows)), reportRows, `rows the report keeps after a click in ${panel}`);
    await page.waitForFunction(([id, l]) => document.querySelector(`[data-panel="${id}"] .shadowit-mark[aria-label="${l.replace(/"/g, "\\\"")}"]`)
        ?.getAttribute("aria-selected") === "true", [panel, label] as const);
    await mark.click();
    await page.waitForFunction(() => document.documentElement.dataset.selectionCount === "0");
}

describe("npm start preview: the people, time and AI panels on the sample tenant", { timeout: 15 * 60_000 }, () => {
    let preview: RunningPreview;
    let browser: Browser;
    let page: Page;
    let expected: Expected;
    const exportDir = mkdtempSync(join(tmpdir(), "shadowit-preview-panels-"));
    const pageErrors: string[] = [];

    before(async () => {
        preview = await startPreview({ root: ROOT, port: 0, rows: SAMPLE_ROWS, sampleEnd: SAMPLE_END, exportDir, windowSize: WINDOW });
        expected = await expectedOf(preview.files);
        browser = await launchChromium();
        page = await browser.newPage({ viewport: { width: 1700, height: 2400 } });
        recordPageErrors(page, pageErrors);
        await page.goto(preview.url);
        await waitForSettled(page);
        // A tall tile, so that every panel has room; then the fields of people and time.
        await page.evaluate(() => {
            const frame = document.getElementById("frame")!;
            frame.style.width = "1600px";
            frame.style.height = "2200px";
        });
        await page.waitForFunction(() => Number(document.documentElement.dataset.resizeEnds ?? "0") > 0, null, { timeout: 60_000 });
        await page.check("#wells input[data-role='TimeGenerated']");
        await waitForSettled(page);
        await page.check("#wells input[data-role='UserName']");
        await page.waitForFunction(() => document.querySelector("[data-panel='ai-apps'] .shadowit-mark") !== null
            && document.querySelector("[data-panel='top-users'] .shadowit-mark") !== null, null, { timeout: 120_000 });
        await waitForSettled(page);
    }, { timeout: 15 * 60_000 });

    after(async () => {
        await browser?.close();
        await preview?.close();
        rmSync(exportDir, { recursive: true, force: true });
    });

    it("draws the traffic per day with the exported data's daily sums and users, and filters a clicked day", async () => {
        assert.deepEqual(await scrolledMarkLabels(page, "timeline"), expected.timeline);
        await clickAndCheck(page, "timeline", expected.firstDay.label, /^Time generated in \(/, expected.firstDay.rows);
    });

    it("ranks the users by upload with the exported data's figures, and filters a clicked user", async () => {
        assert.deepEqual(await scrolledMarkLabels(page, "top-users"), expected.topUsers);
        const name = expected.topUsers[0].split(": ")[0];
        await clickAndCheck(page, "top-users", expected.topUsers[0], new RegExp(`^User name in \\(${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)$`), expected.topUserRows);
    });

    it("lists every stream's last data, the stale one first, and filters a clicked stream", async () => {
        const labels = await scrolledMarkLabels(page, "freshness");
        assert.deepEqual([...labels].sort(), [...expected.freshness].sort());
        assert.ok(labels[0].startsWith(`${expected.stalest.name}: last data`) && labels[0].endsWith(", stale"), labels[0]);
        await clickAndCheck(page, "freshness", labels[0], new RegExp(`^Stream name in \\(${expected.stalest.name}\\)$`), expected.stalest.rows);
    });

    it("lists the AI apps with the exported data's traffic, upload, users and first-seen day, lifts them into the key figures, and filters a clicked app", async () => {
        assert.deepEqual(await scrolledMarkLabels(page, "ai-apps"), expected.aiApps);
        assert.ok(expected.aiApps.some(l => l.includes("(AI model provider)")) && expected.aiApps.some(l => l.includes("(MCP server)")),
            "the sample has an AI model provider and an MCP server among the top AI apps");
        assert.equal(new Set(expected.aiApps.map(l => l.split("first seen ")[1])).size > 2, true, "first seen on different days");
        assert.match(await page.locator("[data-panel='ai-apps'] .shadowit-ai-apps-summary").innerText(), new RegExp(`^${expected.aiSummary}$`));
        assert.ok((await markLabels(page, "kpis")).includes(expected.aiTile), `${expected.aiTile} in ${(await markLabels(page, "kpis")).join(" | ")}`);
        await clickAndCheck(page, "ai-apps", expected.aiApps[0], new RegExp(`^App name in \\(${expected.firstAiApp.name}\\)$`), expected.firstAiApp.rows);
    });

    it("marks the top app still used after it was tagged unsanctioned, with the traffic and blocked share after, and filters it", async () => {
        assert.deepEqual(await markLabels(page, "top-apps"), expected.topApps);
        assert.equal(await page.locator("[data-panel='top-apps'] .shadowit-caption").innerText(), expected.stillUsedCaption);
        const status = await page.locator(`[data-panel='top-apps'] .shadowit-mark[aria-label="${expected.stillUsedApp.label}"] .shadowit-status`).innerText();
        assert.equal(status, "⚠ unsanctioned");
        await clickAndCheck(page, "top-apps", expected.stillUsedApp.label, new RegExp(`^App name in \\(${expected.stillUsedApp.name}\\)$`), expected.stillUsedApp.rows);
        assert.deepEqual(pageErrors, []);
    });

    it("saves a screenshot of the dashboard with every panel", async () => {
        mkdirSync(join(ROOT, ".tmp"), { recursive: true });
        await page.mouse.move(1690, 2390);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.locator("#frame").screenshot({ path: SCREENSHOT });
        const shown = await page.evaluate(() => Array.from(document.querySelectorAll("[data-panel]")).map(e => e.getAttribute("data-panel")));
        for (const id of ["kpis", "timeline", "top-users", "freshness", "ai-apps", "top-apps"]) assert.ok(shown.includes(id), `${id} is drawn`);
    });
});
