// An import the policy refuses.
import { readFileSync } from "node:fs";
console.log(readFileSync);
