import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { APP_CATEGORIES, alertCount, buildTenant, GLOBAL_VIEW_STREAM, mcasAzureMonitorRows, mcasRows, SAMPLE_AAD_TENANT_ID, SAMPLE_WORKSPACE_ID, securityAlertRows, signinCount, signinRows, sourceRows, type McasRow } from "../../src/dataset/sample/index.ts";
import { AI_NEWCOMERS } from "../../src/dataset/sample/catalogue.ts";
import { TAGGED_MID_RANGE } from "../../src/dataset/sample/mcas.ts";
import { isGuid, MCAS_SHADOW_IT_REPORTING, MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR, SECURITY_ALERT, SIGNIN_LOGS, type TableSchema } from "../../src/schema.ts";

const END = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;

/** The rows of the per-source streams: the Global view repeats them. */
function perSource(rows: Iterable<McasRow>): McasRow[] {
    return [...rows].filter(row => row.StreamName !== GLOBAL_VIEW_STREAM);
}

function take<T>(rows: Iterable<T>, n: number): T[] {
    const out: T[] = [];
    for (const row of rows) {
        if (out.length >= n) break;
        out.push(row);
    }
    return out;
}

test("the same seed gives identical rows; another seed different ones", () => {
    const a = JSON.stringify([...mcasRows({ seed: 7, rows: 3000, end: END })]);
    const b = JSON.stringify([...mcasRows({ seed: 7, rows: 3000, end: END })]);
    const c = JSON.stringify([...mcasRows({ seed: 8, rows: 3000, end: END })]);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(JSON.stringify([...securityAlertRows({ seed: 7, end: END })]), JSON.stringify([...securityAlertRows({ seed: 7, end: END })]));
    assert.equal(JSON.stringify([...signinRows({ seed: 7, rows: 2000, end: END })]), JSON.stringify([...signinRows({ seed: 7, rows: 2000, end: END })]));
    assert.notEqual(JSON.stringify([...signinRows({ seed: 7, rows: 2000, end: END })]), JSON.stringify([...signinRows({ seed: 9, rows: 2000, end: END })]));
});

test("exactly the requested per-source rows, with the Global view's, ascending, within the days before end", () => {
    for (const [rows, days] of [[0, 30], [1, 30], [7, 1], [1000, 3], [20_000, 30], [500, 365]] as const) {
        let count = 0;
        let globalView = 0;
        let previous = -Infinity;
        for (const row of mcasRows({ rows, days, end: END })) {
            const t = row.TimeGenerated.getTime();
            assert.ok(t >= previous, "ascending TimeGenerated");
            assert.ok(t >= END.getTime() - days * DAY && t < END.getTime(), `${row.TimeGenerated.toISOString()} in range`);
            previous = t;
            if (row.StreamName === GLOBAL_VIEW_STREAM) globalView++;
            else count++;
        }
        assert.equal(count, rows);
        assert.ok(rows === 0 ? globalView === 0 : globalView >= 1 && globalView <= rows, `${globalView} Global view rows`);
    }
});

test("the Global view stream sums the per-source streams per UTC hour, app, user and IP address", () => {
    const rows = [...mcasRows({ rows: 20_000, end: END, seed: 4 })];
    const key = (row: McasRow) => [row.TimeGenerated.toISOString().slice(0, 13), row.AppName, row.UserName, row.IpAddress].join("|");
    const sums = new Map<string, number[]>();
    const global = new Map<string, McasRow>();
    for (const row of rows) {
        if (row.StreamName === GLOBAL_VIEW_STREAM) {
            assert.ok(!global.has(key(row)), `one Global view row per hour, app, user and address: ${key(row)}`);
            global.set(key(row), row);
            continue;
        }
        const sum = sums.get(key(row)) ?? [0, 0, 0, 0, 0];
        [row.TotalEvents, row.BlockedEvents, row.UploadedBytes, row.DownloadedBytes, row.TotalBytes].forEach((v, i) => { sum[i] += v; });
        sums.set(key(row), sum);
    }
    assert.equal(global.size, sums.size);
    for (const [k, sum] of sums) {
        const row = global.get(k);
        assert.ok(row, k);
        assert.deepEqual([row.TotalEvents, row.BlockedEvents, row.UploadedBytes, row.DownloadedBytes, row.TotalBytes], sum, k);
        assert.equal(row.TotalBytes, row.UploadedBytes + row.DownloadedBytes);
    }
    const sources = perSource(rows);
    assert.equal(sources.length, 20_000);
    assert.deepEqual(perSource(sourceRows({ rows: 20_000, end: END, seed: 4 })), sources, "the per-source rows are unchanged by the Global view");
    const total = (list: readonly McasRow[]) => list.reduce((n, row) => n + row.TotalBytes, 0);
    assert.equal(total([...global.values()]), total(sources));
    // Each UTC hour's Global view rows follow its last per-source record, with that record's time.
    let lastSource: McasRow | undefined;
    for (const row of rows) {
        if (row.StreamName !== GLOBAL_VIEW_STREAM) lastSource = row;
        else assert.equal(row.TimeGenerated.getTime(), lastSource?.TimeGenerated.getTime());
    }
});

