// A lone surrogate cannot be carried by any text encoding: emit refuses it
// with a TypeError on both engines (it was "malformed host request" on wasm
// and silently lost on Deno).
import { emit } from "@coral/sdk";

for (const [name, data] of [["ok", { text: "fine \ud83d\ude00" }], ["bad", { text: "half \ud83d" }], ["\udc00", null], ["bad-key", { ["k\ud800"]: 1 }]] as const) {
  try {
    emit(name, data);
    console.log("emitted", name.length);
  } catch (e) {
    console.log((e as Error).name, (e as Error).message);
  }
}
