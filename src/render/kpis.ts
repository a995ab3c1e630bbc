import { Kpis } from "../model/types";
import { drawHtmlRows, HtmlRowWriter } from "./html-rows";
import { usersTexts } from "./distinct-count";
import { localizedPhrase } from "./phrases";
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
        add(id, strings.get(key), v.exact ? n : `≥ ${n}`, v.exact ? n : localizedPhrase(strings, "Visual_AtLeast")({ value: n }), "");
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
        const detail = up !== null && down !== null ? localizedPhrase(strings, "Visual_Kpi_TrafficDetail")({ up, down }) : "";
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
            ? localizedPhrase(strings, "Visual_Kpi_BlockedDetail")({ share, total: totalEvents })
            : "";
        const more = [];
        if (totalEvents !== null) more.push({ displayName: strings.get("Visual_Field_TotalEvents"), value: totalEvents });
        if (share !== null) more.push({ displayName: strings.get("Visual_Kpi_BlockedShare"), value: share });
        add("blocked", strings.get("Visual_Kpi_BlockedEvents"), n, n, detail, more);
    }
    const ai = kpis.aiApps;
    if (ai) {
        const n = format.count(ai.count);
        const users = usersTexts(ai.users, ctx);
        const uploaded = ai.uploaded === null ? null : format.bytes(ai.uploaded);
        const detail = [...(users !== null ? [users.phrase] : []), ...(uploaded !== null ? [strings.format("Visual_AiApps_Uploaded", { value: uploaded })] : [])].join(", ");
        const more = [];
        if (users !== null) more.push({ displayName: users.tooltipName, value: users.value });
        if (uploaded !== null) more.push({ displayName: strings.get("Visual_Uploaded"), value: uploaded });
        add("ai-apps", strings.get("Visual_Kpi_AiApps"), n, n, detail, more);
    }
    return tiles;
}

/** How many tiles `kpiTiles` makes, without formatting them (the layout needs only the count). */
export function kpiTileCount(kpis: Kpis): number {
    const traffic = kpis.totalBytes !== null || kpis.uploadedBytes !== null || kpis.downloadedBytes !== null;
    return [kpis.apps, kpis.users, kpis.ipAddresses, traffic ? true : null, kpis.blockedEvents, kpis.aiApps ?? null].filter(v => v !== null).length;
}

/**
 * Tile templates by value font size and tile, shared by every visual of the page: a tile's key and title (with its
 * native tooltip, for when it ends in an ellipsis) are the same in every render, so they come with the template.
 * Bounded: a few sizes and locales are ever in use.
 */
const tileTemplates = new Map<string, HTMLDivElement>();
const MAX_TEMPLATES = 16;

/** An empty tile: a list item mark with its key, its title, and value and detail lines with a text node to fill. */
function tileTemplate(valueFontSize: string, tile: TileMark): HTMLDivElement {
    const cacheKey = `${valueFontSize}|${tile.key}|${tile.title}`;
    let template = tileTemplates.get(cacheKey);
    if (template === undefined) {
        template = document.createElement("div");
        template.className = "shadowit-tile shadowit-mark";
        template.setAttribute("role", "listitem");
        template.setAttribute("tabindex", "-1");
        for (const className of ["shadowit-tile-title", "shadowit-tile-value", "shadowit-tile-detail"]) {
            const line = template.appendChild(document.createElement("div"));
            line.className = className;
            line.appendChild(document.createTextNode(""));
        }
        const [title, value] = Array.from(template.children) as HTMLElement[];
        title.firstChild!.nodeValue = tile.title;
        title.title = tile.title;
        value.style.fontSize = valueFontSize;
        if (tileTemplates.size >= MAX_TEMPLATES) tileTemplates.clear();
        tileTemplates.set(cacheKey, template);
    }
    return template;
}

/** Sets a line's text and its native tooltip (the line ends in an ellipsis when it does not fit). */
function writeLine(line: Element, slot: string, text: string, tooltip: string, write: HtmlRowWriter): void {
    write.text(line, slot, text);
    write.attr(line, `${slot}.title`, "title", tooltip === "" ? null : tooltip);
}

export function renderKpis(
    body: HTMLDivElement, kpis: Kpis, _box: Box, ctx: RenderContext,
): Mark[] {
    const tiles = kpiTiles(kpis, ctx);
    const container = body;
    let list = container.querySelector<HTMLDivElement>(":scope > div.shadowit-tiles");
    if (list === null) {
        list = container.appendChild(document.createElement("div"));
        list.className = "shadowit-tiles";
        list.setAttribute("role", "list");
    }
    const valueFontSize = `${Math.round(ctx.fontSize * 1.75)}px`;
    drawHtmlRows(list, tiles, tile => tileTemplate(valueFontSize, tile), (tile, d, _i, write) => {
        write.attr(tile, "row.label", "aria-label", d.ariaLabel);
        const lines = tile.children;
        writeLine(lines[1], "value", d.value, d.valueTitle, write);
        writeLine(lines[2], "detail", d.detail, d.detail, write);
    });
    return tiles;
}
