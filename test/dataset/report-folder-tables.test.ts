import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel, readParameters } from "./report-folder-tables.ts";
import { readTmdl } from "./report-tmdl-reader.ts";

const PARAMETERS = readParameters(readTmdl([
    "expression WorkspaceId = \"6f1c0f0e-1234-4bcd-9a0b-0123456789ab\" meta [IsParameterQuery = true, Type = \"Text\", IsParameterQueryRequired = true]",
    "expression RangeStart = #datetime(2026, 2, 1, 0, 0, 0) meta [IsParameterQuery = true, Type = \"DateTime\", IsParameterQueryRequired = true]",
    "expression RangeEnd = #datetime(2026, 3, 3, 0, 0, 0) meta [IsParameterQuery = true, Type = \"DateTime\", IsParameterQueryRequired = true]",
].join("\n"), "expressions.tmdl"));

function table(steps: readonly string[]): ReturnType<typeof readTmdl> {
    return readTmdl([
        "table T",
        "\tcolumn A",
        "\t\tdataType: string",
        "\t\tsourceColumn: A",
        "",
        "\tpartition T = m",
        "\t\tmode: import",
        "\t\tsource =",
        "\t\t\tlet",
        ...steps.map(s => `\t\t\t    ${s}`),
        "\t\t\tin",
        "\t\t\t    Last",
    ].join("\n"), "T.tmdl");
}

test("the M loader reads the parameters the model's expressions give", () => {
    assert.deepEqual(PARAMETERS, { workspaceId: "6f1c0f0e-1234-4bcd-9a0b-0123456789ab", rangeStart: Date.UTC(2026, 1, 1), rangeEnd: Date.UTC(2026, 2, 3) });
});

test("the M loader refuses a step or an aggregation it does not know, so that a new M cannot be evaluated by an old rule", async () => {
    await assert.rejects(loadModel(table(["Last = Table.Buffer(Source)"]), [], PARAMETERS), /does not know the step Last = Table\.Buffer\(Source\): teach it/);
    await assert.rejects(loadModel(table([
        "Odd = Table.SelectColumns(Nowhere, {\"A\"}),",
        "Last = Odd",
    ]), [], PARAMETERS), /step Odd reads Nowhere, which is not an earlier table step/);
});
