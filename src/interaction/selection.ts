import powerbi from "powerbi-visuals-api";
import { GROUPING_ROLES } from "../model/input";
import { GroupingRole, SelectionRef } from "../model/types";
import { valueKey } from "../model/values";
import { Mark } from "../render/types";
import {
    EMPTY_FILTER_STATE, FilterState, FilterTarget, FilterValue, filterTargetOf, filterValueKey, filterValueOf,
    jsonFiltersOf, sameFilterState, stateFromJsonFilters, toggleItem,
} from "./item-filter";
import DataView = powerbi.DataView;
import DataViewCategoryColumn = powerbi.DataViewCategoryColumn;
import ISelectionId = powerbi.visuals.ISelectionId;
import ISelectionManager = powerbi.extensibility.ISelectionManager;
import IVisualHost = powerbi.extensibility.visual.IVisualHost;

/** The filter property declared in capabilities.json (objects.general.filter, of type filter). */
const FILTER_OBJECT = "general";
const FILTER_PROPERTY = "filter";
/** powerbi.FilterAction, a const enum of the API: merge applies the filter, remove clears it. */
const FILTER_ACTION_MERGE = 0;
const FILTER_ACTION_REMOVE = 1;

/** Every row of the DataView that holds one value of a column, and each raw form of that value. */
interface ValueRows {
    readonly rows: number[];
    readonly values: Map<string, FilterValue>;
}

/** What a mark stands for, read from its representative rows alone (cheap: marks are compared on every render). */
interface MarkValues {
    readonly role: GroupingRole;
    readonly column: DataViewCategoryColumn;
    /** Keys of the item's values: the item counts as selected when the filter holds all of them. */
    readonly seenKeys: readonly string[];
}

/** The whole item, read from every row of the DataView: built on a click or a hover. */
export interface MarkItem extends MarkValues {
    /** The values a filter on the item names: every form its rows hold, and for a band every score of its range. */
    readonly values: ReadonlyMap<string, FilterValue>;
    /** Every row of the item in the current DataView, in row order. */
    readonly rows: readonly number[];
}

/**
 * The selection state of the dashboard's marks, kept as the visual's JSON filter in the host: a click filters the
 * rest of the report to every row of the item (see item-filter.ts), bookmarks hand the filter back in the update's
 * `jsonFilters`, and the marks show it. Report page tooltips and the context menu take selection IDs instead: those
 * are the identities of the item's rows in the current DataView.
 */
export class SelectionController {
    private refsByKey = new Map<string, SelectionRef>();
    private marks = new Map<string, MarkValues | null>();
    private items = new Map<string, MarkItem | null>();
    private identities = new Map<string, ISelectionId[]>();
    private rowIndex = new Map<GroupingRole, Map<string, ValueRows>>();
    private dataView: DataView | undefined;
    private state: FilterState = EMPTY_FILTER_STATE;
    /** Filters received from the host that name columns not bound yet: resolved when the DataView binds them. */
    private pendingFilters: readonly unknown[] | undefined;

    constructor(
        private readonly host: IVisualHost,
        private readonly manager: ISelectionManager,
        private readonly onChange: () => void,
    ) { }

    /** Maps the marks of a fresh render to their items in `dataView`; items are resolved on first use. */
    bind(dataView: DataView | undefined, marks: readonly Mark[]): void {
        if (dataView !== this.dataView) {
            this.rowIndex = new Map();
            this.dataView = dataView;
        }
        this.refsByKey = new Map();
        for (const mark of marks) if (mark.selection !== null) this.refsByKey.set(mark.key, mark.selection);
        this.marks = new Map();
        this.items = new Map();
        this.identities = new Map();
        if (this.pendingFilters !== undefined) this.receiveFilters(this.pendingFilters, dataView);
    }

    /**
     * Takes the filters of an update (`options.jsonFilters`: this visual's own filter, as the host keeps it, or a
     * bookmark's). Returns true when the selection changed. An update without `jsonFilters` keeps the state.
     */
    receiveFilters(filters: readonly unknown[] | undefined, dataView: DataView | undefined): boolean {
        if (filters === undefined) return false;
        const targets = this.targets(dataView);
        this.pendingFilters = filters.length > 0 && targets.size === 0 ? filters : undefined;
        const next = stateFromJsonFilters(filters, targets);
        if (sameFilterState(next, this.state)) return false;
        this.state = next;
        return true;
    }

    /** The DataView the marks were bound to. */
    get boundDataView(): DataView | undefined {
        return this.dataView;
    }

    /** Rows of a mark's item in the bound DataView; null for a mark of the whole data (a key figure). */
    rowsOf(key: string): readonly number[] | null {
        if (!this.refsByKey.has(key)) return null;
        return this.itemOf(key)?.rows ?? [];
    }

    hasSelection(): boolean {
        return this.state.size > 0;
    }

    isSelected(key: string): boolean {
        if (this.state.size === 0) return false;
        const mark = this.valuesOf(key);
        const selected = mark ? this.state.get(mark.role) : undefined;
        return mark !== null && selected !== undefined && mark.seenKeys.length > 0 && mark.seenKeys.every(k => selected.has(k));
    }

    /** The selection IDs of every row of the item in the current DataView: what report page tooltips filter by. */
    idsOf(key: string): ISelectionId[] {
        let ids = this.identities.get(key);
        if (ids === undefined) {
            const item = this.itemOf(key);
            ids = item ? item.rows.map(row => this.host.createSelectionIdBuilder().withCategory(item.column, row).createSelectionId()) : [];
            this.identities.set(key, ids);
        }
        return ids;
    }