test("the default end is the start of the UTC hour of now and the default size is 20000 rows over 30 days", () => {
    // Just after midnight on the first of a month: the default range then covers the whole previous month.
    const now = new Date("2026-03-01T00:00:30.250Z");
    const end = Date.parse("2026-03-01T00:00:00Z");
    let count = 0;
    let last = 0;
    let first = Infinity;
    for (const row of mcasRows({ now })) {
        if (row.StreamName !== GLOBAL_VIEW_STREAM) count++;
        last = row.TimeGenerated.getTime();
        first = Math.min(first, last);
    }
    assert.equal(count, 20_000);
    assert.ok(last < end, `last row ${new Date(last).toISOString()} is before the end`);
    assert.ok(first >= end - 30 * DAY, `first row ${new Date(first).toISOString()} is within 30 days of the end`);
    assert.ok(last >= end - DAY && first < end - 29 * DAY, "the rows span the whole range");
    const rows = [...mcasRows({ now, rows: 300 })].map(r => r.TimeGenerated.getTime());
    assert.deepEqual(rows, [...mcasRows({ end: new Date(end), rows: 300 })].map(r => r.TimeGenerated.getTime()),
        "a default end equals an explicit end at the start of now's hour");
});

function assertSchemaShape(schema: TableSchema, row: Record<string, unknown>): void {
    assert.deepEqual(Object.keys(row), schema.columns.map(c => c.name), `${schema.name} keys in schema order`);
    for (const column of schema.columns) {
        const value = row[column.name];
        switch (column.type) {
            case "datetime": assert.ok(value instanceof Date && !Number.isNaN(value.getTime()), column.name); break;
            case "long": case "int": assert.ok(Number.isSafeInteger(value) && (value as number) >= 0, `${column.name}=${String(value)}`); break;
            case "bool": assert.equal(typeof value, "boolean", column.name); break;
            case "dynamic": assert.equal(typeof value, "object", column.name); assert.notEqual(value, null); break;
            default: assert.equal(typeof value, "string", column.name);
        }
    }
}

