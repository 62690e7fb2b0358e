// @args --deterministic --timeout 1
// @exit 10
// @stderr the 1s limit (--timeout) was reached
// A monitor loop runs until the deadline, which under --deterministic is in
// virtual time: exactly four ticks, every run. The deadline is exclusive:
// the tick due at 1000 ms, exactly at it, does not run (on either engine).
let tick = 0;
setInterval(() => {
  tick++;
  console.log(`tick ${tick} at ${Date.now() - 1767225600000}ms`);
}, 200);
