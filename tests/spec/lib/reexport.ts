export * from "./math.ts";
export { half } from "./math.ts";
