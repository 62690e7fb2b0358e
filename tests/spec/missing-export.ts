// @exit 2
// @stderr tests/spec/missing-export.ts:6:17: the requested module "./lib/checker.ts" does not provide an export named "nope"
// Importing a name a module does not export is an error when the modules are
// linked (ES modules; Deno says the same), not a silent `undefined`: the
// compiler refuses it before either engine starts.
import { check, nope } from "./lib/checker.ts";
console.log(check, nope);
