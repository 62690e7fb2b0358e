// JSON modules mean what JSON.parse means: "__proto__" is an ordinary key.
import data from "./lib/proto.json" with { type: "json" };
console.log(Object.keys(data).join(","), Object.getPrototypeOf(data) === Object.prototype);
