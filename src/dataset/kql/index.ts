export { rawQuery, schemaProbeQuery, countByBinQuery, lateRowsByDayQuery, aggregateQuery, AGGREGATE_GRAINS } from "./builders.ts";
export type { TimeWindow, WindowExpressions, QueryWindow, BinSize, AggregateGrain } from "./builders.ts";
export { kqlDatetime, kqlString, kqlIdentifier } from "./literals.ts";
export { resolveTable, SUPPORTED_TABLE_NAMES } from "./tables.ts";
export type { SupportedTableName } from "./tables.ts";
