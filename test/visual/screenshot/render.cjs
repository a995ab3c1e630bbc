// Renders test/visual/screenshot/page.ts in headless Chromium and writes PNG screenshots to .tmp/screenshots/.
// Usage: node test/visual/screenshot/render.cjs [name=query ...], e.g. node test/visual/screenshot/render.cjs
// "small=width=360&height=300" "de=locale=de-DE".
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const less = require("less");
const webpack = require("webpack");
const base = require("../webpack.config.cjs");

const root = path.resolve(__dirname, "..", "..", "..");
const out = path.join(root, ".tmp", "screenshots");
const chrome = process.env.CHROME_BIN || "/usr/bin/chromium";

async function main() {
    fs.mkdirSync(out, { recursive: true });
    const styleFile = path.join(root, "style", "visual.less");
    // The file name lets its @import lines resolve next to it.
    const css = await less.render(fs.readFileSync(styleFile, "utf8"), { filename: styleFile });
    await new Promise((resolve, reject) => webpack({
        ...base, mode: "production", devtool: false,
        entry: path.join(__dirname, "page.ts"),
        output: { path: out, filename: "page.js" },
    }, (err, stats) => (err || stats.hasErrors() ? reject(err || new Error(stats.toString("errors-only"))) : resolve())));
    fs.writeFileSync(path.join(out, "index.html"),
        `<!doctype html><meta charset="utf-8"><style>body{margin:0;background:#fff}${css.css}</style>` +
        `<div id="visual"></div><script src="page.js"></script>`);
    const shots = process.argv.slice(2).length ? process.argv.slice(2) : ["default="];
    for (const shot of shots) {
        const [name, query] = [shot.slice(0, shot.indexOf("=")), shot.slice(shot.indexOf("=") + 1)];
        const size = new URLSearchParams(query);
        const file = path.join(out, `${name}.png`);
        const result = spawnSync(chrome, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--hide-scrollbars", "--allow-file-access-from-files",
            `--window-size=${size.get("width") ?? 900},${size.get("height") ?? 600}`,
            `--screenshot=${file}`, `file://${path.join(out, "index.html")}?${query}`,
        ], { encoding: "utf8", timeout: 60000 });
        if (result.status !== 0) throw new Error(`chromium failed for ${name}: ${result.stderr}`);
        console.log(file);
    }
}

main().catch(error => {
    console.error(error.message);
    process.exitCode = 1;
});
