import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { updateModel } from "../../src/model/index.ts";
import type { DashboardModel, RoleName } from "../../src/model/types.ts";
import { ALL_ROLES, buildDataView, generateRows, LABELS, settingsWith } from "./builder.ts";

const rows = generateRows(200, 5);

function modelWith(roles: readonly RoleName[]): DashboardModel {
    return updateModel(undefined, buildDataView(rows, { roles }), settingsWith(), LABELS, { isAppend: false }).model;
}

function missingOf(model: DashboardModel) {
    const of = (panel: { status: string; missing?: readonly RoleName[] }) => (panel.status === "missing" ? panel.missing : "ready");
    return {
        kpis: of(model.kpis),
        categoryTraffic: of(model.categoryTraffic),
        riskBands: of(model.riskBands),
        streamBytes: of(model.streamBytes),
    };
}

describe("panels name the fields to add", () => {
    it("asks for everything when nothing is bound, and reads no rows", () => {
        const model = modelWith([]);
        assert.equal(model.boundRoles.size, 0);
        assert.deepEqual(missingOf(model), {
            kpis: ["TotalBytes"],
            categoryTraffic: ["AppCategory", "TotalBytes"],
            riskBands: ["AppScore", "TotalBytes"],
            streamBytes: ["StreamName", "UploadedBytes", "DownloadedBytes"],
        });
        assert.equal(model.note.rowsRead, 0);
    });

    it("treats an empty DataView (no categorical) like nothing bound", () => {
        const model = updateModel(undefined, { metadata: {} }, settingsWith(), LABELS, { isAppend: false }).model;
        assert.equal(model.kpis.status, "missing");
        assert.equal(updateModel(undefined, undefined, settingsWith(), LABELS, { isAppend: false }).model.note.rowsRead, 0);
    });

    const cases: Array<[string, RoleName[], ReturnType<typeof missingOf>]> = [
        ["all roles", [...ALL_ROLES], { kpis: "ready", categoryTraffic: "ready", riskBands: "ready", streamBytes: "ready" }],
        ["groupings only", ["AppCategory", "StreamName", "AppScore", "AppTags"], {
            kpis: ["TotalBytes"], categoryTraffic: ["TotalBytes"], riskBands: ["TotalBytes"],
            streamBytes: ["UploadedBytes", "DownloadedBytes"],
        }],
        ["AppName alone counts apps", ["AppName"], {
            kpis: "ready", categoryTraffic: ["AppCategory", "TotalBytes"], riskBands: ["AppScore", "TotalBytes"],
            streamBytes: ["StreamName", "UploadedBytes", "DownloadedBytes"],
        }],
        ["category and total", ["AppCategory", "TotalBytes"], {
            kpis: "ready", categoryTraffic: "ready", riskBands: ["AppScore"],
            streamBytes: ["StreamName", "UploadedBytes", "DownloadedBytes"],
        }],
        ["upload and download stand in for the total", ["AppCategory", "AppScore", "StreamName", "UploadedBytes", "DownloadedBytes"], {
            kpis: "ready", categoryTraffic: "ready", riskBands: "ready", streamBytes: "ready",
        }],
        ["upload alone is not a total", ["AppCategory", "AppScore", "StreamName", "UploadedBytes"], {
            kpis: "ready", categoryTraffic: ["TotalBytes"], riskBands: ["TotalBytes"], streamBytes: ["DownloadedBytes"],
        }],
        ["events only", ["TotalEvents", "BlockedEvents"], {
            kpis: "ready", categoryTraffic: ["AppCategory", "TotalBytes"], riskBands: ["AppScore", "TotalBytes"],
            streamBytes: ["StreamName", "UploadedBytes", "DownloadedBytes"],
        }],
    ];
    for (const [name, roles, expected] of cases) {
        it(name, () => {
            const model = modelWith(roles);
            assert.deepEqual(missingOf(model), expected);
            assert.deepEqual([...model.boundRoles].sort(), [...roles].sort());
        });
    }

    it("fills only the KPIs whose fields are bound", () => {
        const model = modelWith(["TotalEvents", "BlockedEvents"]);
        assert.equal(model.kpis.status, "ready");
        if (model.kpis.status !== "ready") return;
        const kpis = model.kpis.data;
        assert.equal(kpis.apps, null);
        assert.equal(kpis.totalBytes, null);
        assert.equal(kpis.uploadedBytes, null);
        assert.equal(kpis.users, null);
        assert.equal(kpis.ipAddresses, null);
        assert.ok(kpis.totalEvents !== null && kpis.totalEvents > 0);
        assert.ok(kpis.blockedShare !== null && kpis.blockedShare >= 0 && kpis.blockedShare <= 1);
    });
});
