export function check(value: number, limit: number): void {
  if (value > limit) {
    throw new Error(`threshold exceeded: ${value} > ${limit}`);
  }
}
