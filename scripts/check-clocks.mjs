// Runs the node:test suites with the system clock moved to instants where date arithmetic breaks: just after
// midnight UTC on a month and year boundary, one minute before midnight so that the run crosses it, a leap day,
// and the night a European time zone changes to summer time, each under a different time zone. A test that reads
// the wall clock, or the machine's time zone, instead of its own fixed instant fails here.
//
// The clock is moved with libfaketime (Debian's `faketime` package: apt-get install -y faketime), which is Linux
// only; CI runs this after `npm test`. Every process of a run (Node, the CLI processes the tests spawn, Chromium)
// inherits the same offset, so the emulator's TLS certificate, "now" and file times stay consistent. Chromium is the
// exception: under libfaketime its clock_gettime calls fail and it aborts at start, so the end-to-end test's browser
// is started through a wrapper that drops the preload. It keeps the real clock but gets the moved time zone; the
// visual itself reads no clock.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const INSTANTS = [
    { at: "2027-01-01T00:00:05Z", tz: "UTC", why: "just after midnight UTC, first of a month and a year" },
    { at: "2026-11-30T23:59:00Z", tz: "America/Los_Angeles", why: "a minute before midnight UTC: the run crosses into a new month" },
    { at: "2028-02-29T00:00:30Z", tz: "Asia/Kolkata", why: "just after midnight UTC on a leap day, in a half-hour zone" },
    { at: "2027-03-28T00:59:00Z", tz: "Europe/Berlin", why: "a minute before Berlin moves its clocks to summer time" },
];
const SUITES = ["test/shared", "test/model", "test/dataset", "test/e2e"];

function chromiumWithoutFaketime(folder) {
    const chromium = process.env.CHROME_BIN || "/usr/bin/chromium";
    const wrapper = join(folder, "chromium");
    writeFileSync(wrapper, `#!/bin/sh\nunset LD_PRELOAD\nexec ${JSON.stringify(chromium)} "$@"\n`);
    chmodSync(wrapper, 0o755);
    return wrapper;
}

/** A relative offset in seconds keeps the clock running from the chosen instant, whatever the time zone. */
function offsetTo(atMs) {
    const offsetSeconds = Math.round((atMs - Date.now()) / 1000);
    return `${offsetSeconds >= 0 ? "+" : ""}${offsetSeconds}`;
}

function faketimeEnv(tz, chromium) {
    return { ...process.env, TZ: tz, CHROME_BIN: chromium, FAKETIME_DONT_FAKE_MONOTONIC: "1" };
}

function clockSeenBy(offset, env) {
    const probe = spawnSync("faketime", ["-f", offset, process.execPath, "-e", "process.stdout.write(String(Date.now()))"],
        { env, encoding: "utf8" });
    if (probe.error || probe.status !== 0) return { error: probe.error?.message ?? probe.stderr };
    return { ms: Number(probe.stdout) };
}

const which = spawnSync("faketime", ["-f", "+0", "true"], { stdio: "ignore" });
if (which.error || which.status !== 0) {
    console.error("check-clocks: libfaketime is needed to move the clock: on Debian, apt-get install -y faketime");
    process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), "shadowit-clocks-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const chromium = chromiumWithoutFaketime(scratch);
const failed = [];
for (const { at, tz, why } of INSTANTS) {
    const atMs = Date.parse(at);
    const env = faketimeEnv(tz, chromium);
    const seen = clockSeenBy(offsetTo(atMs), env);
    if (seen.error !== undefined || Math.abs(seen.ms - atMs) > 60_000) {
        console.error(`check-clocks: the clock did not move to ${at} (${seen.error ?? new Date(seen.ms).toISOString()})`);
        process.exit(1);
    }
    console.log(`\ncheck-clocks: node:test suites at ${at}, TZ=${tz}: ${why}`);
    const run = spawnSync("faketime", ["-f", offsetTo(atMs), process.execPath, "scripts/run-node-tests.mjs", ...SUITES],
        { env, stdio: "inherit" });
    if (run.status !== 0) failed.push(`${at} TZ=${tz}`);
}
if (failed.length > 0) {
    console.error(`\ncheck-clocks: the suites failed with the clock at ${failed.join("; ")}`);
    process.exit(1);
}
console.log(`\ncheck-clocks: the suites passed at all ${INSTANTS.length} instants`);
