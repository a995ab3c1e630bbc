#!/usr/bin/env node
// The companion is written in TypeScript; tsx compiles it on the fly so that the CLI runs the same from a
// clone on Windows, macOS and Linux without a build step. The package is CommonJS, so both loaders are needed.
import { register } from "tsx/esm/api";
import { register as registerCommonJs } from "tsx/cjs/api";
import { fileURLToPath } from "node:url";

register();
registerCommonJs();
const cli = fileURLToPath(new URL("../src/dataset/cli.ts", import.meta.url));
const loaded = await import(cli);
const main = loaded.main ?? loaded.default.main;
process.exitCode = await main(process.argv);
