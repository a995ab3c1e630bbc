// The model's public API: DataView → DashboardModel, pure and synchronous (no DOM, no host).
export * from "./types";
export type { CategoryColumnInput, ColumnSourceInput, DataViewInput, RoleBinding, ValueColumnInput } from "./input";
export { bindRoles, GROUPING_ROLES, hasMoreSegments, MEASURE_ROLES, rowCountOf } from "./input";
export { accumulate, ModelAccumulator } from "./accumulator";
export type { Aggregates } from "./aggregates";
export { buildModel } from "./snapshot";
export type { DisplayLabels } from "./snapshot";
export { createModelState, foldDataView, noteOfState, updateModel } from "./update";
export type { FoldResult, ModelState, ModelUpdate, UpdateOptions } from "./update";
export { redrawsPanels } from "./progress";
export type { LoadingProgress } from "./progress";
export {
    effectiveRowCap, FONT_SIZE_DEFAULT, FONT_SIZE_MAX, FONT_SIZE_MIN, normalizeFontSize, normalizeRowCap,
    normalizeThresholds, normalizeTopN, shouldFetchMore, TOP_N_DEFAULT, TOP_N_MAX, TOP_N_MIN,
} from "./limits";
export { hasBytes, missingRoles } from "./requirements";
export { BLANK_KEY, isBlankValue, OTHER_KEY, truncateLabel, valueKey } from "./values";
export { visibleText } from "./visible-text";
