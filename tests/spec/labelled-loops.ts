// @args --deterministic
// Labelled loops whose heads read globals the compiler does not know keep
// their labels (the compiler's position markers go before the label).
(globalThis as unknown as { items: number[] }).items = [1, 2, 3];
declare const items: number[];
let n = 0;
outer: for (const x of items) {
  for (const y of [1, 2]) {
    if (y === 2) continue outer;
    n += x;
  }
}
let rounds = 0;
loop: do {
  rounds++;
  if (rounds < 3) continue loop;
  break loop;
} while (items.length === 3);
console.log("n", n, "rounds", rounds);