test("McasShadowItReporting rows: schema shape, byte arithmetic, blocked events, realistic spread", () => {
    const all: McasRow[] = [...mcasRows({ rows: 20_000, end: END })];
    for (const row of all) assertSchemaShape(MCAS_SHADOW_IT_REPORTING, row as unknown as Record<string, unknown>);
    const rows = perSource(all);
    const categories = new Set<string>();
    const scores = new Map<number, number>();
    const tags = new Map<string, number>();
    const users = new Map<string, number>();
    const streams = new Set<string>();
    let unsanctionedBlocked = 0, unsanctionedTotal = 0, otherBlocked = 0, otherTotal = 0, largeUploads = 0;
    for (const row of rows) {
        assertSchemaShape(MCAS_SHADOW_IT_REPORTING, row as unknown as Record<string, unknown>);
        assert.equal(row.TotalBytes, row.UploadedBytes + row.DownloadedBytes);
        assert.ok(row.BlockedEvents <= row.TotalEvents && row.TotalEvents >= 1);
        assert.ok(row.AppScore >= 0 && row.AppScore <= 10);
        assert.match(row.IpAddress, /^(10|192\.168)\.\d{1,3}\.\d{1,3}(\.\d{1,3})?$/);
        assert.equal(row.TenantId, SAMPLE_WORKSPACE_ID);
        assert.equal(row.SourceSystem, "Azure");
        assert.equal(row.Type, "McasShadowItReporting");
        categories.add(row.AppCategory);
        scores.set(row.AppScore, (scores.get(row.AppScore) ?? 0) + 1);
        tags.set(JSON.stringify(row.AppTags), (tags.get(JSON.stringify(row.AppTags)) ?? 0) + 1);
        users.set(row.UserName, (users.get(row.UserName) ?? 0) + 1);
        streams.add(row.StreamName);
        if (row.AppTags.includes("unsanctioned")) {
            unsanctionedBlocked += row.BlockedEvents;
            unsanctionedTotal += row.TotalEvents;
        } else {
            otherBlocked += row.BlockedEvents;
            otherTotal += row.TotalEvents;
        }
        if (row.UploadedBytes > 100e6) largeUploads++;
    }
    assert.ok(isGuid(SAMPLE_WORKSPACE_ID));
    assert.ok(categories.size >= 25, `${categories.size} categories`);
    for (const c of categories) assert.ok((APP_CATEGORIES as readonly string[]).includes(c) || AI_NEWCOMERS.some(app => app.category === c), c);
    assert.equal(scores.size, 11, "every score 0-10 occurs");
    const share = (s: number[]) => s.reduce((sum, k) => sum + (scores.get(k) ?? 0), 0) / rows.length;
    assert.ok(share([8, 9, 10]) > share([0, 1, 2, 3]) * 3, "traffic skews to well-scored apps");
    // Most records are the sanctioned suite people work in all day; risky apps are a thin but present slice.
    assert.ok(share([0, 1, 2, 3]) > 0.002, `but risky apps are there: ${share([0, 1, 2, 3])}`);
    for (const t of ["[\"sanctioned\"]", "[\"unsanctioned\"]", "[]", "[\"Monitored\"]"]) assert.ok((tags.get(t) ?? 0) > 40, `${t}: ${tags.get(t)}`);
    assert.ok(unsanctionedBlocked / unsanctionedTotal > 0.5, "unsanctioned apps are mostly blocked");
    assert.ok(otherBlocked / otherTotal < 0.05, "other apps are rarely blocked");
    assert.ok(largeUploads > 0, "occasional large uploads");
    for (const s of ["Marketing Department", "Finance Department", "Engineering", "Zscaler NSS", "Palo Alto PA-3220", "Win10 Endpoint Users"]) {
        assert.ok(streams.has(s), s);
    }
    assert.ok(all.some(row => row.StreamName === GLOBAL_VIEW_STREAM), "the Global view stream is there");
    const named = [...users.entries()].filter(([name]) => name !== "");
    assert.ok(named.length >= 400 && named.length <= 500, `${named.length} users`);
    const counts = named.map(([, n]) => n).sort((x, y) => y - x);
    const top10 = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0) / rows.length;
    assert.ok(top10 > 0.3 && top10 < 0.8, `heavy tail: the top 10 % of users have ${top10}`);
    assert.ok((counts[0] ?? 0) / rows.length < 0.1, "no single user dominates");
});

