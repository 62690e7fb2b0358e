// @exit 1
// @stderr error: Uncaught Error: settings.window is missing
// @stderr     at tests/spec/lib/throws-on-import.ts:6:
// An imported module that throws while it loads: the frame names its file,
// as on Deno, not the bundler's module function.
import { threshold } from "./lib/throws-on-import.ts";
console.log(threshold);
