// @args --deterministic
// @engine wasm it lists the wasm engine's globals; tests/parity/probes.ts probes both engines
// Everything a script could use to reach outside the sandbox is absent or
// refuses. Each line names a probe and what it found.
const g = globalThis as Record<string, unknown>;
for (const name of ["Deno", "require", "process", "fetch", "XMLHttpRequest", "WebSocket", "Javy", "std", "os", "Bun", "module", "__filename", "importScripts"]) {
  console.log(`${name}: ${typeof g[name]}`);
}
async function tryImport(spec: string): Promise<string> {
  try {
    // The compiler refuses import() in the source (tests/spec/dynamic-import.ts);
    // through eval it reaches the engine, which has no loader.
    await (0, eval)(`import(${JSON.stringify(spec)})`);
    return "imported!";
  } catch (e) {
    return `refused (${(e as Error).name})`;
  }
}
for (const spec of ["os", "std", "node:fs", "/etc/passwd", "./lib/util.ts", "https://example.com/x.js"]) {
  console.log(`import(${spec}): ${await tryImport(spec)}`);
}
// eval and Function work, but only inside the sandbox.
console.log("eval:", eval("typeof Deno"), new Function("return typeof process")());
