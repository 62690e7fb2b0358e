// TypeScript-only syntax is stripped: annotations, interfaces, generics,
// type aliases, `as`, `!`, `satisfies`, `import type`, overloads, abstract.
import type { Point } from "./lib/geometry.ts";
import { distance, type Shape } from "./lib/geometry.ts";

interface Service {
  name: string;
  p99Ms?: number;
}
type Pair<A, B = A> = [A, B];

function first<T>(items: readonly T[]): T | undefined {
  return items[0];
}

function describe(x: string): string;
function describe(x: number): string;
function describe(x: string | number): string {
  return typeof x === "string" ? `s:${x}` : `n:${x}`;
}

abstract class Base {
  abstract area(): number;
}
class Square extends Base implements Shape {
  constructor(private readonly side: number, public label: string = "sq") {
    super();
  }
  area(): number {
    return this.side ** 2;
  }
}

const services = [{ name: "api", p99Ms: 120 }] satisfies Service[];
const maybe: Service | null = services[0] ?? null;
const p: Point = { x: 3, y: 4 };
const pair: Pair<number> = [1, 2];
const sq = new Square(3);
console.log(first<string>(["a", "b"]), describe("x"), describe(7));
console.log(maybe!.name, (services[0].p99Ms as number) + 1, <number>pair[1]);
console.log(distance(p), sq.area(), sq.label);
