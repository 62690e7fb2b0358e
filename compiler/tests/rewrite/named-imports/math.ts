export const PI = 3.14;
export function add(a: number, b: number): number {
  return a + b;
}
export class Counter {
  count = 0;
  bump(): void {
    this.count++;
  }
}