test("AI apps: each AI category has apps with users and upload, first seen on different days; an app tagged unsanctioned mid-range is still used", () => {
    const rows = perSource(mcasRows({ rows: 20_000, end: END }));
    const endDay = END.getTime() / DAY;
    const byApp = new Map<string, { category: string; users: Set<string>; uploaded: number; first: number }>();
    for (const row of rows) {
        const day = Math.floor(row.TimeGenerated.getTime() / DAY);
        let app = byApp.get(row.AppName);
        if (app === undefined) {
            app = { category: row.AppCategory, users: new Set(), uploaded: 0, first: day };
            byApp.set(row.AppName, app);
        }
        if (row.UserName !== "") app.users.add(row.UserName);
        app.uploaded += row.UploadedBytes;
        app.first = Math.min(app.first, day);
    }
    for (const category of ["Generative AI", "AI model provider", "MCP server"]) {
        const apps = [...byApp.values()].filter(app => app.category === category);
        assert.ok(apps.length >= 1 && apps.every(app => app.users.size > 0 && app.uploaded > 0), category);
    }
    // Each newcomer is first seen on or after its start, within days (weekends are quiet): the first-seen days differ.
    const firsts = AI_NEWCOMERS.map(newcomer => {
        const app = byApp.get(newcomer.name)!;
        assert.ok(app.first >= endDay - newcomer.daysBeforeEnd && app.first <= endDay - newcomer.daysBeforeEnd + 5, `${newcomer.name}: ${app.first - endDay}`);
        return app.first;
    });
    assert.equal(new Set(firsts).size, firsts.length);

    const tagged = rows.filter(row => row.AppName === TAGGED_MID_RANGE.app);
    const from = END.getTime() - TAGGED_MID_RANGE.daysBeforeEnd * DAY;
    const before = tagged.filter(row => row.TimeGenerated.getTime() < from);
    const after = tagged.filter(row => row.TimeGenerated.getTime() >= from);
    assert.ok(before.length > 3 && before.every(row => row.AppTags.length === 0), "untagged before");
    assert.ok(after.length > 3 && after.every(row => row.AppTags.includes("unsanctioned")), "unsanctioned after");
    const events = after.reduce((s, row) => s + row.TotalEvents, 0);
    const blocked = after.reduce((s, row) => s + row.BlockedEvents, 0);
    assert.ok(blocked / events > 0.5 && blocked / events < 1, `mostly but not all blocked after: ${blocked / events}`);
    assert.ok(after.reduce((s, row) => s + row.TotalBytes, 0) > 0, "still carries traffic");
});

test("activity: a user works from few streams in a small personal set of apps, mostly on working days", () => {
    // 14 whole UTC days from Monday 2026-10-19 to Sunday 2026-11-01: 10 working days, 4 weekend days.
    const rows = perSource(mcasRows({ rows: 100_000, days: 14, end: new Date("2026-11-02T00:00:00Z"), seed: 5 }));
    const tenant = buildTenant(5);
    const personal = new Map(tenant.users.map((u, i) => [u.userPrincipalName, new Set((tenant.habits[i]?.apps ?? []).map(p => tenant.apps[p.app]?.name))]));
    const appsPerUserDay = new Map<string, Set<string>>();
    const appsPerUser = new Map<string, Set<string>>();
    const streamsPerUser = new Map<string, Set<string>>();
    const usersPerDay = new Map<string, Set<string>>();
    const recordsPerDay = new Map<string, number>();
    for (const row of rows) {
        const day = row.TimeGenerated.toISOString().slice(0, 10);
        recordsPerDay.set(day, (recordsPerDay.get(day) ?? 0) + 1);
        if (row.UserName === "") continue;
        // An AI app adopted during the range stands in for the app it replaces (catalogue.ts, AI_NEWCOMERS).
        const habitual = AI_NEWCOMERS.find(newcomer => newcomer.name === row.AppName)?.replaces ?? row.AppName;
        assert.ok(personal.get(row.UserName)?.has(habitual), `${row.AppName} is in ${row.UserName}'s personal apps`);
        const add = (map: Map<string, Set<string>>, key: string, value: string) => {
            const set = map.get(key) ?? new Set<string>();
            set.add(value);
            map.set(key, set);
        };
        add(appsPerUserDay, `${row.UserName}|${day}`, row.AppName);
        add(appsPerUser, row.UserName, row.AppName);
        add(streamsPerUser, row.UserName, row.StreamName);
        add(usersPerDay, day, row.UserName);
    }
    const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);
    const perUserDay = sorted([...appsPerUserDay.values()].map(s => s.size));
    const quantile = (values: number[], q: number) => values[Math.floor(q * (values.length - 1))] ?? NaN;
    assert.ok(quantile(perUserDay, 0.5) <= 8, `median distinct apps per user and day: ${quantile(perUserDay, 0.5)}`);
    assert.ok((perUserDay[perUserDay.length - 1] ?? 0) <= 25, `most distinct apps of a user in a day: ${perUserDay[perUserDay.length - 1]}`);
    const perUser = sorted([...appsPerUser.values()].map(s => s.size));
    assert.ok((perUser[perUser.length - 1] ?? 0) <= 40, `most distinct apps of a user in 14 days: ${perUser[perUser.length - 1]}`);
    assert.ok(quantile(perUser, 0.5) <= 15, `median distinct apps of a user in 14 days: ${quantile(perUser, 0.5)}`);
    const streams = [...streamsPerUser.values()].map(s => s.size);
    assert.ok(Math.max(...streams) <= 2, "a department stream, plus a firewall or proxy stream for some");
    assert.ok(streams.filter(n => n === 2).length > streams.length * 0.3 && streams.filter(n => n === 1).length > streams.length * 0.2, "both kinds of users exist");
    const weekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const days = [...recordsPerDay.keys()];
    assert.equal(days.length, 14);
    const weekdayRecords = mean(days.filter(d => !weekend(d)).map(d => recordsPerDay.get(d) ?? 0));
    const weekendRecords = mean(days.filter(weekend).map(d => recordsPerDay.get(d) ?? 0));
    assert.ok(weekdayRecords > 2.5 * weekendRecords, `records per working day ${weekdayRecords} vs weekend day ${weekendRecords}`);
    const weekdayUsers = mean(days.filter(d => !weekend(d)).map(d => usersPerDay.get(d)?.size ?? 0));
    const weekendUsers = mean(days.filter(weekend).map(d => usersPerDay.get(d)?.size ?? 0));
    assert.ok(weekdayUsers > 400 && weekendUsers < weekdayUsers / 3, `active users per working day ${weekdayUsers} vs weekend day ${weekendUsers}`);
    const records = new Map<string, number>();
    for (const row of rows) if (row.UserName !== "") records.set(row.UserName, (records.get(row.UserName) ?? 0) + 1);
    // The heaviest user's many records a day (sessions, devices; office, VPN and home addresses) stay on few apps.
    const top = [...records.entries()].sort((a, b) => b[1] - a[1])[0];
    assert.ok(top);
    const topDays = [...appsPerUserDay.entries()].filter(([key]) => key.startsWith(`${top[0]}|`)).map(([, apps]) => apps.size);
    assert.ok(top[1] / 14 > 10 * Math.max(...topDays), `the heaviest user's ${top[1]} records spread over at most ${Math.max(...topDays)} apps a day`);
});

