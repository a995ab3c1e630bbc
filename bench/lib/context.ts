import { Browser } from "playwright-core";
import { BenchOptions } from "./args";
import { chromiumPath, launchChromium } from "./browser";
import { chromiumVersionFromBinary, Machine } from "./machine";
import { bundlePage } from "./pageBundle";
import { loadVisualBundle, VisualBundle } from "./visualBundle";

/** What sections share: one browser, one packaged visual, one page script, built on first use. */
export class BenchContext {
    private browser: Browser | null = null;
    private bundle: Promise<VisualBundle> | null = null;
    private pageScript: Promise<string> | null = null;

    constructor(readonly root: string, readonly options: BenchOptions, readonly machine: Machine) {}

    visualBundle(): Promise<VisualBundle> {
        this.bundle ??= loadVisualBundle(this.root);
        return this.bundle;
    }

    benchPageScript(): Promise<string> {
        this.pageScript ??= bundlePage(this.root);
        return this.pageScript;
    }

    async chromium(): Promise<Browser> {
        if (!this.browser) {
            const path = chromiumPath();
            this.browser = await launchChromium();
            this.machine.chromium = chromiumVersionFromBinary(path) ?? `Chromium ${this.browser.version()}`;
        }
        return this.browser;
    }

    /** The command that reproduces one section's figures. */
    command(section: string): string {
        return `npm run bench -- --only ${section}${this.options.quick ? " --quick" : ""}`;
    }

    async close(): Promise<void> {
        await this.browser?.close();
        this.browser = null;
    }
}

export function today(): string {
    return new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}
