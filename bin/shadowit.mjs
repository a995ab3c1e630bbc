#!/usr/bin/env node
// The companion is written in TypeScript; tsx compiles it on the fly so that the CLI runs the same from a
// clone on Windows, macOS and Linux without a build step.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register();
const cli = fileURLToPath(new URL("../src/dataset/cli.ts", import.meta.url));
const { main } = await import(cli);
process.exitCode = await main(process.argv);
