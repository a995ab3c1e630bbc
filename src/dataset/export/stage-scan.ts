// The table function through which DuckDB reads a stage: each call hands one staged chunk to DuckDB.
import { BIGINT, DuckDBTableFunction, VARCHAR } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import { CHUNK_ROWS, type Stage } from "./stage.ts";

/** The table function that scans a stage; its last column numbers the rows in arrival order. */
export const SCAN_FUNCTION = "shadowit_stage";
export const ORDINAL_COLUMN = "__ord";

/**
 * The table function `shadowit_stage('<stage>')`: the staged rows of a stage, chunk by chunk, with the ordinal
 * column last. Each call copies one staged chunk into DuckDB's output chunk (one copy per column); the string
 * records it copies point into the stage's string vectors, which live until the stage is dropped, after every
 * query over it has finished.
 */
export function stageScanFunction(stages: ReadonlyMap<string, Stage>): DuckDBTableFunction {
    const ordinals = new Uint32Array(2 * CHUNK_ROWS);
    const allValid = new Uint32Array(2 * Math.ceil(CHUNK_ROWS / 64)).fill(0xffffffff);
    return DuckDBTableFunction.create({
        name: SCAN_FUNCTION,
        parameterTypes: [VARCHAR],
        bindFunction: info => {
            const name = String(info.getParameter(0));
            const stage = stages.get(name);
            if (!stage) {
                info.setError(`no staged rows named ${name}`);
                return;
            }
            stage.columns.forEach((column, i) => info.addResultColumn(column.name, stage.types[i]));
            info.addResultColumn(ORDINAL_COLUMN, BIGINT);
            info.setCardinality(stage.rows, true);
            info.setBindData({ stage });
        },
        initFunction: info => info.setInitData({ next: 0, ordinal: 0 }),
        mainFunction: (info, output) => {
            const { stage } = info.bindData as { stage: Stage };
            const state = info.initData as { next: number; ordinal: number };
            const staged = stage.chunks[state.next];
            if (!staged) {
                output.rowCount = 0;
                return;
            }
            state.next++;
            const count = staged.rows;
            output.rowCount = count;
            const validityBytes = 8 * Math.ceil(count / 64);
            for (let c = 0; c < stage.columns.length; c++) {
                const to = duckdb.data_chunk_get_vector(output.chunk, c);
                const data = staged.data[c];
                duckdb.copy_data_to_vector(to, 0, data, 0, data.byteLength);
                const validity = staged.validity[c];
                if (validity) {
                    duckdb.vector_ensure_validity_writable(to);
                    duckdb.copy_data_to_vector_validity(to, 0, validity.buffer as ArrayBuffer, 0, validityBytes);
                } else if (duckdb.vector_get_validity(to, validityBytes)) {
                    duckdb.copy_data_to_vector_validity(to, 0, allValid.buffer, 0, validityBytes);
                }
            }
            // BIGINT ordinals as little-endian (low word, high word) pairs: below 2^53, no BigInt needed.
            for (let r = 0; r < count; r++) {
                const ordinal = state.ordinal + r;
                ordinals[2 * r] = ordinal % 0x100000000;
                ordinals[2 * r + 1] = Math.floor(ordinal / 0x100000000);
            }
            state.ordinal += count;
            duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(output.chunk, stage.columns.length), 0, ordinals.buffer, 0, count * 8);
        },
    });
}
