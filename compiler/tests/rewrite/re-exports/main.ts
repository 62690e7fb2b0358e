// Re-exports: `export *`, `export { x as y } from`, and a namespace
// re-export, through an index module.
import { double, half, shapes, triple } from "./index.ts";

console.log(double(2), half(8), triple(3), shapes.unit);
