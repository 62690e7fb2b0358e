// A script that passes every check.
import { services } from "@coral/sdk";
const names: string[] = (await services.list()).map((s) => s.name);
console.log(names.length);
