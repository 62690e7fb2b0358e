// @args --fuel 5000000
// @exit 11
// @stderr script ran out of fuel: the budget of 5000000 instructions (--fuel) was used up; raise it with --fuel N
// @engine wasm fuel counts wasm instructions; --engine deno refuses --fuel (exit 2)
let n = 0;
for (;;) n += 1;