    async select(key: string, multiSelect: boolean): Promise<void> {
        const item = this.itemOf(key);
        if (!item || item.values.size === 0) return;
        this.apply(toggleItem(this.state, item.role, item.values, item.seenKeys, multiSelect));
    }

    /** Makes the items of `keys` the whole selection (a Shift+click range), as one filter. */
    async selectAll(keys: readonly string[]): Promise<void> {
        let next: FilterState = EMPTY_FILTER_STATE;
        for (const key of keys) {
            const item = this.itemOf(key);
            if (item && item.values.size > 0) next = toggleItem(next, item.role, item.values, [], true);
        }
        if (next.size > 0) this.apply(next);
    }

    async clear(): Promise<void> {
        if (this.state.size === 0) return;
        this.apply(EMPTY_FILTER_STATE);
    }

    /**
     * The context menu takes one selection ID (ISelectionManager.showContextMenu), and a row's ID fixes every
     * grouping value of the row. An item that is one row gets the data-point menu with that row's ID; an item of
     * several rows gets the visual's menu, so that Include, Exclude and drill-through never act on one row of it
     * as if it were the whole item.
     */
    showContextMenu(key: string | null, position: { x: number; y: number }): void {
        const ids = key === null ? [] : this.idsOf(key);
        const target = ids.length === 1 ? ids[0] : ({} as ISelectionId);
        void this.manager.showContextMenu(target, position);
    }

    private apply(next: FilterState): void {
        this.state = next;
        const filters = jsonFiltersOf(next, this.targets(this.dataView), GROUPING_ROLES);
        if (filters.length === 0) {
            this.host.applyJsonFilter(null as unknown as powerbi.IFilter, FILTER_OBJECT, FILTER_PROPERTY, FILTER_ACTION_REMOVE);
        } else {
            this.host.applyJsonFilter(filters as unknown as powerbi.IFilter[], FILTER_OBJECT, FILTER_PROPERTY, FILTER_ACTION_MERGE);
        }
        this.onChange();
    }

    private targets(dataView: DataView | undefined): Map<GroupingRole, FilterTarget> {
        const targets = new Map<GroupingRole, FilterTarget>();
        for (const role of GROUPING_ROLES) {
            const target = filterTargetOf(this.columnOf(role, dataView)?.source);
            if (target) targets.set(role, target);
        }
        return targets;
    }

    private columnOf(role: GroupingRole, dataView: DataView | undefined): DataViewCategoryColumn | undefined {
        return (dataView?.categorical?.categories ?? []).find(c => c.source.roles?.[role] === true);
    }

    private valuesOf(key: string): MarkValues | null {
        if (this.marks.has(key)) return this.marks.get(key) ?? null;
        const ref = this.refsByKey.get(key);
        const column = ref ? this.columnOf(ref.role, this.dataView) : undefined;
        let values: MarkValues | null = null;
        if (ref && column) {
            const keys = new Set<string>();
            for (const row of ref.rows) {
                if (Number.isInteger(row) && row >= 0 && row < column.values.length) keys.add(filterValueKey(filterValueOf(column.values[row])));
            }
            values = { role: ref.role, column, seenKeys: [...keys] };
        }
        this.marks.set(key, values);
        return values;
    }

    private itemOf(key: string): MarkItem | null {
        if (this.items.has(key)) return this.items.get(key) ?? null;
        const ref = this.refsByKey.get(key);
        const mark = this.valuesOf(key);
        const item = ref && mark ? this.resolve(ref, mark) : null;
        this.items.set(key, item);
        return item;
    }

    /** The item of a mark: every row whose value has the key of one of the mark's representative rows. */
    private resolve(ref: SelectionRef, mark: MarkValues): MarkItem {
        const column = mark.column;
        const index = this.indexOf(ref.role, column);
        const values = new Map<string, FilterValue>();
        const groups: ValueRows[] = [];
        for (const row of ref.rows) {
            if (!Number.isInteger(row) || row < 0 || row >= column.values.length) continue;
            const group = index.get(valueKey(column.values[row]));
            if (group && !groups.includes(group)) groups.push(group);
        }
        for (const group of groups) for (const [k, v] of group.values) values.set(k, v);
        if (ref.scoreRange) {
            // Scores not loaded yet: AppScore is an integer 0-10, so the band's range names every score it can hold.
            const asText = column.values.length > 0 && typeof column.values.find(v => v !== null && v !== undefined) === "string";
            for (let score = Math.ceil(ref.scoreRange.min); score <= ref.scoreRange.max; score++) {
                const value: FilterValue = asText ? String(score) : score;
                values.set(filterValueKey(value), value);
            }
        }
        const rows = groups.length === 1 ? groups[0].rows : groups.flatMap(g => g.rows).sort((a, b) => a - b);
        return { ...mark, values, rows };
    }

    /** Rows per value of a role's column, built once per DataView and role, when a mark of the role is first used. */
    private indexOf(role: GroupingRole, column: DataViewCategoryColumn): Map<string, ValueRows> {
        let index = this.rowIndex.get(role);
        if (index) return index;
        index = new Map();
        const cells = column.values;
        for (let row = 0; row < cells.length; row++) {
            const raw = cells[row];
            const key = valueKey(raw);
            let group = index.get(key);
            if (!group) {
                group = { rows: [], values: new Map() };
                index.set(key, group);
            }
            group.rows.push(row);
            const value = filterValueOf(raw);
            const valueKeyOf = filterValueKey(value);
            if (!group.values.has(valueKeyOf)) group.values.set(valueKeyOf, value);
        }
        this.rowIndex.set(role, index);
        return index;
    }
}
