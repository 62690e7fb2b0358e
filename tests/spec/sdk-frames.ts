// @exit 1
// @stderr error: Uncaught TypeError: metrics.getP99: service must be a non-empty string
// @stderr     at check (tests/spec/sdk-frames.ts:11:
// @stderr     at tests/spec/sdk-frames.ts:13:7
// An argument mistake caught inside the SDK: the stack starts at the
// script's call, on both engines (the SDK's own frames are left out, as
// Deno leaves out its internals). QuickJS notes a call's position at its
// first argument, V8 at the callee: columns differ.
import { metrics } from "@coral/sdk";
async function check(service: unknown) {
  await metrics.getP99(service as string, "http.server.duration");
}
await check(42);
