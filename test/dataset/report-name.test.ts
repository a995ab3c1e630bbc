// Project names become file and folder names (<Name>.pbip, <Name>.SemanticModel, <Name>.Report) on every platform;
// Windows' rules are the strictest (Microsoft's "Naming Files, Paths, and Namespaces"): no < > : " / \ | ? * or
// control characters, no trailing dot or space, and not a reserved device name, with or without an extension.
import { test } from "node:test";
import assert from "node:assert/strict";
import { UserError } from "../../src/dataset/errors.ts";
import { validateName } from "../../src/dataset/report/options.ts";

function refusal(name: string): string {
    try {
        validateName(name);
    } catch (error) {
        assert.ok(error instanceof UserError, `${JSON.stringify(name)}: a UserError`);
        assert.equal(error.exitCode, 2);
        return error.message;
    }
    return assert.fail(`${JSON.stringify(name)} was accepted`);
}

test("a project name with a character Windows file names cannot hold is refused, naming the character", () => {
    for (const ch of ["<", ">", ":", "\"", "/", "\\", "|", "?", "*"]) {
        assert.match(refusal(`Shadow${ch}IT`), new RegExp(`holds "${ch.replace(/[\\|?*]/g, "\\$&")}", which file names cannot hold on Windows; choose a name of letters`));
    }
    assert.match(refusal("Shadow\tIT"), /holds a control character \(U\+0009\)/);
    assert.match(refusal("Shadow\u0000IT"), /holds a control character \(U\+0000\)/);
});

test("reserved device names, trailing dots and spaces, empty and overlong names are refused", () => {
    for (const name of ["CON", "con", "PRN", "AUX", "NUL", "COM1", "com9", "LPT1", "COM¹", "NUL.report", "con.x.y"]) {
        assert.match(refusal(name), /is a name Windows reserves for devices/, name);
    }
    assert.match(refusal("Report."), /ends with a dot/);
    assert.match(refusal("Report "), /ends with a space/);
    assert.match(refusal(" Report"), /starts or ends with a space/);
    assert.match(refusal("   "), /--name is empty/);
    assert.match(refusal("x".repeat(81)), /81 characters long/);
});

test("ordinary names, accented letters and names that only contain a reserved word are accepted", () => {
    for (const name of ["Shadow IT", "Contoso Shadow IT 2026", "Rapport d'accès", "CONTOSO", "console", "COM10", "a.CON", "Shadow_IT-v2"]) {
        assert.equal(validateName(name), name);
    }
});
