import { Kpis } from "../model/types";
import { drawTemplateRows, RowWriter, setMarkAttributes } from "./rows";
import { AnySelection, ensureChild, setAttributeIfChanged } from "./shared";
import { Box, Mark, RenderContext } from "./types";

interface TileMark extends Mark {
    readonly title: string;
    readonly value: string;
    /** Full value text when `value` is abbreviated (a lower bound shown as "≥ n"). */
    readonly valueTitle: string;
    readonly detail: string;
}

/** The headline tiles that the bound fields allow, in reading order. */
export function kpiTiles(kpis: Kpis, ctx: RenderContext): TileMark[] {
    const { strings, format } = ctx;
    const tiles: TileMark[] = [];
    const add = (id: string, title: string, value: string, valueTitle: string, detail: string, more: Mark["tooltip"] = []) => {
        tiles.push({
            key: `kpis:${id}`,
            panel: "kpis",
            ariaLabel: detail ? `${title}: ${valueTitle}, ${detail}` : `${title}: ${valueTitle}`,
            selection: null,
            tooltip: [{ displayName: title, value: valueTitle }, ...more],
            title, value, valueTitle, detail,
        });
    };
    const distinct = (id: string, key: "Visual_Kpi_Users" | "Visual_Kpi_IpAddresses", v: Kpis["users"]) => {
        if (v === null) return;
        const n = format.count(v.value);
        add(id, strings.get(key), v.exact ? n : `≥ ${n}`, v.exact ? n : strings.format("Visual_AtLeast", { value: n }), "");
    };
    if (kpis.apps !== null) {
        const n = format.count(kpis.apps);
        add("apps", strings.get("Visual_Kpi_Apps"), n, n, "");
    }
    distinct("users", "Visual_Kpi_Users", kpis.users);
    distinct("ip-addresses", "Visual_Kpi_IpAddresses", kpis.ipAddresses);
    const total = kpis.totalBytes ?? (kpis.uploadedBytes !== null && kpis.downloadedBytes !== null
        ? kpis.uploadedBytes + kpis.downloadedBytes : null);
    if (total !== null || kpis.uploadedBytes !== null || kpis.downloadedBytes !== null) {
        const value = total === null ? "–" : format.bytes(total);
        const up = kpis.uploadedBytes === null ? null : format.bytes(kpis.uploadedBytes);
        const down = kpis.downloadedBytes === null ? null : format.bytes(kpis.downloadedBytes);
        const detail = up !== null && down !== null ? strings.format("Visual_Kpi_TrafficDetail", { up, down }) : "";
        const more = [];
        if (up !== null) more.push({ displayName: strings.get("Visual_Uploaded"), value: up });
        if (down !== null) more.push({ displayName: strings.get("Visual_Downloaded"), value: down });
        add("traffic", strings.get("Visual_Kpi_Traffic"), value, value, detail, more);
    }
    if (kpis.blockedEvents !== null) {
        const n = format.count(kpis.blockedEvents);
        const share = kpis.blockedShare === null ? null : format.share(kpis.blockedShare);
        const totalEvents = kpis.totalEvents === null ? null : format.count(kpis.totalEvents);
        const detail = share !== null && totalEvents !== null
            ? strings.format("Visual_Kpi_BlockedDetail", { share, total: totalEvents })
            : "";
        const more = [];
        if (totalEvents !== null) more.push({ displayName: strings.get("Visual_Field_TotalEvents"), value: totalEvents });
        if (share !== null) more.push({ displayName: strings.get("Visual_Kpi_BlockedShare"), value: share });
        add("blocked", strings.get("Visual_Kpi_BlockedEvents"), n, n, detail, more);
    }
    return tiles;
}

/** How many tiles `kpiTiles` makes, without formatting them (the layout needs only the count). */
export function kpiTileCount(kpis: Kpis): number {
    const traffic = kpis.totalBytes !== null || kpis.uploadedBytes !== null || kpis.downloadedBytes !== null;
    return [kpis.apps, kpis.users, kpis.ipAddresses, traffic ? true : null, kpis.blockedEvents].filter(v => v !== null).length;
}

/** Tile templates by value font size, shared by every visual of the page. */
const tileTemplates = new Map<string, HTMLDivElement>();

/** An empty tile: a list item mark with its title, value and detail lines, each with a text node to fill. */
function tileTemplate(valueFontSize: string): HTMLDivElement {
    let tile = tileTemplates.get(valueFontSize);
    if (tile === undefined) {
        tile = document.createElement("div");
        tile.className = "shadowit-tile shadowit-mark";
        tile.setAttribute("role", "listitem");
        tile.setAttribute("tabindex", "-1");
        for (const className of ["shadowit-tile-title", "shadowit-tile-value", "shadowit-tile-detail"]) {
            const line = tile.appendChild(document.createElement("div"));
            line.className = className;
            line.appendChild(document.createTextNode(""));
        }
        (tile.children[1] as HTMLElement).style.fontSize = valueFontSize;
        if (tileTemplates.size >= 8) tileTemplates.clear();
        tileTemplates.set(valueFontSize, tile);
    }
    return tile;
}

/** Writer slots of a tile's lines: the text and the native tooltip of each. */
const LINE_SLOTS = ["title", "value", "detail"].map(line => ({ text: line, tooltip: `${line}.title` }));

/** Sets a line's text and its native tooltip (the line ends in an ellipsis when it does not fit). */
function writeLine(line: Element, index: number, text: string, tooltip: string, write: RowWriter): void {
    const slots = LINE_SLOTS[index];
    write.text(line, slots.text, text);
    write.attr(line, slots.tooltip, "title", tooltip);
}

export function renderKpis(
    body: AnySelection<HTMLDivElement, unknown>, kpis: Kpis, _box: Box, ctx: RenderContext,
): Mark[] {
    const tiles = kpiTiles(kpis, ctx);
    const list = ensureChild<HTMLDivElement, HTMLDivElement>(body, "div", "shadowit-tiles");
    setAttributeIfChanged(list.node()!, "role", "list");
    const valueFontSize = `${Math.round(ctx.fontSize * 1.75)}px`;
    const template = tileTemplate(valueFontSize);
    drawTemplateRows(list, "div.shadowit-tile", tiles, template, (tile, d, _i, write) => {
        setMarkAttributes(tile, d, write);
        const [title, value, detail] = Array.from(tile.children) as HTMLElement[];
        // The value's font size comes with the template: a tile of another size gets the new template's lines.
        writeLine(title, 0, d.title, d.title, write);
        writeLine(value, 1, d.value, d.valueTitle, write);
        writeLine(detail, 2, d.detail, d.detail, write);
    });
    return tiles;
}
