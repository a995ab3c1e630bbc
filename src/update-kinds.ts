// powerbi-visuals-api declares VisualUpdateType and VisualDataChangeOperationKind as const enums, which do not
// exist at run time without full type information: these are their values, as the API defines them.

/** VisualUpdateType: bit flags. */
export const UpdateType = { Data: 2, Resize: 4, ViewMode: 8, Style: 16, ResizeEnd: 32, All: 62 } as const;

/** VisualDataChangeOperationKind: a new query, rows appended by fetchMoreData(true), or a segment of fetchMoreData(false). */
export const OperationKind = { Create: 0, Append: 1, Segment: 2 } as const;
