import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dayFromParts, isoDay } from "../../src/model/days.ts";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, DashboardSettings, RoleName } from "../../src/model/types.ts";
import { MAX_LABEL_LENGTH } from "../../src/model/types.ts";
import type { TopUsers } from "../../src/panels/top-users/model.ts";
import { buildDataView, DiscoveryRow, generateRows, LABELS, settingsWith } from "./builder.ts";

const TODAY = dayFromParts(2026, 3, 2)!;
const MB = 1_000_000;
const ROLES: readonly RoleName[] = [
    "AppName", "AppScore", "AppTags", "StreamName", "TimeGenerated", "UserName", "UploadedBytes", "DownloadedBytes", "BlockedEvents",
];

function localDate(day: number): Date {
    const [y, m, d] = isoDay(day).split("-").map(Number);
    return new Date(y, m - 1, d);
}

/** Ordinary users over a week, and Adele, who uploads 600 MB a day to Pastebin (score 2, unsanctioned) on two days. */
function rows(): DiscoveryRow[] {
    const base = generateRows(300, 9).map((row, i) => ({
        ...row, UploadedBytes: Math.min(row.UploadedBytes as number, 40 * MB), TimeGenerated: localDate(TODAY - (i % 7)), UserName: `user${i % 12}@contoso.com`,
    }));
    const pastebin = base.find(r => r.AppName === "Pastebin")!;
    const adele = (day: number, up: number): DiscoveryRow => ({ ...pastebin, UserName: "adele@contoso.com", TimeGenerated: localDate(day), UploadedBytes: up, DownloadedBytes: 1000 });
    return [...base, adele(TODAY - 1, 300 * MB), adele(TODAY - 1, 300 * MB), adele(TODAY - 3, 601 * MB), adele(TODAY - 5, 499 * MB)];
}

function topUsersOf(data: readonly DiscoveryRow[], settings: Partial<DashboardSettings> = {}, roles = ROLES): TopUsers {
    const model: DashboardModel = updateModel(undefined, buildDataView(data, { roles }), settingsWith(settings), LABELS, { isAppend: false }).model;
    const panel = model.panels["top-users"];
    if (panel.status !== "ready") throw new Error(`top-users is missing ${panel.missing.join(", ")}`);
    return panel.data;
}

