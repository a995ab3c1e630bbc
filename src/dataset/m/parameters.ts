// The parameter queries: WorkspaceId, and RangeStart/RangeEnd that Power BI's incremental refresh drives.
import type { MQuery } from "./document.ts";
import { mDatetime, mText } from "./literals.ts";

export const WORKSPACE_PARAMETER = "WorkspaceId";
export const RANGE_START = "RangeStart";
export const RANGE_END = "RangeEnd";

export function workspaceParameter(workspaceId: string): MQuery {
    return {
        name: WORKSPACE_PARAMETER,
        description: "Parameter (Text): the Log Analytics workspace ID (Azure portal > Log Analytics workspace > Overview > Workspace ID).",
        expression: `${mText(workspaceId)} meta [IsParameterQuery = true, Type = "Text", IsParameterQueryRequired = true]`,
    };
}

export function rangeParameters(start: Date, end: Date): MQuery[] {
    const meta = "meta [IsParameterQuery = true, Type = \"DateTime\", IsParameterQueryRequired = true]";
    return [
        {
            name: RANGE_START,
            description: "Parameter (Date/Time, UTC): first instant loaded (inclusive). Incremental refresh sets it per partition.",
            expression: `${mDatetime(start)} ${meta}`,
        },
        {
            name: RANGE_END,
            description: "Parameter (Date/Time, UTC): end of the data loaded (exclusive). Incremental refresh sets it per partition.",
            expression: `${mDatetime(end)} ${meta}`,
        },
    ];
}

/** Default RangeEnd: the start of tomorrow (UTC), so that today's data is in; RangeStart `days` before it. */
export function defaultRange(days: number, now: Date): { start: Date; end: Date } {
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    return { start: new Date(end.getTime() - days * 86_400_000), end };
}

/**
 * The closing steps of a table query: the rows of `typed` from RangeStart (inclusive) to RangeEnd (exclusive), so
 * that incremental refresh partitions neither overlap nor leave a gap at their boundary.
 */
export function rangeFilterSteps(indent: string, typed: string): string[] {
    return [
        `${indent}// Incremental refresh: rows at RangeStart or later and before RangeEnd, no duplicate at the boundary.`,
        `${indent}Filtered = Table.SelectRows(${typed}, each [TimeGenerated] >= DateTime.AddZone(${RANGE_START}, 0) and [TimeGenerated] < DateTime.AddZone(${RANGE_END}, 0))`,
        "in",
        `${indent}Filtered`,
    ];
}
