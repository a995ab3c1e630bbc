import { htmlElement } from "./html-rows";
import { StringKey } from "./strings";
import { RenderContext } from "./types";

/*
 * A panel's "Download CSV" button, in its section after the title. It is drawn for a panel that declares
 * `exportTable` (src/panels/renderers.ts) once the visual knows whether the host lets it download files
 * (RenderContext.download): allowed, a button that downloads; refused (the tenant switch is off, the host does not
 * support it), a button marked aria-disabled whose name and tooltip say why; without the API, no button.
 */

export const EXPORT_BUTTON_CLASS = "shadowit-export";

/** What the file download API answered (visual.ts); the reason is a string key for the refused states. */
export type DownloadAvailability =
    | { readonly allowed: true }
    | { readonly allowed: false; readonly reasonKey: StringKey };

let prototype: HTMLButtonElement | null = null;

function buttonPrototype(): HTMLButtonElement {
    if (prototype === null) {
        prototype = htmlElement("button", EXPORT_BUTTON_CLASS, "");
        prototype.type = "button";
    }
    return prototype;
}

/** Adds, updates or removes the download button of a section (its title is the first child, its body the last). */
export function writeExportButton(section: HTMLElement, panel: string, panelTitle: string, offered: boolean, ctx: RenderContext): void {
    const existing = section.children.length > 2 ? section.children[1] as HTMLButtonElement : null;
    const download = ctx.download;
    if (!offered || download === undefined) {
        existing?.remove();
        return;
    }
    const button = existing ?? section.insertBefore(buttonPrototype().cloneNode(true) as HTMLButtonElement, section.lastElementChild);
    const { strings } = ctx;
    const name = strings.format("Visual_Export_CsvPanel", { panel: panelTitle });
    const label = download.allowed ? name : `${name}: ${strings.get(download.reasonKey)}`;
    if (button.textContent !== strings.get("Visual_Export_Csv")) button.textContent = strings.get("Visual_Export_Csv");
    if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
    if (button.title !== label) button.title = label;
    if (button.dataset.exportPanel !== panel) button.dataset.exportPanel = panel;
    if (download.allowed) button.removeAttribute("aria-disabled");
    else button.setAttribute("aria-disabled", "true");
}
