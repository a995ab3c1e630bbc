/*
 * The columns of a Power BI categorical DataView that the model reads, as structural types (input.ts has the
 * DataView around them): apart, so that modules reading one column need not import the role binding.
 */

export interface ColumnSourceInput {
    readonly displayName: string;
    readonly queryName?: string;
    readonly index?: number;
    readonly roles?: { readonly [role: string]: boolean | undefined };
    readonly aggregates?: { readonly subtotal?: unknown };
    /** The field's semantic query expression; an implicit summarization is `{ _kind: 4, func, arg }` (summarization.ts). */
    readonly expr?: unknown;
}

export interface CategoryColumnInput {
    readonly source: ColumnSourceInput;
    readonly values: readonly unknown[];
}

export interface ValueColumnInput {
    readonly source: ColumnSourceInput;
    readonly values: readonly unknown[];
    readonly highlights?: readonly unknown[] | null;
    /** Grand total of the measure (DataViewColumnAggregates), when the host provides it. */
    readonly subtotal?: unknown;
}
