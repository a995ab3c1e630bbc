import powerbi from "powerbi-visuals-api";
import { ROWS_DRAWN_EVENT } from "../render/bar-rows";
import { markKeyOf } from "../render/html-rows";
import { EXPORT_BUTTON_CLASS } from "../render/export-button";
import { LAUNCH_BUTTON_CLASS } from "../render/launch-button";
import { Mark } from "../render/types";
import { SelectionController } from "./selection";
import ITooltipService = powerbi.extensibility.ITooltipService;
import VisualTooltipDataItem = powerbi.extensibility.VisualTooltipDataItem;

const MARK_SELECTOR = ".shadowit-mark";

/** Marks an element `refreshMarks` has styled before; until then it is as its renderer created it. */
type SeenElement = HTMLElement & { shadowitSeen?: boolean };

export interface BehaviorOptions {
    readonly root: HTMLElement;
    readonly selection: SelectionController;
    readonly tooltipService: ITooltipService | null;
    /** Read on every event: the host may change it between updates. */
    readonly interactionsAllowed: () => boolean;
    /** Draws the element of a mark that is not in the page (a row scrolled out of its panel's view) and returns it. */
    readonly reveal: (key: string) => HTMLElement | null;
    /** Lines every tooltip ends with: the fields of the Tooltips well, for the mark's item. */
    readonly tooltipFields: (key: string) => readonly VisualTooltipDataItem[];
    /** Opens an address through the host (host.launchUrl): a mark's launch link, on a click or the O key. */
    readonly launch: (url: string) => void;
    /** Downloads a panel's table (the file download API), on a click of its download button. */
    readonly exportPanel: (panel: string) => void;
}

/**
 * Mouse, keyboard and tooltip handling for the dashboard, attached once to the root by delegation so that it
 * survives re-renders. A mark's element knows its key (`markKeyOf`); the current render's marks are given by `bind`.
 */
export class Behavior {
    private marks = new Map<string, Mark>();
    /** Mark keys in the order the dashboard shows them: the order the arrow keys follow. */
    private order: readonly string[] = [];
    private focusedKey: string | null = null;
    /** The mark last selected by a click or a key: where a Shift+click range starts. */
    private anchorKey: string | null = null;
    private tooltip: { readonly mark: Mark; readonly items: VisualTooltipDataItem[] } | null = null;

    constructor(private readonly options: BehaviorOptions) {
        const root = options.root;
        root.addEventListener("click", e => this.onClick(e));
        root.addEventListener("contextmenu", e => this.onContextMenu(e));
        root.addEventListener("keydown", e => this.onKeyDown(e));
        root.addEventListener("focusin", e => this.onFocusIn(e));
        root.addEventListener("pointerover", e => this.onPointer(e, "show"));
        root.addEventListener("pointermove", e => this.onPointer(e, "move"));
        root.addEventListener("pointerout", e => this.onPointerOut(e));
        root.addEventListener(ROWS_DRAWN_EVENT, () => this.refreshMarks());
    }

    /** Takes the marks of a fresh render: sets the roving tab stop and the selection styling. */
    bind(marks: readonly Mark[]): void {
        this.marks = new Map(marks.map(m => [m.key, m]));
        this.order = marks.map(m => m.key);
        if (this.focusedKey !== null && !this.marks.has(this.focusedKey)) this.focusedKey = null;
        this.refreshMarks();
    }

    /**
     * The selectable marks of `mark`'s panel from the anchor to `mark`, both included, in the order shown (a range of
     * days, say); null when there is no anchor in that panel.
     */
    private rangeTo(mark: Mark): string[] | null {
        const anchor = this.anchorKey === null ? undefined : this.marks.get(this.anchorKey);
        if (anchor === undefined || anchor.panel !== mark.panel) return null;
        const from = this.order.indexOf(anchor.key);
        const to = this.order.indexOf(mark.key);
        const [first, last] = from <= to ? [from, to] : [to, from];
        return this.order.slice(first, last + 1).filter(key => this.marks.get(key)?.selection);
    }

    /** Dims the marks outside the selection and flags the selected ones. */
    renderSelection(): void {
        this.refreshMarks();
    }

