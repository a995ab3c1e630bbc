// Karma runs the visual's specs (test/visual/**/*.spec.ts) in headless Chromium: Debian's /usr/bin/chromium
// unless CHROME_BIN points elsewhere. Nothing is downloaded.
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const webpackConfig = require("./test/visual/webpack.config.cjs");

process.env.CHROME_BIN ||= "/usr/bin/chromium";

// SHADOWIT_SPECS narrows the run to some spec files while working on them, e.g. "test/visual/selection.spec.ts".
const specs = process.env.SHADOWIT_SPECS || "test/visual/**/*.spec.ts";

/** Prints one line per failed spec and a final count, after karma's own progress output. */
function SummaryReporter() {
    const failed = [];
    let skipped = 0;
    this.onRunStart = () => {
        failed.length = 0;
        skipped = 0;
    };
    this.onSpecComplete = (_browser, result) => {
        if (result.skipped) skipped++;
        else if (!result.success) failed.push(`${[...result.suite, result.description].join(" > ")}`);
    };
    this.onRunComplete = (_browsers, results) => {
        const lines = ["", "Visual test summary:"];
        for (const name of failed) lines.push(`  FAILED ${name}`);
        lines.push(`  ${results.success} passed, ${results.failed} failed, ${skipped} skipped${results.error ? ", run error" : ""}`, "");
        process.stdout.write(lines.join("\n"));
    };
}

/** ts-loader only transpiles: type-check the specs and the visual they import before the browser starts. */
function typeCheck() {
    const tsc = require.resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(__dirname, "test", "visual", "tsconfig.json")], {
        stdio: "inherit",
    });
    if (result.status !== 0) {
        throw new Error("Type errors in the visual or its specs (tsc -p test/visual/tsconfig.json): fix them, then rerun.");
    }
}

module.exports = config => {
    if (process.env.SHADOWIT_SKIP_TYPECHECK !== "1") typeCheck();
    config.set({
        basePath: __dirname,
        frameworks: ["jasmine", "webpack"],
        files: [{ pattern: specs, watched: false }],
        preprocessors: { [specs]: ["webpack"] },
        webpack: webpackConfig,
        webpackMiddleware: { stats: "errors-only" },
        plugins: ["karma-jasmine", "karma-webpack", "karma-chrome-launcher", { "reporter:summary": ["type", SummaryReporter] }],
        reporters: ["progress", "summary"],
        browsers: ["ChromeHeadlessContainer"],
        customLaunchers: {
            ChromeHeadlessContainer: {
                base: "ChromeHeadless",
                flags: [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                ],
            },
        },
        client: { jasmine: { random: false, timeoutInterval: 20000 } },
        browserNoActivityTimeout: 120000,
        browserDisconnectTimeout: 30000,
        captureTimeout: 120000,
        singleRun: true,
        autoWatch: false,
        concurrency: 1,
    });
};
