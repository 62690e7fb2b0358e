// An exported `let` is a live binding: the importer sees each assignment.
import { count, increment } from "./state.ts";

console.log(count);
increment();
increment();
console.log(count);
