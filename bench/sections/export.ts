import { BenchContext } from "../lib/context";
import { SectionResult } from "../lib/report";

export async function runExport(_ctx: BenchContext): Promise<SectionResult> {
    throw new Error("the exporter (src/dataset/export runExport) and the emulator (startEmulator) have not landed yet");
}
