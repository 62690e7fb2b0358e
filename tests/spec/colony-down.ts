// @args --colony 127.0.0.1:1 --deterministic
// @exit 3
// @stderr error: Uncaught ColonyUnavailable: the colony at 127.0.0.1:1 is unavailable
// @stderr (set by --colony or CORAL_COLONY_ADDR)
// A colony that is down is a named exception a script can catch; uncaught,
// it ends the run with exit code 3.
import * as coral from "@coral/sdk";

try {
  await coral.services.list();
} catch (e) {
  console.log((e as Error).name, e instanceof coral.ColonyUnavailable, e instanceof coral.ColonyError);
}
await coral.metrics.getP99("payments");
console.log("not reached");
