// @args --deterministic --timeout 1
// @exit 10
// @stderr the 1s limit (--timeout) was reached
// A monitor loop runs until the deadline, which under --deterministic is in
// virtual time: exactly five ticks, every run.
let tick = 0;
setInterval(() => {
  tick++;
  console.log(`tick ${tick} at ${Date.now() - 1767225600000}ms`);
}, 200);
