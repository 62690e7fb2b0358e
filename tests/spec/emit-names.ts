// Event names are measured in characters (Unicode code points) on both
// engines: not UTF-8 bytes, not UTF-16 units.
import { emit } from "@coral/sdk";

emit("é".repeat(256)); // 256 characters, 512 UTF-8 bytes
emit("😀".repeat(256)); // 256 characters, 512 UTF-16 units
for (const name of ["é".repeat(257), "😀".repeat(257), ""]) {
  try {
    emit(name);
    console.log("accepted", name.length);
  } catch (e) {
    console.log((e as Error).name, (e as Error).message);
  }
}
