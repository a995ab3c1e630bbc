import { generateDiscoveryRows } from "./helpers/discovery-data";
import { buildDataView } from "./helpers/data-view";
import { ShadowItBuilder } from "./helpers/visual-builder";

// A file-sharing app name with a right-to-left override: "\u202Egnp.exe" would be drawn as "exe.png".
const SPOOFED = "\u202Egnp.exe";
const SHOWN = "<U+202E>gnp.exe";

describe("Shadow IT Discovery names with invisible formatting characters", () => {
    let builder: ShadowItBuilder;

    beforeEach(() => {
        const rows = generateDiscoveryRows().map((row, i) => i === 0
            ? { ...row, app: SPOOFED, stream: "Head\u2066Office", uploaded: 4e12, total: 4e12 + row.downloaded }
            : row);
        builder = new ShadowItBuilder({ width: 1100, height: 800 });
        builder.render(buildDataView(rows));
    });

    afterEach(() => builder.remove());

    it("draws the escapes in the top-apps table: text, aria-label and host tooltip", () => {
        const row = builder.marks("top-apps")[0];
        expect(row.getAttribute("aria-label")).toMatch(/^<U\+202E>gnp\.exe[ (:]/);
        expect(row.textContent).toContain(SHOWN);
        expect(row.textContent).not.toContain(SPOOFED);
        const show = spyOn(builder.host.tooltipService, "show");
        row.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, pointerType: "mouse", clientX: 10, clientY: 10 }));
        const items = show.calls.mostRecent().args[0].dataItems!.map(i => `${i.displayName}=${i.value}`);
        expect(items).toContain(`App name=${SHOWN}`);
    });

    it("draws the escape in the stream panel", () => {
        const labels = builder.scrolledLabels("stream-bytes");
        expect(labels.some(label => label.startsWith("Head<U+2066>Office: "))).toBeTrue();
        expect(builder.element.textContent).not.toContain("\u2066");
    });
});
