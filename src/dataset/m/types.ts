// How each Log Analytics column type becomes an M type and value. The generated M carries this mapping as
// functions, driven by the column types in each response (or the table schema for exported files), so a
// column the companion does not know still loads.
import type { LogAnalyticsType } from "../../schema.ts";

export const M_TYPE_OF: Readonly<Record<LogAnalyticsType, string>> = {
    string: "type text",
    int: "Int32.Type",
    long: "Int64.Type",
    real: "type number",
    datetime: "type datetimezone",
    bool: "type logical",
    guid: "type text",
    timespan: "type duration",
    dynamic: "type text",
    decimal: "Decimal.Type",
};

const CONVERTERS: Readonly<Record<LogAnalyticsType, string>> = {
    // Text from JSON or CSV, or a typed value from Parquet: everything in UTC.
    datetime: "(v) => if v = null or v = \"\" then null else if Value.Is(v, type datetimezone) then DateTimeZone.ToUtc(v) else if Value.Is(v, type datetime) then DateTime.AddZone(v, 0) else DateTimeZone.ToUtc(DateTimeZone.FromText(v))",
    int: "(v) => if v = null or v = \"\" then null else Int32.From(v, \"en-US\")",
    long: "(v) => if v = null or v = \"\" then null else Int64.From(v, \"en-US\")",
    real: "(v) => if v = null or v = \"\" then null else Number.From(v, \"en-US\")",
    decimal: "(v) => if v = null or v = \"\" then null else Decimal.From(v, \"en-US\")",
    bool: "(v) => if v = null or v = \"\" then null else if Value.Is(v, type logical) then v else Logical.From(v)",
    timespan: "(v) => if v = null or v = \"\" then null else if Value.Is(v, type duration) then v else Duration.From(v)",
    // dynamic values arrive JSON-encoded; anything already parsed is encoded back so the column stays text.
    dynamic: "(v) => if v = null then null else if Value.Is(v, type text) then v else Text.FromBinary(Json.FromValue(v), TextEncoding.Utf8)",
    string: "(v) => if v = null then null else if Value.Is(v, type text) then v else Text.From(v)",
    guid: "(v) => if v = null then null else if Value.Is(v, type text) then v else Text.From(v)",
};

const ORDER: readonly LogAnalyticsType[] = ["string", "int", "long", "real", "datetime", "bool", "guid", "timespan", "dynamic", "decimal"];

/** M steps defining `ColumnType(laType)` and `ColumnConverter(laType)`, for use inside a let expression. */
export function typeMappingSteps(indent: string): string[] {
    const typeCases = ORDER.map(t => `${indent}        ${mTypeCase(t, M_TYPE_OF[t])}`);
    const converterCases = ORDER.map(t => `${indent}        ${mTypeCase(t, `(${CONVERTERS[t]})`)}`);
    return [
        `${indent}// Log Analytics column type -> M type; a type this query does not know loads as it comes (any).`,
        `${indent}ColumnType = (laType as text) as type =>`,
        ...typeCases,
        `${indent}        type any,`,
        `${indent}// Log Analytics column type -> function turning a JSON, CSV or Parquet value into that M type.`,
        `${indent}ColumnConverter = (laType as text) as function =>`,
        ...converterCases,
        `${indent}        ((v) => v),`,
    ];
}

/**
 * M steps turning a checked query API response (`Checked`) into the table `Typed`: its first result table, each
 * column converted to the M type of its Log Analytics type.
 */
export function typedResultSteps(indent: string): string[] {
    return [
        `${indent}Result = Checked[tables]{0},`,
        ...typeMappingSteps(indent),
        `${indent}Columns = Result[columns],`,
        `${indent}Untyped = Table.FromRows(Result[rows], List.Transform(Columns, each [name])),`,
        `${indent}Typed = Table.TransformColumns(Untyped, List.Transform(Columns, each {[name], ColumnConverter([type]), ColumnType([type])})),`,
    ];
}

function mTypeCase(laType: LogAnalyticsType, expression: string): string {
    return `if laType = "${laType}" then ${expression} else`;
}