    /**
     * One pass over the mark elements: the roving tab stop (the focused mark, else the first) and the selection
     * state. An element seen for the first time was just created by a renderer, which never gives it the selection
     * classes, so only the classes it needs are written to it.
     */
    private refreshMarks(): void {
        const { selection, root } = this.options;
        const any = selection.hasSelection();
        root.classList.toggle("shadowit-has-selection", any);
        const interactionsAllowed = this.options.interactionsAllowed();
        const elements = this.markElements();
        const focusKey = this.focusedKey ?? (elements.length > 0 ? markKeyOf(elements[0]) : null);
        let tabStop = false;
        for (const element of elements) {
            const key = markKeyOf(element) ?? "";
            if (key === focusKey) tabStop = true;
            const mark = this.marks.get(key);
            const selectable = mark?.selection != null;
            const selected = selectable && any && selection.isSelected(key);
            const tabIndex = key === focusKey ? "0" : "-1";
            const dimmed = any && selectable && !selected;
            const ariaSelected = selectable && interactionsAllowed ? String(selected) : null;
            const fresh = !(element as SeenElement).shadowitSeen;
            (element as SeenElement).shadowitSeen = true;
            if (element.getAttribute("tabindex") !== tabIndex) element.setAttribute("tabindex", tabIndex);
            if (!fresh || selected) element.classList.toggle("shadowit-selected", selected);
            if (!fresh || dimmed) element.classList.toggle("shadowit-dimmed", dimmed);
            // Row templates may carry aria-selected="false" already.
            if (ariaSelected === null) {
                if (element.hasAttribute("aria-selected")) element.removeAttribute("aria-selected");
            } else if (element.getAttribute("aria-selected") !== ariaSelected) {
                element.setAttribute("aria-selected", ariaSelected);
            }
        }
        // The focused mark's row may have left the page (scrolled out of its panel): the first mark keeps the tab stop.
        if (!tabStop && elements.length > 0) elements[0].setAttribute("tabindex", "0");
    }

    hideTooltip(): void {
        this.options.tooltipService?.hide({ immediately: true, isTouchEvent: false });
    }

    private markElements(): HTMLElement[] {
        return Array.from(this.options.root.querySelectorAll<HTMLElement>(MARK_SELECTOR));
    }

    private elementOf(key: string): HTMLElement | null {
        return this.markElements().find(element => markKeyOf(element) === key) ?? null;
    }

    private markOf(target: EventTarget | null): { element: HTMLElement; mark: Mark } | null {
        if (!(target instanceof Element)) return null;
        const element = target.closest<HTMLElement>(MARK_SELECTOR);
        if (!element || !this.options.root.contains(element)) return null;
        const mark = this.marks.get(markKeyOf(element) ?? "");
        return mark ? { element, mark } : null;
    }

    private onClick(event: MouseEvent): void {
        if (!this.options.interactionsAllowed()) return;
        if (this.onButton(event)) return;
        const hit = this.markOf(event.target);
        if (hit && hit.mark.selection) {
            event.stopPropagation();
            this.selectMark(hit.mark, event);
        } else if (!hit) {
            this.run(this.options.selection.clear());
        }
    }

    /**
     * A click on a launch button (inside a mark's row) or a panel's download button: handled here, and the row is
     * not selected. The link is the mark's own, never read from the page.
     */
    private onButton(event: MouseEvent): boolean {
        if (!(event.target instanceof Element)) return false;
        const button = event.target.closest<HTMLElement>(`.${LAUNCH_BUTTON_CLASS}, .${EXPORT_BUTTON_CLASS}`);
        if (button === null || !this.options.root.contains(button)) return false;
        event.stopPropagation();
        event.preventDefault();
        if (button.classList.contains(EXPORT_BUTTON_CLASS)) {
            if (button.getAttribute("aria-disabled") !== "true") this.options.exportPanel(button.dataset.exportPanel ?? "");
            return true;
        }
        const launch = this.markOf(button)?.mark.launch;
        if (launch) this.options.launch(launch.url);
        return true;
    }

    /**
     * Selects a mark as a click or Enter/Space does: with Shift, the range from the anchor (when there is one);
     * otherwise the mark, added to the selection with Ctrl or Cmd, and it becomes the anchor.
     */
    private selectMark(mark: Mark, event: MouseEvent | KeyboardEvent): void {
        const range = event.shiftKey ? this.rangeTo(mark) : null;
        if (range !== null) {
            this.run(this.options.selection.selectAll(range));
            return;
        }
        this.anchorKey = mark.key;
        this.run(this.options.selection.select(mark.key, event.ctrlKey || event.metaKey));
    }

