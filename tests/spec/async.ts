// @args --deterministic
// Event loop order: sync, microtasks, then timers by due time; top-level
// await; Promise.all; setInterval until cleared.
const order: string[] = [];
setTimeout(() => order.push("timeout-20"), 20);
setTimeout(() => order.push("timeout-0"), 0);
queueMicrotask(() => order.push("microtask"));
Promise.resolve().then(() => order.push("then"));
order.push("sync");

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
async function fetchValue(v: number, ms: number): Promise<number> {
  await sleep(ms);
  return v * 10;
}

const values = await Promise.all([fetchValue(1, 30), fetchValue(2, 10), fetchValue(3, 0)]);
console.log(order.join(" "));
console.log(values.join(","));

let ticks = 0;
const start = Date.now();
await new Promise<void>((resolve) => {
  const id = setInterval(() => {
    ticks++;
    if (ticks === 3) {
      clearInterval(id);
      resolve();
    }
  }, 100);
});
console.log(`ticks=${ticks} elapsed=${Date.now() - start}`);
const settled = await Promise.allSettled([Promise.reject(new Error("no")), 1]);
console.log(settled.map((s) => s.status).join(","));
