import { defenderAppUrl } from "../interaction/defender-link";
import { htmlElement, HtmlRowWriter } from "./html-rows";
import { Strings } from "./strings";
import { MarkLaunch } from "./types";

/*
 * "Open in Microsoft Defender" for a row of any app list (top apps, AI apps): the mark carries the link
 * (`Mark.launch`), the row a small button, and the behaviour (interaction/behavior.ts) opens the link through the
 * host on a click of the button or on the O key of the focused row. The host's context menu takes no items of a
 * visual's own, so the key is the keyboard's way to it (docs/visual.md, "Open in Microsoft Defender").
 */

/** The class the behaviour recognises a launch button by. */
export const LAUNCH_BUTTON_CLASS = "shadowit-launch";

/** The key that opens the focused row's link, as aria-keyshortcuts names it. */
export const LAUNCH_KEY = "O";

/** The link of an app's row: its Defender page when the app has a valid AppId, else null (no button). */
export function appLaunch(appId: string | null, appName: string, strings: Strings): MarkLaunch | null {
    const url = defenderAppUrl(appId);
    return url === null ? null : { url, label: strings.format("Visual_Launch_DefenderApp", { app: appName }) };
}

let prototype: HTMLButtonElement | null = null;

function launchButtonPrototype(strings: Strings): HTMLButtonElement {
    if (prototype === null) {
        prototype = htmlElement("button", LAUNCH_BUTTON_CLASS, "\u2197") as HTMLButtonElement;
        prototype.type = "button";
        // Out of the Tab order: Tab enters the visual once, the arrows move between rows, and O opens the link.
        prototype.tabIndex = -1;
    }
    prototype.title = strings.get("Visual_Launch_Defender");
    return prototype;
}

/**
 * Adds (or removes) the launch button as the last child of `cell` and names it; the row gets the key shortcut.
 * Returns the button while the mark has a link.
 */
export function writeLaunchButton(
    row: HTMLElement, cell: Element, launch: MarkLaunch | null, strings: Strings, write: HtmlRowWriter,
): HTMLElement | null {
    const button = write.optionalChild(cell, "launch", launchButtonPrototype(strings), launch !== null);
    write.attr(row, "row.keyshortcuts", "aria-keyshortcuts", launch === null ? null : LAUNCH_KEY);
    if (button !== null) write.attr(button, "launch.label", "aria-label", launch!.label);
    return button;
}
