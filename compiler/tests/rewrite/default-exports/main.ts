// Every form of default export: a named function, an anonymous class, an
// expression; and a default imported beside named ones.
import greet, { shout } from "./greet.ts";
import Box from "./box.ts";
import answer from "./answer.ts";

console.log(greet("a"), shout("b"), new Box(2).value, answer);
