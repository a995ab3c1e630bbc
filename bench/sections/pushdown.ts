import { BenchContext } from "../lib/context";
import { SectionResult } from "../lib/report";

export async function runPushdown(_ctx: BenchContext): Promise<SectionResult> {
    throw new Error("the emulator (src/dataset/emulator startEmulator) has not landed yet");
}
