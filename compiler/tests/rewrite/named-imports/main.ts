// Named, renamed and namespace imports read the dependency's namespace
// object at each use.
import { add, Counter as Tally, PI } from "./math.ts";
import * as math from "./math.ts";

const t = new Tally();
t.bump();
console.log(add(1, 2), PI, t.count, math.add(PI, 1));
