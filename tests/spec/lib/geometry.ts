export interface Point {
  x: number;
  y: number;
}
export interface Shape {
  area(): number;
}
export function distance(p: Point): number {
  return Math.hypot(p.x, p.y);
}
