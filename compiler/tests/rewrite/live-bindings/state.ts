export let count = 0;
export function increment(): void {
  count += 1;
}
