import powerbi from "powerbi-visuals-api";
import { SelectionRef } from "../model/types";
import { Mark } from "../render/types";
import DataView = powerbi.DataView;
import DataViewCategoryColumn = powerbi.DataViewCategoryColumn;
import ISelectionId = powerbi.visuals.ISelectionId;
import ISelectionManager = powerbi.extensibility.ISelectionManager;
import IVisualHost = powerbi.extensibility.visual.IVisualHost;

/** Builds one selection ID per representative row of a mark, with the category column of the mark's role. */
export function selectionIdsOf(host: IVisualHost, dataView: DataView | undefined, ref: SelectionRef | null): ISelectionId[] {
    if (!ref || !dataView) return [];
    const column = (dataView.categorical?.categories ?? [])
        .find((c: DataViewCategoryColumn) => c.source.roles?.[ref.role] === true);
    if (!column) return [];
    const rowCount = column.values.length;
    return ref.rows
        .filter(row => Number.isInteger(row) && row >= 0 && row < rowCount)
        .map(row => host.createSelectionIdBuilder().withCategory(column, row).createSelectionId());
}

/**
 * The selection state of the dashboard's marks, kept in the host's selection manager (so it cross-filters other
 * visuals and is restored from bookmarks); this class only maps marks to IDs and IDs back to marks.
 */
export class SelectionController {
    /** Selection of each selectable mark of the latest render; its IDs are built on first use. */
    private refsByKey = new Map<string, SelectionRef>();
    private idsByKey = new Map<string, ISelectionId[]>();
    private dataView: DataView | undefined;
    private selected: ISelectionId[] = [];

    constructor(
        private readonly host: IVisualHost,
        private readonly manager: ISelectionManager,
        private readonly onChange: () => void,
    ) {
        // Bookmarks and other visuals change the selection without a click here.
        manager.registerOnSelectCallback((ids: powerbi.extensibility.ISelectionId[]) => {
            this.selected = (ids ?? []) as ISelectionId[];
            this.onChange();
        });
    }

    /**
     * Maps the marks of a fresh render to their selections in `dataView`, and re-reads the host's selection. IDs
     * are built when a mark is first clicked, hovered or compared with a selection, not for every mark here.
     */
    bind(dataView: DataView | undefined, marks: readonly Mark[]): void {
        this.dataView = dataView;
        this.refsByKey = new Map();
        for (const mark of marks) if (mark.selection !== null) this.refsByKey.set(mark.key, mark.selection);
        this.idsByKey = new Map();
        this.selected = this.manager.getSelectionIds() as ISelectionId[];
    }

    idsOf(key: string): ISelectionId[] {
        let ids = this.idsByKey.get(key);
        if (ids === undefined) {
            const ref = this.refsByKey.get(key);
            if (ref === undefined) return [];
            ids = selectionIdsOf(this.host, this.dataView, ref);
            this.idsByKey.set(key, ids);
        }
        return ids;
    }

    hasSelection(): boolean {
        return this.selected.length > 0;
    }

    isSelected(key: string): boolean {
        if (this.selected.length === 0 || !this.refsByKey.has(key)) return false;
        const ids = this.idsOf(key);
        if (ids.length === 0) return false;
        return ids.some(id => this.selected.some(s => s === id || s.equals(id)));
    }

    async select(key: string, multiSelect: boolean): Promise<void> {
        const ids = this.idsOf(key);
        if (ids.length === 0) return;
        // A second plain click on the only selected mark clears, as Power BI's own charts do.
        if (!multiSelect && this.isSelected(key) && this.selectedKeys().length === 1) {
            await this.clear();
            return;
        }
        this.selected = (await this.manager.select(ids, multiSelect) ?? []) as ISelectionId[];
        this.onChange();
    }

    async clear(): Promise<void> {
        this.selected = [];
        await this.manager.clear();
        this.onChange();
    }

    showContextMenu(key: string | null, position: { x: number; y: number }): void {
        const ids = key === null ? [] : this.idsOf(key);
        const target = ids.length > 0 ? ids[0] : ({} as ISelectionId);
        void this.manager.showContextMenu(target, position);
    }

    private selectedKeys(): string[] {
        return [...this.refsByKey.keys()].filter(k => this.isSelected(k));
    }
}
