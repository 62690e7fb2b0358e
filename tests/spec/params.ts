// @args --param threshold=750 --param service=api --param verbose=yes --param empty=
import { params } from "@coral/sdk";

const threshold = params.number("threshold", 500);
const window = params.number("window", 3600000);
console.log(threshold, window, params.string("service"), params.boolean("verbose"));
console.log(JSON.stringify(params.get("empty")), params.has("missing"), params.get("missing"));
try {
  params.number("service");
} catch (e) {
  console.log((e as Error).name, (e as Error).message);
}
try {
  params.string("region");
} catch (e) {
  console.log((e as Error).message);
}
