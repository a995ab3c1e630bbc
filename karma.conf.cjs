// Karma runs the visual's specs (test/visual/**/*.spec.ts) in headless Chromium: Debian's /usr/bin/chromium
// unless CHROME_BIN points elsewhere. Nothing is downloaded.
const webpackConfig = require("./test/visual/webpack.config.cjs");

process.env.CHROME_BIN ||= "/usr/bin/chromium";

const specs = "test/visual/**/*.spec.ts";

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

module.exports = config => {
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
