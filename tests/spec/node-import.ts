// @exit 2
// @stderr import "node:fs" is not allowed: Node built-in modules are not available
import { readFileSync } from "node:fs";
console.log(readFileSync("/etc/passwd"));
