export default function greet(name: string): string {
  return `hello ${name}`;
}
export const shout = (name: string): string => greet(name).toUpperCase();