test("SecurityAlert and SigninLogs: schema shape, proportional counts, same users and range", () => {
    const options = { rows: 10_000, days: 14, end: END, seed: 3 };
    const upns = new Set([...mcasRows(options)].map(r => r.UserName).filter(u => u !== ""));
    const alerts = [...securityAlertRows(options)];
    const signins = [...signinRows(options)];
    assert.equal(alerts.length, alertCount(10_000, 14));
    assert.equal(alerts.length, 150);
    assert.equal(signins.length, signinCount(10_000));
    assert.equal(signins.length, 2000);
    const start = END.getTime() - 14 * DAY;
    let previous = 0;
    for (const alert of alerts) {
        assertSchemaShape(SECURITY_ALERT, alert as unknown as Record<string, unknown>);
        const t = alert.TimeGenerated.getTime();
        assert.ok(t >= start && t < END.getTime() && t >= previous);
        previous = t;
        assert.ok(alert.StartTime <= alert.EndTime && alert.EndTime.getTime() <= t);
        assert.ok(isGuid(alert.SystemAlertId));
        assert.doesNotThrow(() => JSON.parse(alert.Entities));
    }
    assert.ok(new Set(alerts.map(a => a.AlertSeverity)).size >= 3);
    assert.ok(new Set(alerts.map(a => a.SystemAlertId)).size === alerts.length, "alert IDs are unique");
    let failures = 0;
    previous = 0;
    for (const signin of signins) {
        assertSchemaShape(SIGNIN_LOGS, signin as unknown as Record<string, unknown>);
        const t = signin.TimeGenerated.getTime();
        assert.ok(t >= start && t < END.getTime() && t >= previous);
        previous = t;
        assert.ok(upns.has(signin.UserPrincipalName) || upns.size < 400, signin.UserPrincipalName);
        if (signin.ResultType !== "0") failures++;
    }
    assert.ok(failures > 0 && failures < signins.length * 0.2);
    const alertUsers = alerts.map(a => a.CompromisedEntity);
    assert.ok(alertUsers.filter(u => upns.has(u)).length > alerts.length * 0.9, "alerts are about the discovery data's users");
    const signinUsers = new Set(signins.map(s => s.UserPrincipalName));
    assert.ok([...signinUsers].filter(u => upns.has(u)).length > signinUsers.size * 0.9, "sign-ins are the discovery data's users");
});

