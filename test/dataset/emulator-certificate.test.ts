// Where the emulator writes its CA certificate: never through a file or symbolic link someone else planted in the
// shared temp folder.
import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { startEmulator } from "../../src/dataset/emulator/index.ts";
import { END, tempDir } from "./export-setup.ts";

const POSIX = process.platform !== "win32";

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolve(port));
        });
    });
}

describe("emulator certificate file", () => {
    it("goes into a fresh private folder, never through a link planted at a predictable temp path", { skip: !POSIX && "symbolic links need privileges on Windows" }, async () => {
        const victim = path.join(tempDir("ca-victim"), "victim.txt");
        writeFileSync(victim, "precious\n");
        const port = await freePort();
        // Where earlier versions wrote it: shadowit-emulator-<port>.pem in the OS temp folder.
        const planted = path.join(tmpdir(), `shadowit-emulator-${port}.pem`);
        symlinkSync(victim, planted);
        try {
            const emulator = await startEmulator({ port, rows: 50, days: 1, end: new Date(END) });
            const folder = path.dirname(emulator.caPath);
            try {
                assert.equal(readFileSync(victim, "utf8"), "precious\n", "the planted link was not followed");
                assert.notEqual(emulator.caPath, planted);
                assert.ok(path.basename(folder).startsWith("shadowit-emulator-ca-") && path.dirname(folder) === tmpdir(), emulator.caPath);
                assert.equal(readFileSync(emulator.caPath, "utf8"), emulator.ca);
                assert.equal(lstatSync(emulator.caPath).isFile(), true);
                assert.equal(statSync(emulator.caPath).mode & 0o777, 0o600);
                assert.equal(statSync(folder).mode & 0o777, 0o700);
            } finally {
                await emulator.close();
            }
            assert.equal(existsSync(folder), false, "the folder goes with the emulator");
        } finally {
            (await import("node:fs")).rmSync(planted, { force: true });
        }
    });

    it("replaces a link at an asked-for path instead of writing through it", { skip: !POSIX && "symbolic links need privileges on Windows" }, async () => {
        const work = tempDir("ca-out");
        const victim = path.join(work, "victim.txt");
        writeFileSync(victim, "precious\n");
        const caOut = path.join(work, "ca.pem");
        symlinkSync(victim, caOut);
        const emulator = await startEmulator({ port: 0, rows: 50, days: 1, end: new Date(END), caOut });
        try {
            assert.equal(readFileSync(victim, "utf8"), "precious\n");
            assert.equal(lstatSync(caOut).isFile(), true, "the link was replaced by the certificate file");
            assert.equal(readFileSync(caOut, "utf8"), emulator.ca);
        } finally {
            await emulator.close();
        }
        assert.equal(existsSync(caOut), true, "an asked-for certificate is kept");
    });
});
