// @args --deterministic
// legacy-cmdb-upload.ts — decodes service descriptions exported by a legacy CMDB in their original encodings (TextDecoder, also streamed in split chunks), then packs them into a multipart FormData upload and parses it back.
import * as coral from "@coral/sdk";

// The CMDB export: hex bytes per service, each in the encoding the old system used.
const cmdb: Record<string, { charset: string; hex: string }> = {
  "api-gateway": { charset: "utf-16", hex: "fffe45006400670065002d0047006100740065007700610079002000c421200052006f007500740069006e006700" },
  inventory: { charset: "sjis", hex: "8ddd8cc98ac7979d8354815b83728358816991718cc98145b6c0b6c5816a" },
  orders: { charset: "cp1251", hex: "c7e0eae0e7fb209720eef4eef0ecebe5ede8e520e820f1f2e0f2f3f1" },
  payments: { charset: "latin1", hex: "5a61686c756e67736469656e7374209620476562fc687220302c33302080206a652084536f666f7274932d42756368756e67" },
  search: { charset: "korean", hex: "b0cbbbf620bbf6c0ce20bcadbaf1bdba" },
  users: { charset: "iso-8859-2", hex: "55bf79746b6f776e696379202d206b6f6e7461206920b3b1637a656e69652053534f" },
};
const bytesOf = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
const codePoints = (s: string) => [...s].length;

console.log("label -> encoding, decoded description");
const described = new Map<string, string>();
for (const svc of await coral.services.list()) {
  const entry = cmdb[svc.name];
  if (!entry) continue;
  const decoder = new TextDecoder(entry.charset);
  const raw = bytesOf(entry.hex);
  const text = decoder.decode(raw);
  described.set(svc.name, text);
  console.log(`  ${svc.name.padEnd(12)} ${entry.charset.padEnd(10)} -> ${decoder.encoding.padEnd(12)} ${String(raw.length).padStart(3)} B, ${String(codePoints(text)).padStart(2)} chars: ${text}`);
}

// The same bytes arriving over a slow link in 3-byte pieces: a streaming
// decoder must carry partial double-byte characters across chunk edges.
console.log("\nstreamed in 3-byte chunks (stream: true):");
for (const [name, { charset, hex }] of Object.entries(cmdb)) {
  const raw = bytesOf(hex);
  const decoder = new TextDecoder(charset);
  let text = "";
  for (let i = 0; i < raw.length; i += 3) text += decoder.decode(raw.subarray(i, i + 3), { stream: true });
  text += decoder.decode();
  const naive = Array.from({ length: Math.ceil(raw.length / 3) }, (_, k) => new TextDecoder(charset).decode(raw.subarray(k * 3, k * 3 + 3))).join("");
  console.log(`  ${name.padEnd(12)} matches one-shot: ${text === described.get(name)}, naive per-chunk decode garbled: ${naive !== described.get(name)}`);
}

// A TextDecoderStream does the same for a byte stream.
const sjis = bytesOf(cmdb.inventory.hex);
const pieces = ReadableStream.from([sjis.subarray(0, 5), sjis.subarray(5, 6), sjis.subarray(6, 17), sjis.subarray(17)]);
let streamed = "";
for await (const part of pieces.pipeThrough(new TextDecoderStream("shift_jis"))) streamed += part;
console.log(`  TextDecoderStream(shift_jis): ${streamed}`);

// Damaged records: a lone Shift_JIS lead byte at the end is replaced, or refused in fatal mode.
const damaged = bytesOf(cmdb.inventory.hex.slice(0, -2));
console.log(`\ndamaged record (last byte lost): ${new TextDecoder("shift_jis").decode(damaged)}`);
try {
  new TextDecoder("shift_jis", { fatal: true }).decode(damaged);
} catch (e) {
  console.log(`  fatal decoder refuses it: ${(e as Error).constructor.name}`);
}
try {
  new TextDecoder("cp-437");
} catch (e) {
  console.log(`  unknown label "cp-437": ${(e as Error).constructor.name}`);
}

// Build the upload for the new CMDB: one text field per service, a UTF-8 CSV
// file, and the original legacy bytes as a binary attachment.
const form = new FormData();
form.append("source", "legacy-cmdb");
for (const [name, text] of described) form.append(`description[${name}]`, text);
const csv = "service,charset,description\n" + [...described].map(([n, t]) => `${n},${cmdb[n].charset},"${t.replaceAll('"', '""')}"`).join("\n") + "\n";
form.append("export", new File([csv], "cmdb-export.csv", { type: "text/csv;charset=utf-8" }));
form.append("original", new Blob([sjis], { type: "application/octet-stream" }), "inventory.sjis");
form.set("source", "legacy-cmdb v2");
console.log(`\nform fields: ${[...form.keys()].length}, has export: ${form.has("export")}, source: ${form.get("source")}`);

const upload = new Request("https://cmdb.example.com/api/import", { method: "POST", body: form });
const contentType = upload.headers.get("content-type") ?? "";
console.log(`upload: ${upload.method} ${new URL(upload.url).pathname}, multipart: ${contentType.startsWith("multipart/form-data; boundary=")}`);

// What the receiving side sees.
const received = await upload.formData();
for (const [key, value] of received) {
  if (typeof value === "string") {
    console.log(`  ${key}: "${value}"${value === (described.get(key.slice(12, -1)) ?? value) ? "" : " (CHANGED)"}`);
  } else {
    console.log(`  ${key}: File "${value.name}" ${value.type || "(no type)"} ${value.size} B`);
  }
}
const exportFile = received.get("export") as File;
const exportText = await exportFile.text();
console.log(`export CSV intact: ${exportText === csv}, ${exportText.trimEnd().split("\n").length - 1} rows, instanceof File: ${exportFile instanceof File}`);
const original = new Uint8Array(await (received.get("original") as File).arrayBuffer());
console.log(`original bytes intact: ${original.length === sjis.length && original.every((b, i) => b === sjis[i])}, re-decoded: ${new TextDecoder("shift_jis").decode(original)}`);
