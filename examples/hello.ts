// hello.ts — the smallest Coral script: prints a greeting and the parameters it was given.
import { params } from "@coral/sdk";

const name = params.string("name", "Coral");
console.log(`Hello, ${name}!`);