    private onContextMenu(event: MouseEvent): void {
        if (!this.options.interactionsAllowed()) return;
        event.preventDefault();
        event.stopPropagation();
        const hit = this.markOf(event.target);
        this.options.selection.showContextMenu(hit?.mark.selection ? hit.mark.key : null, { x: event.clientX, y: event.clientY });
    }

    private onFocusIn(event: FocusEvent): void {
        const hit = this.markOf(event.target);
        if (!hit) return;
        this.focusedKey = hit.mark.key;
        this.refreshMarks();
    }

    private onKeyDown(event: KeyboardEvent): void {
        const hit = this.markOf(event.target);
        const order = this.order;
        if (order.length === 0) return;
        const index = hit ? order.indexOf(hit.mark.key) : -1;
        let next: number | null = null;
        switch (event.key) {
            case "ArrowDown":
            case "ArrowRight":
                next = index < 0 ? 0 : Math.min(order.length - 1, index + 1);
                break;
            case "ArrowUp":
            case "ArrowLeft":
                next = index < 0 ? 0 : Math.max(0, index - 1);
                break;
            case "Home":
                next = 0;
                break;
            case "End":
                next = order.length - 1;
                break;
            case "Enter":
            case " ":
                if (hit && hit.mark.selection && this.options.interactionsAllowed()) {
                    event.preventDefault();
                    this.selectMark(hit.mark, event);
                }
                return;
            case "o":
            case "O":
                // The keyboard's way to a row's "Open in Microsoft Defender": the host's menu takes no own items.
                if (hit?.mark.launch && !event.ctrlKey && !event.metaKey && !event.altKey && this.options.interactionsAllowed()) {
                    event.preventDefault();
                    this.options.launch(hit.mark.launch.url);
                }
                return;
            case "Escape":
                if (this.options.interactionsAllowed()) {
                    event.preventDefault();
                    this.run(this.options.selection.clear());
                }
                return;
            case "ContextMenu":
            case "F10":
                // Shift+F10 and the menu key are the keyboard's context-menu command.
                if (hit && (event.key === "ContextMenu" || event.shiftKey) && this.options.interactionsAllowed()) {
                    event.preventDefault();
                    const box = hit.element.getBoundingClientRect();
                    this.options.selection.showContextMenu(hit.mark.selection ? hit.mark.key : null,
                        { x: box.left + box.width / 2, y: box.top + box.height / 2 });
                }
                return;
            default:
                return;
        }
        event.preventDefault();
        const key = order[next];
        const target = this.elementOf(key) ?? this.options.reveal(key);
        if (target === null) return;
        this.focusedKey = key;
        this.refreshMarks();
        target.focus();
    }

    private onPointer(event: PointerEvent, action: "show" | "move"): void {
        const service = this.options.tooltipService;
        if (!service || event.pointerType === "touch") return;
        const hit = this.markOf(event.target);
        if (!hit) return;
        const options = {
            coordinates: [event.clientX, event.clientY],
            isTouchEvent: false,
            dataItems: this.tooltipItems(hit.mark, action),
            identities: this.options.selection.idsOf(hit.mark.key),
        };
        if (action === "show") service.show(options);
        else service.move(options);
    }

    /** A mark's tooltip lines; built when the pointer reaches the mark and kept while it moves over it. */
    private tooltipItems(mark: Mark, action: "show" | "move"): VisualTooltipDataItem[] {
        if (action === "move" && this.tooltip?.mark === mark) return this.tooltip.items;
        const items = [...mark.tooltip, ...this.options.tooltipFields(mark.key)];
        this.tooltip = { mark, items };
        return items;
    }

    private onPointerOut(event: PointerEvent): void {
        const from = this.markOf(event.target);
        const to = this.markOf(event.relatedTarget);
        if (from && from.element !== to?.element) this.hideTooltip();
    }

    private run(work: Promise<void>): void {
        work.catch(() => {
            // The host refused the selection (e.g. while the report reloads): the styling keeps the last state.
        });
    }
}
