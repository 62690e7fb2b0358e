// @args --timeout 2
// @exit 10
// @fuel-unpinned it spins until the real-time deadline, so its fuel is whatever two seconds buy
// @stderr script timed out: the 2s limit (--timeout) was reached; raise it with --timeout SECS
let n = 0;
while (true) n++;
