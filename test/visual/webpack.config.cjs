// Webpack for the karma suite: TypeScript through ts-loader (type-checked separately with
// `tsc -p test/visual/tsconfig.json`), the visual's stylesheet compiled to a CSS string (the specs add it to the
// page, as the host does), string resources as JSON.
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");

module.exports = {
    mode: "development",
    devtool: "inline-source-map",
    resolve: { extensions: [".ts", ".js"] },
    module: {
        rules: [
            {
                test: /\.ts$/,
                exclude: /node_modules/,
                use: {
                    loader: "ts-loader",
                    options: { transpileOnly: true, configFile: path.join(root, "test", "visual", "tsconfig.json") },
                },
            },
            {
                test: /\.less$/,
                use: [{ loader: "css-loader", options: { exportType: "string", url: false } }, "less-loader"],
            },
            { test: /\.resjson$/, type: "json" },
        ],
    },
    performance: { hints: false },
    stats: "errors-warnings",
};
