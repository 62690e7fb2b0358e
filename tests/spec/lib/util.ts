export const VERSION: string = "1.2";
export let counter = 0;
export function increment(): void {
  counter++;
}
export default function greet(name: string): string {
  return `hello, ${name}`;
}
