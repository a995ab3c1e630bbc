// The report over an export folder shows the figures the preview shows. The sample tenant is exported through the
// emulator (as `npm start` does, at a fixed instant), the preview hosts the packaged visual on that export in
// Chromium, and the Power BI project is written over the same export folder (`--from-folder`, as `npm start` writes
// it). The model's measures are then evaluated as their TMDL writes them, over tables loaded from the export files
// as their partitions' M says (test/dataset/report-dax-evaluator.ts, report-folder-tables.ts), in the filter
// contexts of the report's visuals, and compared with aggregates computed here with DuckDB SQL over the files and
// with the labels the preview's visual draws.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { chromium, type Browser, type Page } from "playwright-core";
import { formatBytes } from "../../src/schema.ts";
import { startPreview, type RunningPreview } from "../../src/preview/start.ts";
import { sqlString } from "../../src/preview/parquet.ts";
import { SAMPLE_PROJECT_NAME, writeSampleProject } from "../../src/dataset/report/sample-project.ts";
import { reportPages, type VisualSpec } from "../../src/dataset/report/pbir.ts";
import { TABLE } from "../../src/dataset/report/model.ts";
import { DaxEvaluator, type DaxValue } from "../dataset/report-dax-evaluator.ts";
import { loadModel, readParameters } from "../dataset/report-folder-tables.ts";
import { readTmdl, type TmdlObject } from "../dataset/report-tmdl-reader.ts";

const ROOT = resolve(__dirname, "..", "..");
const SAMPLE_ROWS = 20_000;
/** The sample's data ends here, and the project is written at this instant: never the wall clock. */
const SAMPLE_END = new Date("2026-03-02T10:00:00Z");
const GLOBAL_VIEW = "Global view";
const DAY_MS = 86_400_000;
const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

type Sql = (sql: string) => Promise<Record<string, unknown>[]>;

async function withDuckDb<T>(files: readonly string[], body: (rows: Sql) => Promise<T>): Promise<T> {
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    try {
        await db.run(`CREATE TABLE everything AS SELECT * FROM read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true)`);
        await db.run(`CREATE VIEW sources AS SELECT * FROM everything WHERE StreamName <> ${sqlString(GLOBAL_VIEW)}`);
        return await body(async sql => (await db.runAndReadAll(sql)).getRowObjectsJS());
    } finally {
        db.closeSync();
        instance.closeSync();
    }
}

function readDefinition(folder: string): { tables: TmdlObject[]; relationships: TmdlObject[]; expressions: TmdlObject[] } {
    const read = (file: string) => readTmdl(readFileSync(join(folder, file), "utf8"), file);
    const tables = readdirSync(join(folder, "tables")).filter(f => f.endsWith(".tmdl")).sort().flatMap(f => read(join("tables", f)));
    return { tables, relationships: read("relationships.tmdl"), expressions: read("expressions.tmdl") };
}

function measuresOf(visual: VisualSpec): Record<string, string> {
    const measures: Record<string, string> = {};
    for (const [role, fields] of Object.entries(visual.roles)) {
        for (const field of fields) if (field.kind === "Measure") measures[role] = field.name;
    }
    return measures;
}

function groupingsOf(visual: VisualSpec): { table: string; column: string }[] {
    return Object.values(visual.roles).flat().filter(f => f.kind === "Column").map(f => ({ table: f.table, column: f.name }));
}

const num = (v: DaxValue | unknown): number => (v === null || v === undefined ? 0 : Number(v));

async function markLabels(page: Page, panel: string): Promise<string[]> {
    return page.evaluate(async id => {
        const body = document.querySelector<HTMLElement>(`[data-panel="${id}"] .shadowit-body`) ?? document.querySelector<HTMLElement>(`[data-panel="${id}"]`);
        if (!body) return [];
        const labels = new Set<string>();
        for (let top = 0; ; top += Math.max(1, Math.floor(body.clientHeight / 2))) {
            body.scrollTop = top;
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            for (const e of Array.from(body.querySelectorAll("[aria-label]"))) labels.add(e.getAttribute("aria-label") ?? "");
            if (body.scrollTop + body.clientHeight >= body.scrollHeight) break;
        }
        return [...labels];
    }, panel);
}

