import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel } from "../../src/model/index.ts";
import type { RoleName, TopApps } from "../../src/model/types.ts";
import { buildDataView, DiscoveryRow, GROUPINGS, LABELS, MEASURES, settingsWith } from "./builder.ts";

const ROLES: readonly RoleName[] = [...GROUPINGS, ...MEASURES, "AppId"];

function row(app: string, stream: string, total: number, appId: unknown): DiscoveryRow {
    return {
        AppCategory: "Cloud storage", AppName: app, StreamName: stream, AppScore: 5, AppTags: null,
        UploadedBytes: total / 2, DownloadedBytes: total / 2, TotalBytes: total, TotalEvents: 1, BlockedEvents: 0,
        Users: 1, IpAddresses: 1, AppId: appId,
    };
}

function topApps(rows: readonly DiscoveryRow[], roles = ROLES): TopApps {
    const panel = updateModel(undefined, buildDataView(rows, { roles }), settingsWith(), LABELS, { isAppend: false }).model.panels["top-apps"];
    assert.equal(panel.status, "ready");
    return (panel as { data: TopApps }).data;
}

describe("AppId of the top apps", () => {
    it("is the first valid AppId of an app's rows, as digits, in each scope", () => {
        const apps = topApps([
            row("Dropbox", "Engineering", 500, null),
            row("Dropbox", "Legal", 400, "12;javascript:"),
            row("Dropbox", "Marketing", 300, 11161),
            row("Box", "Engineering", 200, " 11770 "),
            row("Mega", "Engineering", 100, "abc"),
            // The Global view's rows are the top apps' scope when it stands beside other streams.
            row("Dropbox", "Global view", 1200, 11161),
            row("Box", "Global view", 200, "11770"),
            row("Mega", "Global view", 100, 99_999_999_999),
        ]);
        assert.deepEqual(apps.apps.map(app => [app.label.text, app.appId]), [["Dropbox", "11161"], ["Box", "11770"], ["Mega", null]]);
    });

    it("is null for every app while AppId is unbound", () => {
        const apps = topApps([row("Dropbox", "Engineering", 500, 11161)], [...GROUPINGS, ...MEASURES]);
        assert.equal(apps.apps[0].appId, null);
    });
});