describe("top users", () => {
    const data = rows();

    it("names the fields it misses", () => {
        const missing = (roles: readonly RoleName[]) => updateModel(undefined, buildDataView(data, { roles }), settingsWith(), LABELS, { isAppend: false }).model.panels["top-users"];
        assert.deepEqual(missing(["AppName", "TotalBytes"]), { status: "missing", missing: ["UserName", "UploadedBytes"] });
        assert.deepEqual(missing(["IpAddress", "TotalBytes"]), { status: "missing", missing: ["UploadedBytes"] });
    });

    it("ranks users by upload, with their traffic to high-risk and unsanctioned apps and blocked events", () => {
        const top = topUsersOf(data);
        assert.equal(top.kind, "user");
        const byUser = new Map<string, DiscoveryRow[]>();
        for (const row of data) byUser.set(row.UserName as string, [...(byUser.get(row.UserName as string) ?? []), row]);
        assert.equal(top.count, byUser.size);
        const expected = [...byUser.entries()].map(([name, r]) => ({
            name, up: r.reduce((s, x) => s + (x.UploadedBytes as number), 0),
            high: r.filter(x => (x.AppScore as number) <= 3).reduce((s, x) => s + (x.UploadedBytes as number) + (x.DownloadedBytes as number), 0),
            unsanctioned: r.filter(x => String(x.AppTags).includes("unsanctioned")).reduce((s, x) => s + (x.UploadedBytes as number) + (x.DownloadedBytes as number), 0),
            blocked: r.reduce((s, x) => s + (x.BlockedEvents as number), 0),
        })).sort((a, b) => b.up - a.up || (a.name < b.name ? -1 : 1)).slice(0, 10);
        assert.deepEqual(top.people.map(p => [p.label.text, p.uploaded, p.toHighRisk, p.toUnsanctioned, p.blocked]),
            expected.map(e => [e.name, e.up, e.high, e.unsanctioned, e.blocked]));
        assert.equal(data[top.people[0].selection.rows[0]].UserName, top.people[0].label.text);
        assert.equal(top.people[0].selection.role, "UserName");
    });

    it("flags the days whose upload to risky or unsanctioned apps exceeds the threshold", () => {
        const adele = topUsersOf(data).people.find(p => p.label.text === "adele@contoso.com")!;
        // 600 MB on one day (two rows), 601 MB on another; 499 MB is under 500 MB.
        assert.deepEqual([adele.flaggedDays, adele.largestRiskyDay], [2, 601 * MB]);
        assert.ok(topUsersOf(data).people.filter(p => p.label.text !== "adele@contoso.com").every(p => p.flaggedDays === 0));
        const strict = topUsersOf(data, { topUsers: { count: 10, dailyUploadMb: 400, medianFactor: 0 } }).people.find(p => p.label.text === "adele@contoso.com")!;
        assert.equal(strict.flaggedDays, 3);
        const withoutTime = topUsersOf(data, {}, ROLES.filter(r => r !== "TimeGenerated")).people.find(p => p.label.text === "adele@contoso.com")!;
        assert.deepEqual([withoutTime.flaggedDays, withoutTime.largestRiskyDay], [null, null], "no flag can be told without days");
    });

    it("flags, as an option, the people whose upload is at least a factor times the median person's", () => {
        const uploads = new Map<string, number>();
        for (const row of data) uploads.set(row.UserName as string, (uploads.get(row.UserName as string) ?? 0) + (row.UploadedBytes as number));
        const sorted = [...uploads.values()].sort((a, b) => a - b);
        const median = sorted[Math.floor((sorted.length - 1) / 2)];
        const off = topUsersOf(data);
        assert.equal(off.medianUpload, median);
        assert.ok(off.people.every(p => !p.aboveMedian), "off by default");
        for (const factor of [2, 5]) {
            const top = topUsersOf(data, { topUsers: { count: 50, dailyUploadMb: 500, medianFactor: factor } });
            assert.deepEqual(top.people.filter(p => p.aboveMedian).map(p => p.label.text).sort(),
                [...uploads.entries()].filter(([, up]) => up >= factor * median).map(([name]) => name).sort(), `factor ${factor}`);
        }
        assert.ok(topUsersOf(data, { topUsers: { count: 50, dailyUploadMb: 500, medianFactor: 2 } }).people.some(p => p.aboveMedian));
    });

    it("ranks IP addresses without UserName, and keeps empty, huge and hostile names apart", () => {
        const hostile = "<script>alert(1)</script>\u202Egnp.exe";
        const odd = [
            { ...data[0], UserName: "", IpAddress: "10.0.0.1", UploadedBytes: 5000 * MB },
            { ...data[1], UserName: "x".repeat(10_000), IpAddress: "10.0.0.2", UploadedBytes: 4000 * MB },
            { ...data[2], UserName: hostile, IpAddress: "10.0.0.3", UploadedBytes: 3000 * MB },
        ];
        const top = topUsersOf([...data, ...odd]);
        assert.deepEqual(top.people.slice(0, 3).map(p => [p.label.text.length, p.label.isBlank]), [
            ["(Blank)".length, true], [MAX_LABEL_LENGTH, false], ["<script>alert(1)</script><U+202E>gnp.exe".length, false],
        ]);
        const ips = topUsersOf([...data.map(r => ({ ...r, IpAddress: "10.1.1.1" })), ...odd], {}, [...ROLES.filter(r => r !== "UserName"), "IpAddress"]);
        assert.equal(ips.kind, "ip");
        assert.deepEqual(ips.people.slice(0, 3).map(p => p.label.text), ["10.1.1.1", "10.0.0.1", "10.0.0.2"]);
        assert.equal(ips.people[0].selection.role, "IpAddress");
    });
});

describe("the key figures' users with User name bound", () => {
    it("count the distinct non-blank user names exactly, whatever the per-row Users values say", () => {
        const data = [...rows(), { ...rows()[0], UserName: "" }, { ...rows()[0], UserName: null }];
        const names = new Set(data.map(r => r.UserName).filter(name => typeof name === "string" && name !== ""));
        const withUsers: readonly RoleName[] = [...ROLES, "Users"];
        const model = updateModel(undefined, buildDataView(data.map(r => ({ ...r, Users: 1 })), { roles: withUsers }), settingsWith({}), LABELS, { isAppend: false }).model;
        const kpis = model.panels.kpis;
        assert.equal(kpis.status, "ready");
        if (kpis.status !== "ready") return;
        assert.deepEqual(kpis.data.users, { value: names.size, exact: true });
        // Without the Users measure the names still give the count.
        const plain = updateModel(undefined, buildDataView(data, { roles: ROLES }), settingsWith({}), LABELS, { isAppend: false }).model.panels.kpis;
        assert.deepEqual(plain.status === "ready" ? plain.data.users : null, { value: names.size, exact: true });
    });
});
