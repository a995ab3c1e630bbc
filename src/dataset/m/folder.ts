// The main query when Power BI reads the files written by `shadowit export`:
// <folder>/<workspaceId>/<table>/<yyyy-mm-dd>.parquet (or .csv with the Log Analytics portal's header).
import type { TableSchema } from "../../schema.ts";
import type { MQuery } from "./document.ts";
import { mText } from "./literals.ts";
import { RANGE_END, RANGE_START, rangeFilterSteps, WORKSPACE_PARAMETER } from "./parameters.ts";
import { typeMappingSteps } from "./types.ts";

/** The separator the folder path already uses: Windows paths keep backslashes, others slashes. */
export function pathSeparatorOf(folder: string): "\\" | "/" {
    return /^[A-Za-z]:/.test(folder) || folder.startsWith("\\\\") || (folder.includes("\\") && !folder.includes("/")) ? "\\" : "/";
}

/** `whole: true` reads every day file, for a table that incremental refresh does not drive (a dimension). */
export function folderQuery(table: TableSchema, folder: string, options: { whole?: boolean } = {}): MQuery {
    const i = "    ";
    const sep = pathSeparatorOf(folder);
    const root = folder.endsWith(sep) && folder.length > 1 ? folder.slice(0, -1) : folder;
    const schema = table.columns.map(c => `{${mText(c.name)}, ${mText(c.type)}}`).join(", ");
    const lines = [
        "let",
        `${i}// ${table.name} rows exported by shadowit, ${options.whole ? "all of them" : "for [RangeStart, RangeEnd) in UTC"}.`,
        `${i}Root = ${mText(root)},`,
        `${i}TableFolder = Root & ${mText(sep)} & ${WORKSPACE_PARAMETER} & ${mText(sep + table.name)},`,
        `${i}Files = Folder.Files(TableFolder),`,
        `${i}// Only finished day files (<yyyy-mm-dd>.parquet or .csv): temporary files of a running export are skipped.`,
        `${i}WithDay = Table.AddColumn(Files, "Day", each try Date.FromText(Text.BeforeDelimiter([Name], "."), [Format = "yyyy-MM-dd", Culture = "en-US"]) otherwise null),`,
        `${i}DayFiles = Table.SelectRows(WithDay, each [Day] <> null and List.Contains({".parquet", ".csv"}, Text.Lower([Extension])) and Text.Length([Name]) = 10 + Text.Length([Extension])),`,
        options.whole
            ? `${i}// Every day file: this table is read whole.`
            : `${i}// Read only the days that overlap the range, so each incremental refresh partition opens its own files.`,
        options.whole
            ? `${i}InRange = DayFiles,`
            : `${i}InRange = Table.SelectRows(DayFiles, each DateTime.From([Day]) < ${RANGE_END} and DateTime.From([Day]) + #duration(1, 0, 0, 0) > ${RANGE_START}),`,
        `${i}LoadFile = (content as binary, extension as text) as table =>`,
        `${i}    if Text.Lower(extension) = ".parquet" then Parquet.Document(content)`,
        `${i}    else Table.PromoteHeaders(Csv.Document(content, [Delimiter = ",", Encoding = 65001, QuoteStyle = QuoteStyle.Csv]), [PromoteAllScalars = true]),`,
        `${i}// The portal's CSV header names datetime columns "Name [UTC]".`,
        `${i}WithoutUtcSuffix = (t as table) as table => Table.RenameColumns(t, List.Transform(List.Select(Table.ColumnNames(t), each Text.EndsWith(_, " [UTC]")), each {_, Text.Start(_, Text.Length(_) - 6)})),`,
        `${i}Tables = List.Transform(Table.ToRecords(InRange), each WithoutUtcSuffix(LoadFile([Content], [Extension]))),`,
        `${i}// Column name and Log Analytics type of ${table.name}; columns not listed load as they are.`,
        `${i}Schema = {${schema}},`,
        `${i}Combined = if List.IsEmpty(Tables) then #table(List.Transform(Schema, each _{0}), {}) else Table.Combine(Tables),`,
        ...typeMappingSteps(i),
        `${i}Present = List.Select(Schema, each List.Contains(Table.ColumnNames(Combined), _{0})),`,
        `${i}Typed = Table.TransformColumns(Combined, List.Transform(Present, each {_{0}, ColumnConverter(_{1}), ColumnType(_{1})}))${options.whole ? "" : ","}`,
        ...(options.whole ? ["in", `${i}Typed`] : rangeFilterSteps(i, "Typed")),
    ];
    return {
        name: table.name,
        description: `The ${table.name} table from the export folder. Create it as a Blank Query, paste this into the\nAdvanced Editor and name it ${table.name}. Data source credentials: Windows (or Anonymous) for the folder.`,
        expression: lines.join("\n"),
    };
}
