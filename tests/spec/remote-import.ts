// @exit 2
// @stderr tests/spec/remote-import.ts:5:22: import "https://deno.land/std/fs/mod.ts" is not allowed: remote imports are not allowed
// @stderr import { walk } from "https://deno.land/std/fs/mod.ts";
console.log("never runs");
import { walk } from "https://deno.land/std/fs/mod.ts";
console.log(walk);
