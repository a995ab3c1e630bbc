import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LoadedRows, overlapRowsOf, SegmentDataView } from "../../src/model/segments.ts";

/** A categorical DataView of apps and their traffic, rows [from, to) of a fixed list, as a segment would carry them. */
function segment(from: number, to: number, options: { more?: boolean; mergeIndex?: number; on?: "table" | "categorical"; highlights?: boolean } = {}): SegmentDataView {
    const apps = ["Box", "Dropbox", "Gmail", "Slack", "Zoom", "Notion", "Miro", "Figma", "Trello", "Asana"];
    const rows = Array.from({ length: to - from }, (_, i) => from + i);
    const traffic = { source: { displayName: "Sum of TotalBytes", queryName: "Sum(T.TotalBytes)", roles: { TotalBytes: true } }, values: rows.map(r => (r + 1) * 100) } as {
        source: object; values: unknown[]; highlights?: unknown[];
    };
    if (options.highlights) traffic.highlights = rows.map(r => (r % 2 === 0 ? (r + 1) * 10 : null));
    const dataView = {
        metadata: options.more ? { segment: {} } : {},
        categorical: {
            categories: [{ source: { displayName: "AppName", queryName: "T.AppName", roles: { AppName: true } }, values: rows.map(r => apps[r]), identity: rows.map(r => ({ row: r })) }],
            values: [traffic],
        },
    } as unknown as SegmentDataView & { table?: object; categorical: { lastMergeIndex?: number } };
    if (options.mergeIndex !== undefined) {
        if (options.on === "table") (dataView as { table?: object }).table = { lastMergeIndex: options.mergeIndex };
        else dataView.categorical.lastMergeIndex = options.mergeIndex;
    }
    return dataView;
}

const column = (dataView: SegmentDataView, which: "categories" | "values") => dataView.categorical![which]![0];

describe("rows kept across incremental segments", () => {
    it("appends each segment past the rows it repeats (lastMergeIndex + 1), from either place", () => {
        assert.equal(overlapRowsOf(segment(0, 3)), 0);
        assert.equal(overlapRowsOf(segment(0, 3, { mergeIndex: 1 })), 2);
        assert.equal(overlapRowsOf(segment(0, 3, { mergeIndex: 0, on: "table" })), 1);
        assert.equal(overlapRowsOf(segment(0, 3, { mergeIndex: -1 })), 0, "a negative index repeats nothing");

        let loaded = LoadedRows.start(segment(0, 4, { more: true }));
        loaded = loaded.append(segment(2, 7, { more: true, mergeIndex: 1 }));
        loaded = loaded.append(segment(6, 10, { mergeIndex: 0, on: "table" }));
        assert.equal(loaded.rowCount, 10);
        assert.deepEqual(column(loaded.dataView, "values").values, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
        assert.deepEqual(column(loaded.dataView, "categories").identity, Array.from({ length: 10 }, (_, r) => ({ row: r })));
        assert.equal(loaded.dataView.metadata?.segment, undefined, "the last segment's marker (none) is taken");
    });

    it("never writes into the host's arrays, and gives a new DataView object per append", () => {
        const first = segment(0, 4, { more: true });
        const loaded = LoadedRows.start(first);
        assert.equal(loaded.dataView, first, "one window alone is not copied");
        const next = loaded.append(segment(4, 6));
        assert.equal(column(first, "values").values.length, 4);
        assert.notEqual(next.dataView, loaded.dataView);
        assert.equal(next.received === next.dataView, false);
    });

    it("keeps the formatting objects when a segment carries none, and takes the latest segment marker", () => {
        const first = segment(0, 3, { more: true });
        (first.metadata as { objects?: object }).objects = { format: { rowCap: 30000 } };
        const next = LoadedRows.start(first).append(segment(3, 6, { more: true })).append(segment(6, 8));
        assert.deepEqual((next.dataView.metadata as { objects?: object }).objects, { format: { rowCap: 30000 } });
        assert.equal(next.dataView.metadata?.segment, undefined);
    });

    it("keeps highlights row by row", () => {
        const loaded = LoadedRows.start(segment(0, 3, { more: true, highlights: true })).append(segment(2, 5, { highlights: true, mergeIndex: 0 }));
        assert.deepEqual(column(loaded.dataView, "values").highlights, [10, null, 30, null, 50]);
    });

    it("refuses a segment whose fields or highlight state differ", () => {
        const loaded = LoadedRows.start(segment(0, 3, { more: true }));
        assert.equal(loaded.accepts(segment(3, 6)), true);
        assert.equal(loaded.accepts(segment(3, 6, { highlights: true })), false);
        const renamed = segment(3, 6);
        (column(renamed, "categories") as unknown as { source: object }).source = { displayName: "AppCategory", queryName: "T.AppCategory", roles: { AppCategory: true } };
        assert.equal(loaded.accepts(renamed), false);
    });
});
