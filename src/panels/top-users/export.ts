import type { CsvCell, CsvTable } from "../../export/csv";
import type { RenderContext } from "../../render/types";
import { TopUsers } from "./model";

/**
 * The top users as a downloaded table: the panel's order, its formatted values, and the bytes as plain numbers
 * beside them (a spreadsheet can sum those). Columns for fields that are not bound are left out, as on screen.
 */
export function topUsersTable(data: TopUsers, ctx: RenderContext): CsvTable {
    const { strings, format } = ctx;
    const first = data.people[0];
    const columns: string[] = [
        strings.get("Visual_Export_Rank"),
        strings.get(data.kind === "user" ? "Visual_Field_UserName" : "Visual_Field_IpAddress"),
        strings.get("Visual_Uploaded"), bytesTitle(ctx, "Visual_Uploaded"),
        strings.get("Visual_Downloaded"), bytesTitle(ctx, "Visual_Downloaded"),
    ];
    const withHighRisk = first?.toHighRisk != null;
    const withUnsanctioned = first?.toUnsanctioned != null;
    const withBlocked = first?.blocked != null;
    const withFlag = data.people.some(person => person.flaggedDays !== null) || data.medianFactor > 0;
    if (withHighRisk) columns.push(strings.get("Visual_Risk_High"), bytesTitle(ctx, "Visual_Risk_High"));
    if (withUnsanctioned) columns.push(strings.get("Visual_Tag_Unsanctioned"), bytesTitle(ctx, "Visual_Tag_Unsanctioned"));
    if (withBlocked) columns.push(strings.get("Visual_Field_BlockedEvents"));
    if (withFlag) columns.push(strings.get("Visual_TopUsers_Flag"));
    const limit = format.bytes(data.thresholdBytes);
    const rows = data.people.map((person, index) => {
        const row: CsvCell[] = [
            index + 1, person.label.text,
            format.bytes(person.uploaded), person.uploaded, format.bytes(person.downloaded), person.downloaded,
        ];
        if (withHighRisk) row.push(format.bytes(person.toHighRisk ?? 0), person.toHighRisk);
        if (withUnsanctioned) row.push(format.bytes(person.toUnsanctioned ?? 0), person.toUnsanctioned);
        if (withBlocked) row.push(person.blocked === null ? null : format.count(person.blocked));
        if (withFlag) {
            const flags: string[] = [];
            const days = person.flaggedDays ?? 0;
            if (days > 0) {
                flags.push(days === 1 ? strings.format("Visual_TopUsers_FlaggedOne", { limit })
                    : strings.format("Visual_TopUsers_Flagged", { limit, days: format.count(days) }));
            }
            if (person.aboveMedian) {
                flags.push(strings.format("Visual_TopUsers_AboveMedian", { factor: format.count(data.medianFactor), median: format.bytes(data.medianUpload) }));
            }
            row.push(flags.join("; "));
        }
        return row;
    });
    return { columns, rows };
}

function bytesTitle(ctx: RenderContext, key: "Visual_Uploaded" | "Visual_Downloaded" | "Visual_Risk_High" | "Visual_Tag_Unsanctioned"): string {
    return ctx.strings.format("Visual_Export_Bytes", { field: ctx.strings.get(key) });
}
