/// <reference lib="dom" />
import { chromium, Browser, Page } from "playwright-core";

/*
 * The preview page the end-to-end specs drive: Chromium started as they all start it, the page's errors recorded,
 * and what the panels say (the aria-labels of a panel's marks, for all rows or for a panel that draws only the rows
 * in view).
 */

/** Headless Chromium: CHROME_BIN, or Debian's /usr/bin/chromium. */
export function launchChromium(): Promise<Browser> {
    return chromium.launch({
        executablePath: process.env.CHROME_BIN || "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
}

/** Collects the page's uncaught errors and console errors into `errors`. */
export function recordPageErrors(page: Page, errors: string[]): void {
    page.on("pageerror", error => errors.push(error.message));
    page.on("console", message => {
        if (message.type() === "error") errors.push(message.text());
    });
}

/** The labels of a panel's elements matching `selector`: by default every labelled part but its buttons (Download CSV), which are controls, not values. */
export async function markLabels(page: Page, panel: string, selector = "[aria-label]:not(button)"): Promise<string[]> {
    return page.evaluate(([id, within]) => Array.from(document.querySelectorAll(`[data-panel="${id}"] ${within}`))
        .map(e => e.getAttribute("aria-label") ?? ""), [panel, selector] as const);
}

/**
 * The labels of a panel that draws only the rows in view, each once in the order first seen: scrolls its body
 * through by half its height, letting the page draw after each step, then back to the top.
 */
export async function scrolledMarkLabels(page: Page, panel: string, selector = "[aria-label]"): Promise<string[]> {
    return page.evaluate(async ([id, within]) => {
        const body = document.querySelector<HTMLElement>(`[data-panel="${id}"] .shadowit-body`);
        if (!body) return [];
        const labels = new Set<string>();
        for (let top = 0; ; top += Math.max(1, Math.floor(body.clientHeight / 2))) {
            body.scrollTop = top;
            await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            for (const element of Array.from(body.querySelectorAll(within))) labels.add(element.getAttribute("aria-label") ?? "");
            if (body.scrollTop + body.clientHeight >= body.scrollHeight) break;
        }
        body.scrollTop = 0;
        await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return [...labels];
    }, [panel, selector] as const);
}