test("options are validated", () => {
    assert.throws(() => take(mcasRows({ rows: -1 }), 1), RangeError);
    assert.throws(() => take(mcasRows({ rows: 1.5 }), 1), RangeError);
    assert.throws(() => take(mcasRows({ days: 0 }), 1), RangeError);
    assert.throws(() => take(mcasRows({ end: new Date("nope") }), 1), RangeError);
    assert.throws(() => take(signinRows({ seed: Number.NaN }), 1), RangeError);
});

test("memory does not grow with the row count (the generator streams)", () => {
    // A child with --expose-gc measures the heap after a full collection at 20k and at 200k per-source rows (with
    // their Global view rows in between).
    const sampleModule = join(__dirname, "..", "..", "src", "dataset", "sample", "index.ts");
    const script = `
        const { mcasRows } = require(${JSON.stringify(sampleModule)});
        const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
        const it = mcasRows({ rows: 200000, end: new Date("2026-11-01T00:00:00Z") });
        let n = 0, at20k = 0, bytes = 0;
        for (const row of it) {
            if (row.StreamName === "Global view") continue;
            n++; bytes += row.TotalBytes; if (n === 20000) at20k = heap();
        }
        process.stdout.write(JSON.stringify({ n, at20k, at200k: heap(), bytes }));`;
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "-e", script], { encoding: "utf8", timeout: 120_000 });
    assert.equal(child.status, 0, child.stderr);
    const { n, at20k, at200k } = JSON.parse(child.stdout) as { n: number; at20k: number; at200k: number };
    assert.equal(n, 200_000);
    assert.ok(at200k - at20k < 4 * 1024 * 1024, `heap grew by ${at200k - at20k} bytes from 20k to 200k rows`);
});

test("the Azure Monitor variant: the same records, AppId as text, the reference's extra columns filled, int values in 32 bits", () => {
    const defender = [...mcasRows({ seed: 11, rows: 20_000, end: END })];
    const variant = [...mcasAzureMonitorRows({ seed: 11, rows: 20_000, end: END })];
    assert.equal(variant.length, defender.length);
    const INT_MAX = 2 ** 31 - 1;
    let capped = 0;
    for (let i = 0; i < variant.length; i++) {
        const [d, v] = [defender[i], variant[i]];
        assert.deepEqual(Object.keys(v).sort(), MCAS_SHADOW_IT_REPORTING_AZURE_MONITOR.columns.map(c => c.name).sort());
        assert.equal(v.AppId, String(d.AppId));
        assert.equal(v.TimeGenerated.getTime(), d.TimeGenerated.getTime());
        assert.equal(v.StreamName, d.StreamName);
        assert.equal(v.AadTenantId, SAMPLE_AAD_TENANT_ID);
        assert.equal(v.Date.getTime(), Math.floor(d.TimeGenerated.getTime() / DAY) * DAY);
        for (const key of ["TotalEvents", "BlockedEvents", "UploadedBytes", "DownloadedBytes", "TotalBytes"] as const) {
            assert.ok(Number.isInteger(v[key]) && v[key] >= 0 && v[key] <= INT_MAX, `${key} ${v[key]}`);
            assert.equal(v[key], Math.min(INT_MAX, key === "TotalBytes" ? v.UploadedBytes + v.DownloadedBytes : d[key]));
        }
        if (d.TotalBytes > INT_MAX) capped++;
        const endpoint = d.StreamName === "Win10 Endpoint Users" && d.UserName !== "";
        assert.equal(/^[0-9a-f]{40}$/.test(v.MachineId), endpoint, `MachineId of a ${d.StreamName} record`);
        assert.equal(v.MachineName !== "", endpoint);
        assert.equal(v.RawUserName, d.UserName === "" ? "" : endpoint ? d.UserName : `CONTOSO\\${d.UserName.split("@")[0]}`);
    }
    assert.ok(capped > 0, "some bulk uploads exceed 32 bits and are capped");
    // One device per user, the same on every record.
    const devices = new Map<string, string>();
    for (const v of variant) if (v.MachineId !== "") assert.equal(devices.get(v.UserName) ?? (devices.set(v.UserName, v.MachineId), v.MachineId), v.MachineId);
    assert.ok(devices.size > 5);
});
