// Type-only imports, exports and declarations leave nothing behind; an
// enum and parameter properties become code.
import type { Shape } from "./shape.ts";
import { type Named, area } from "./shape.ts";

enum Color {
  Red,
  Green = "green",
}
interface Local {
  shape: Shape;
}
const local: Local = { shape: { w: 2, h: 3 } };
const named: Named = { name: "n" };
class Point {
  constructor(private readonly x: number, public y?: number) {}
  sum(): number {
    return this.x + (this.y ?? 0);
  }
}
console.log(area(local.shape), named.name, Color.Red, Color.Green, new Point(1, 2).sum());
export type { Local };