describe("the report over the sample tenant's export shows the preview's figures", { timeout: 15 * 60_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), "shadowit-report-figures-"));
    const exportDir = join(work, "export");
    let preview: RunningPreview;
    let browser: Browser;
    let page: Page;
    let dax: DaxEvaluator;
    const pages = reportPages("shadowit");
    const visual = (name: string): VisualSpec => {
        const found = pages.flatMap(p => p.visuals).find(v => v.name === name);
        assert.ok(found, `the report has a visual ${name}`);
        return found;
    };

    before(async () => {
        preview = await startPreview({ root: ROOT, port: 0, rows: SAMPLE_ROWS, sampleEnd: SAMPLE_END, exportDir });
        assert.ok(preview.workspaceId, "the preview exported the sample tenant");
        const pbip = writeSampleProject({ exportDir, workspaceId: preview.workspaceId, visualFile: preview.visualFile, out: join(work, "project"), now: SAMPLE_END });
        const definition = readDefinition(join(pbip, "..", `${SAMPLE_PROJECT_NAME}.SemanticModel`, "definition"));
        const parameters = readParameters(definition.expressions);
        dax = new DaxEvaluator(await loadModel(definition.tables.filter(t => t.type === "Table"), definition.relationships.filter(r => r.type === "Relationship"), parameters));
        browser = await chromium.launch({ executablePath: process.env.CHROME_BIN || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
        page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
        await page.goto(preview.url);
        await page.waitForFunction(() => {
            const data = document.documentElement.dataset;
            return data.renderState === "finished" && data.moreSegments === "false";
        }, null, { timeout: 120_000 });
    }, { timeout: 15 * 60_000 });

    after(async () => {
        await browser?.close();
        await preview?.close();
        rmSync(work, { recursive: true, force: true });
    });

    it("the headline figures: the model's measures equal DuckDB's sums (Global view once) and the preview's key figures", async () => {
        const kpis = visual("shadowItKpis");
        const roles = measuresOf(kpis);
        assert.deepEqual(groupingsOf(kpis), [], "the headline visual has no groupings");
        const value = (role: string) => dax.measure(roles[role] as string);
        const expected = await withDuckDb(preview.files, async rows => (await rows(`SELECT sum(UploadedBytes)::DOUBLE AS up,
            sum(DownloadedBytes)::DOUBLE AS down, sum(TotalBytes)::DOUBLE AS total, sum(TotalEvents)::DOUBLE AS events,
            sum(BlockedEvents)::DOUBLE AS blocked, count(DISTINCT UserName)::DOUBLE AS users, count(DISTINCT AppId)::DOUBLE AS apps FROM sources`))[0] as Record<string, unknown>);
        const figures = {
            up: value("UploadedBytes"), down: value("DownloadedBytes"), total: value("TotalBytes"), events: value("TotalEvents"),
            blocked: value("BlockedEvents"), users: value("Users"), usersTotal: value("UsersTotal"), apps: dax.measure("Apps"),
        };
        assert.deepEqual(figures, {
            up: num(expected.up), down: num(expected.down), total: num(expected.total), events: num(expected.events), blocked: num(expected.blocked),
            users: num(expected.users), usersTotal: num(expected.users), apps: num(expected.apps),
        });
        assert.equal(dax.measure("Blocked share"), num(expected.blocked) / num(expected.events));

        const shown = await markLabels(page, "kpis");
        const label = (prefix: string) => shown.find(l => l.startsWith(prefix));
        assert.equal(label("Discovered apps:"), `Discovered apps: ${counts.format(num(figures.apps))}`);
        assert.equal(label("Users:"), `Users: ${counts.format(num(figures.users))}`);
        assert.equal(label("Traffic:"), `Traffic: ${formatBytes(num(figures.total))}, uploaded ${formatBytes(num(figures.up))}, downloaded ${formatBytes(num(figures.down))}`);
        assert.equal(label("Blocked events:"), `Blocked events: ${counts.format(num(figures.blocked))}, ` +
            `${percent.format(num(dax.measure("Blocked share")))} of ${counts.format(num(figures.events))} events`);
    });

    it("per discovery stream: upload, download and exact users, the Global view a stream of its own", async () => {
        const streams = visual("shadowItStreams");
        const roles = measuresOf(streams);
        const rows = dax.query(groupingsOf(streams), [roles.UploadedBytes as string, roles.DownloadedBytes as string, roles.UsersPerStream as string]);
        const expected = await withDuckDb(preview.files, async sql => sql(`SELECT StreamName AS name, sum(UploadedBytes)::DOUBLE AS up,
            sum(DownloadedBytes)::DOUBLE AS down, count(DISTINCT UserName)::DOUBLE AS users FROM everything GROUP BY 1 ORDER BY 1`));
        assert.deepEqual(
            rows.map(r => ({ name: r.keys[0], up: r.values[0], down: r.values[1], users: r.values[2] })).sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1)),
            expected.map(e => ({ name: e.name, up: num(e.up), down: num(e.down), users: num(e.users) })),
        );
        const labels = rows.map(r => (r.keys[0] === GLOBAL_VIEW
            ? `${GLOBAL_VIEW}, total of all streams: uploaded ${formatBytes(num(r.values[0]))}, downloaded ${formatBytes(num(r.values[1]))}`
            : `${String(r.keys[0])}: uploaded ${formatBytes(num(r.values[0]))}, downloaded ${formatBytes(num(r.values[1]))}, ${num(r.values[2]) === 1 ? "1 user" : `${counts.format(num(r.values[2]))} users`}`));
        assert.deepEqual((await markLabels(page, "stream-bytes")).sort(), labels.sort());
    });

    it("per app and category: the panels' rows add up to DuckDB's per-source sums and the preview's bars and top apps", async () => {
        // Each panel-mode visual's own query: the categories visual's rows (category × tag set), the top apps visual's
        // (app × category × score × tags), evaluated with the measures each binds.
        const categoriesVisual = visual("shadowItCategories");
        const categoryGroupings = groupingsOf(categoriesVisual);
        const categoryAt = categoryGroupings.findIndex(g => g.table === TABLE.app && g.column === "AppCategory");
        const byCategory = new Map<string, number>();
        for (const r of dax.query(categoryGroupings, [measuresOf(categoriesVisual).TotalBytes as string])) {
            const category = String(r.keys[categoryAt]);
            byCategory.set(category, (byCategory.get(category) ?? 0) + num(r.values[0]));
        }
        const appsVisual = visual("shadowItTopApps");
        const roles = measuresOf(appsVisual);
        const appGroupings = groupingsOf(appsVisual);
        const appAt = appGroupings.findIndex(g => g.table === TABLE.app && g.column === "AppName");
        const byApp = new Map<string, { total: number; blocked: number }>();
        for (const r of dax.query(appGroupings, [roles.TotalBytes, roles.BlockedEvents] as string[])) {
            const app = String(r.keys[appAt]);
            const sums = byApp.get(app) ?? { total: 0, blocked: 0 };
            byApp.set(app, { total: sums.total + num(r.values[0]), blocked: sums.blocked + num(r.values[1]) });
        }
        const expected = await withDuckDb(preview.files, async sql => ({
            categories: await sql(`SELECT AppCategory AS name, sum(TotalBytes)::DOUBLE AS total FROM sources GROUP BY 1`),
            apps: await sql(`SELECT AppName AS name, sum(TotalBytes)::DOUBLE AS total, sum(BlockedEvents)::DOUBLE AS blocked FROM sources GROUP BY 1`),
        }));
        assert.deepEqual(Object.fromEntries([...byCategory].sort()), Object.fromEntries(expected.categories.map(c => [String(c.name), num(c.total)]).sort()));
        assert.deepEqual(Object.fromEntries([...byApp].sort()), Object.fromEntries(expected.apps.map(a => [String(a.name), { total: num(a.total), blocked: num(a.blocked) }]).sort()));

        const bars = (await markLabels(page, "category-traffic")).filter(l => !l.startsWith("Other:"));
        assert.ok(bars.length >= 5, "the preview draws the category bars");
        for (const bar of bars) {
            const name = bar.slice(0, bar.indexOf(": "));
            assert.ok(byCategory.has(name), `the report has the category ${name}`);
            assert.ok(bar.startsWith(`${name}: ${formatBytes(byCategory.get(name) as number)}`), `${bar}: the report's traffic is ${formatBytes(byCategory.get(name) as number)}`);
        }
        const topApps = await markLabels(page, "top-apps");
        assert.equal(topApps.length, 10);
        for (const label of topApps) {
            const name = label.slice(0, label.indexOf(" ("));
            const app = byApp.get(name);
            assert.ok(app, `the report has the app ${name}`);
            assert.ok(label.includes(`): ${formatBytes(app.total)}, `), `${label}: the report's traffic is ${formatBytes(app.total)}`);
            // The blocked events end the figures, before the status of an unsanctioned app still used (if any).
            const blocked = app.blocked === 1 ? "1 blocked event" : `${counts.format(app.blocked)} blocked events`;
            assert.ok(`${label},`.includes(`, ${blocked},`), `${label}: the report's blocked events are ${app.blocked}`);
        }
    });

    it("per app and category on one day: the exact users the model holds equal DuckDB's distinct users that day", async () => {
        const appsVisual = visual("shadowItTopApps");
        const roles = measuresOf(appsVisual);
        const categoriesVisual = visual("shadowItCategories");
        const expected = await withDuckDb(preview.files, async sql => {
            // UTC days from the instants, whatever DuckDB's session time zone is.
            const dayOf = `floor(epoch_ms(TimeGenerated) / ${DAY_MS})`;
            const [last] = await sql(`SELECT max(${dayOf})::DOUBLE AS day FROM everything`);
            const day = num((last as Record<string, unknown>).day);
            return {
                day: new Date(day * DAY_MS).toISOString().slice(0, 10),
                apps: await sql(`SELECT AppName AS name, count(DISTINCT UserName)::DOUBLE AS users FROM everything WHERE ${dayOf} = ${day} GROUP BY 1`),
                categories: await sql(`SELECT AppCategory AS name, count(DISTINCT UserName)::DOUBLE AS users FROM everything WHERE ${dayOf} = ${day} GROUP BY 1`),
            };
        });
        const oneDay = [{ table: TABLE.date, column: "Date", values: [`${expected.day}T00:00:00`] }];
        const rows = dax.query([{ table: TABLE.app, column: "AppName" }], [roles.UsersPerApp as string], oneDay);
        assert.ok(rows.length > 10, "the last day has apps");
        assert.deepEqual(Object.fromEntries(rows.map(r => [String(r.keys[0]), r.values[0]]).sort()),
            Object.fromEntries(expected.apps.map(a => [String(a.name), num(a.users)]).sort()));
        // The categories visual's rows (category, tag set) each carry their whole category's exact users.
        const groupings = groupingsOf(categoriesVisual);
        const categoryAt = groupings.findIndex(g => g.column === "AppCategory");
        const categories = new Map<string, DaxValue>();
        for (const r of dax.query(groupings, [measuresOf(categoriesVisual).UsersPerCategory as string], oneDay)) {
            const name = String(r.keys[categoryAt]);
            assert.ok(!categories.has(name) || categories.get(name) === r.values[0], `every row of ${name} carries the same users`);
            categories.set(name, r.values[0] ?? null);
        }
        assert.deepEqual(Object.fromEntries([...categories].sort()), Object.fromEntries(expected.categories.map(c => [String(c.name), num(c.users)]).sort()));
        // Over the whole export the model has no user × app grain: blank, so the visual shows "at least", except for the
        // apps seen on one day only, whose count is that day's.
        const month = await withDuckDb(preview.files, async sql => sql(`SELECT AppName AS name, count(DISTINCT UserName)::DOUBLE AS users
            FROM everything GROUP BY 1 HAVING count(DISTINCT floor(epoch_ms(TimeGenerated) / ${DAY_MS})) = 1`));
        assert.deepEqual(Object.fromEntries(dax.query([{ table: TABLE.app, column: "AppName" }], [roles.UsersPerApp as string]).map(r => [String(r.keys[0]), r.values[0]]).sort()),
            Object.fromEntries(month.map(a => [String(a.name), num(a.users)]).sort()));
    });

    it("identity and alerts: flagged users' risky traffic, failed and risky sign-ins and alerts equal DuckDB's over the exported tables", async () => {
        const folder = (table: string) => join(exportDir, preview.workspaceId as string, table);
        const parquet = (table: string) => readdirSync(folder(table)).filter(f => /^\d{4}-\d{2}-\d{2}\.parquet$/.test(f)).map(f => join(folder(table), f));
        const signins = parquet("SigninLogs"), alerts = parquet("SecurityAlert");
        assert.ok(signins.length > 0 && alerts.length > 0, "the sample export holds sign-ins and alerts");
        const expected = await withDuckDb(preview.files, async sql => {
            const list = (files: string[]) => `read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true)`;
            // Tags as the visual reads them (lower case, trimmed); high risk is a score of 0 to 3. Per UTC day, the
            // Global view's rows alone when the day has any.
            return sql(`WITH days AS (SELECT floor(epoch_ms(TimeGenerated) / ${DAY_MS}) AS day, * FROM everything),
                gv AS (SELECT DISTINCT day FROM days WHERE StreamName = ${sqlString(GLOBAL_VIEW)}),
                risky AS (SELECT lower(UserName) AS u, sum(TotalBytes)::DOUBLE AS traffic FROM days
                    WHERE (AppScore <= 3 OR list_contains(list_transform(coalesce(TRY_CAST(json(AppTags) AS VARCHAR[]), []), x -> lower(trim(x))), 'unsanctioned'))
                    AND (StreamName = ${sqlString(GLOBAL_VIEW)} OR day NOT IN (SELECT day FROM gv)) GROUP BY 1),
                s AS (SELECT lower(UserPrincipalName) AS u, count(*) FILTER (WHERE ResultType <> '0')::DOUBLE AS failed,
                    count(*) FILTER (WHERE RiskLevelDuringSignIn IN ('low', 'medium', 'high'))::DOUBLE AS riskysignins FROM ${list(signins)} GROUP BY 1),
                a AS (SELECT lower(CompromisedEntity) AS u, count(DISTINCT SystemAlertId)::DOUBLE AS alerts FROM ${list(alerts)}
                    WHERE ProductName = 'Microsoft Cloud App Security' OR ProviderName = 'MCAS' GROUP BY 1)
                SELECT risky.u, risky.traffic, s.failed, s.riskysignins, coalesce(a.alerts, 0) AS alerts FROM risky JOIN s USING (u) LEFT JOIN a USING (u)
                WHERE risky.traffic > 0 AND s.failed + s.riskysignins > 0 ORDER BY 1`);
        });
        assert.ok(expected.length > 0, "the sample tenant has flagged users");
        const table = visual("flaggedUsersTable");
        const measures = table.roles.Values?.filter(f => f.kind === "Measure").map(f => f.name) ?? [];
        assert.deepEqual(measures, ["Flagged user risky app traffic", "Failed sign-ins", "Risky sign-ins", "Alerts"]);
        // The table's rows: users whose Flagged user risky app traffic is above zero (its visual filter).
        const rows = dax.query([{ table: TABLE.user, column: "UserKey" }], measures).filter(r => num(r.values[0]) > 0);
        assert.deepEqual(rows.map(r => [r.keys[0], ...r.values.map(num)]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
            expected.map(e => [e.u, num(e.traffic), num(e.failed), num(e.riskysignins), num(e.alerts)]));
    });
});
