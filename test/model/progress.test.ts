import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { POWER_BI_ROW_CEILING, redrawsPanels, ROW_WINDOW } from "../../src/model";

/** The row counts at which the panels are drawn while `total` rows arrive in segments of one window. */
function drawnAt(total: number): number[] {
    const drawn: number[] = [];
    let rowsDrawn = 0;
    for (let rows = Math.min(ROW_WINDOW, total), first = true; ; rows = Math.min(total, rows + ROW_WINDOW), first = false) {
        const moreDataPending = rows < total;
        if (redrawsPanels({ rowsRead: rows, rowsDrawn, moreDataPending, isAppend: !first })) {
            drawn.push(rows);
            rowsDrawn = rows;
        }
        if (!moreDataPending) return drawn;
    }
}

describe("redrawing while segments load", () => {
    it("draws the first window, then each doubling, then the last segment", () => {
        assert.deepEqual(drawnAt(POWER_BI_ROW_CEILING), [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, POWER_BI_ROW_CEILING]);
        assert.deepEqual(drawnAt(104_858), [30_000, 60_000, 104_858]);
        assert.deepEqual(drawnAt(ROW_WINDOW), [ROW_WINDOW]);
    });

    it("always draws what is not an append to the rows drawn", () => {
        const progress = { rowsRead: 40_000, rowsDrawn: 30_000, moreDataPending: true };
        assert.equal(redrawsPanels({ ...progress, isAppend: true }), false);
        assert.equal(redrawsPanels({ ...progress, isAppend: false }), true, "a new query, filter, resize or settings change");
        assert.equal(redrawsPanels({ ...progress, isAppend: true, moreDataPending: false }), true, "loading has ended");
        assert.equal(redrawsPanels({ ...progress, isAppend: true, rowsDrawn: 0 }), true, "nothing drawn yet");
    });
});
