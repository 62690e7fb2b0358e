export interface Shape {
  w: number;
  h: number;
}
export type Named = { name: string };
export function area(s: Shape): number {
  return s.w * s.h;
}
