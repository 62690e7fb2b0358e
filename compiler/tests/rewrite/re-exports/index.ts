export * from "./ops.ts";
export { thrice as triple } from "./ops.ts";
export * as shapes from "./shapes.ts";
