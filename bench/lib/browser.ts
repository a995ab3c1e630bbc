import { chromium, Browser } from "playwright-core";
import { existsSync } from "node:fs";

export const CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
];

export function chromiumPath(): string {
    const path = process.env.CHROME_BIN || "/usr/bin/chromium";
    if (!existsSync(path)) {
        throw new Error(`Chromium not found at ${path}: install it (Debian: apt-get install chromium) or set CHROME_BIN`);
    }
    return path;
}

/**
 * `--expose-gc` lets the bench page collect garbage before each timed run, outside the timings;
 * `--enable-precise-memory-info` makes performance.memory exact (it is rounded otherwise), for the heap per segment.
 */
export const BENCH_ARGS = ["--js-flags=--expose-gc", "--enable-precise-memory-info"];

export async function launchChromium(extraArgs: readonly string[] = BENCH_ARGS): Promise<Browser> {
    return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}
