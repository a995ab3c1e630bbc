import { Kpis } from "../model/types";
import { AnySelection, applyMarkAttributes, ensureChild } from "./shared";
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
        const detail = kpis.uploadedBytes !== null && kpis.downloadedBytes !== null
            ? strings.format("Visual_Kpi_TrafficDetail", { up: format.bytes(kpis.uploadedBytes), down: format.bytes(kpis.downloadedBytes) })
            : "";
        const more = [];
        if (kpis.uploadedBytes !== null) more.push({ displayName: strings.get("Visual_Uploaded"), value: format.bytes(kpis.uploadedBytes) });
        if (kpis.downloadedBytes !== null) more.push({ displayName: strings.get("Visual_Downloaded"), value: format.bytes(kpis.downloadedBytes) });
        add("traffic", strings.get("Visual_Kpi_Traffic"), value, value, detail, more);
    }
    if (kpis.blockedEvents !== null) {
        const n = format.count(kpis.blockedEvents);
        const detail = kpis.blockedShare !== null && kpis.totalEvents !== null
            ? strings.format("Visual_Kpi_BlockedDetail", { share: format.share(kpis.blockedShare), total: format.count(kpis.totalEvents) })
            : "";
        const more = [];
        if (kpis.totalEvents !== null) more.push({ displayName: strings.get("Visual_Field_TotalEvents"), value: format.count(kpis.totalEvents) });
        if (kpis.blockedShare !== null) more.push({ displayName: strings.get("Visual_Kpi_BlockedShare"), value: format.share(kpis.blockedShare) });
        add("blocked", strings.get("Visual_Kpi_BlockedEvents"), n, n, detail, more);
    }
    return tiles;
}

export function renderKpis(
    body: AnySelection<HTMLDivElement, unknown>, kpis: Kpis, _box: Box, ctx: RenderContext,
): Mark[] {
    const tiles = kpiTiles(kpis, ctx);
    const list = ensureChild<HTMLDivElement, HTMLDivElement>(body, "div", "shadowit-tiles")
        .attr("role", "list");
    const tile = list.selectAll<HTMLDivElement, TileMark>("div.shadowit-tile")
        .data(tiles, d => d.key)
        .join(enter => {
            const div = enter.append("div").attr("class", "shadowit-tile").attr("role", "listitem");
            div.append("div").attr("class", "shadowit-tile-title");
            div.append("div").attr("class", "shadowit-tile-value");
            div.append("div").attr("class", "shadowit-tile-detail");
            return div;
        });
    applyMarkAttributes(tile);
    tile.select(".shadowit-tile-title").text(d => d.title).attr("title", d => d.title);
    tile.select(".shadowit-tile-value").text(d => d.value).attr("title", d => d.valueTitle)
        .style("font-size", `${Math.round(ctx.fontSize * 1.75)}px`);
    tile.select(".shadowit-tile-detail").text(d => d.detail).attr("title", d => d.detail);
    return tiles;
}
