// @args --deterministic
// TextDecoder for the Encoding Standard's encodings: labels, legacy
// single- and multi-byte encodings, UTF-16, byte order marks, fatal mode,
// streaming with characters split between chunks, and the errors.
const show = (label: string, f: () => unknown) => {
  try {
    console.log(`${label}: ${JSON.stringify(f())}`);
  } catch (e) {
    const err = e as Error;
    console.log(`${label}: threw ${err.name} ${err.message}`);
  }
};
const bytes = (...b: number[]) => new Uint8Array(b);

for (const label of ["utf-8", " UTF8 ", "latin1", "ascii", "iso-8859-2", "koi8-r", "windows-1251", "utf-16", "utf-16be", "sjis", "euc-jp", "iso-2022-jp", "gbk", "gb18030", "big5", "euc-kr", "x-user-defined"]) {
  show(`label ${label}`, () => new TextDecoder(label).encoding);
}
show("label bogus", () => new TextDecoder("bogus"));
show("label replacement", () => new TextDecoder("replacement"));
show("label empty", () => new TextDecoder(""));

show("windows-1252 bytes", () => new TextDecoder("latin1").decode(bytes(0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x99)));
show("iso-8859-2", () => new TextDecoder("iso-8859-2").decode(bytes(0x50, 0xf8, 0xed, 0x6c, 0x69, 0xb9)));
show("koi8-r", () => new TextDecoder("koi8-r").decode(bytes(0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4)));
show("windows-1251", () => new TextDecoder("windows-1251").decode(bytes(0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2)));
show("shift_jis", () => new TextDecoder("shift_jis").decode(bytes(0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea)));
show("euc-jp", () => new TextDecoder("euc-jp").decode(bytes(0xc6, 0xfc, 0xcb, 0xdc)));
show("iso-2022-jp", () => new TextDecoder("iso-2022-jp").decode(bytes(0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42, 0x21)));
show("gbk", () => new TextDecoder("gbk").decode(bytes(0xd6, 0xd0, 0xce, 0xc4)));
show("big5", () => new TextDecoder("big5").decode(bytes(0xa4, 0xa4, 0xa4, 0xe5)));
show("euc-kr", () => new TextDecoder("euc-kr").decode(bytes(0xc7, 0xd1, 0xb1, 0xb9)));
show("x-user-defined", () => new TextDecoder("x-user-defined").decode(bytes(0x41, 0x80, 0xff)));
show("utf-16le", () => new TextDecoder("utf-16le").decode(bytes(0x68, 0x00, 0x69, 0x00, 0x3d, 0xd8, 0x00, 0xde)));
show("utf-16be", () => new TextDecoder("utf-16be").decode(bytes(0x00, 0x68, 0x00, 0x69)));
show("utf-16le bom", () => new TextDecoder("utf-16le").decode(bytes(0xff, 0xfe, 0x41, 0x00)));
show("utf-16le bom kept", () => new TextDecoder("utf-16le", { ignoreBOM: true }).decode(bytes(0xff, 0xfe, 0x41, 0x00)));
show("utf-16le odd byte", () => new TextDecoder("utf-16le").decode(bytes(0x41, 0x00, 0x42)));
show("utf-16le odd byte fatal", () => new TextDecoder("utf-16le", { fatal: true }).decode(bytes(0x41, 0x00, 0x42)));
show("shift_jis bad fatal", () => new TextDecoder("shift_jis", { fatal: true }).decode(bytes(0x81)));
show("shift_jis bad", () => new TextDecoder("shift_jis").decode(bytes(0x41, 0x81)));
show("utf-8 bom", () => new TextDecoder().decode(bytes(0xef, 0xbb, 0xbf, 0x41)));
show("utf-8 bom kept", () => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes(0xef, 0xbb, 0xbf, 0x41)));
show("utf-8 bad", () => new TextDecoder().decode(bytes(0x41, 0xc3, 0x28, 0xff)));
show("utf-8 bad fatal", () => new TextDecoder("utf-8", { fatal: true }).decode(bytes(0x41, 0xff)));

// Streaming: a character split between chunks comes out whole, once.
const streamed = (label: string, chunks: number[][], options?: TextDecoderOptions) => {
  const d = new TextDecoder(label, options);
  let out = "";
  for (const c of chunks) out += d.decode(new Uint8Array(c), { stream: true });
  return out + d.decode();
};
show("stream utf-8 euro", () => streamed("utf-8", [[0xe2], [0x82], [0xac, 0x41]]));
show("stream utf-8 emoji", () => streamed("utf-8", [[0xf0, 0x9f], [0x9a, 0x80]]));
const codePoints = (text: string) => [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(" ");
show("stream utf-8 bom split", () => codePoints(streamed("utf-8", [[0xef, 0xbb], [0xbf, 0x42]])));
show("stream utf-8 bom mid-stream", () => codePoints(streamed("utf-8", [[0x41], [0xef, 0xbb, 0xbf]])));
show("stream utf-8 truncated", () => streamed("utf-8", [[0x41, 0xe2, 0x82]]));
show("stream utf-8 truncated fatal", () => streamed("utf-8", [[0x41, 0xe2, 0x82]], { fatal: true }));
show("stream utf-16le split", () => streamed("utf-16le", [[0x68], [0x00, 0x3d], [0xd8, 0x00], [0xde]]));
show("stream shift_jis split", () => streamed("shift_jis", [[0x93], [0xfa, 0x96], [0x7b]]));
show("stream iso-2022-jp state", () => streamed("iso-2022-jp", [[0x1b, 0x24, 0x42], [0x46, 0x7c], [0x1b, 0x28, 0x42, 0x21]]));
show("stream then reuse", () => {
  const d = new TextDecoder("gbk");
  const a = d.decode(bytes(0xd6), { stream: true });
  const b = d.decode(bytes(0xd0));
  return [a, b, d.decode(bytes(0xce, 0xc4))];
});
show("many streams", () => {
  const open = Array.from({ length: 10 }, () => new TextDecoder("big5"));
  return open.map((d) => d.decode(bytes(0xa4), { stream: true }) + d.decode(bytes(0xa4))).join("");
});

// Inputs and attributes.
show("decode()", () => new TextDecoder().decode());
show("decode ArrayBuffer", () => new TextDecoder().decode(bytes(0x68, 0x69).buffer));
show("decode DataView", () => new TextDecoder().decode(new DataView(bytes(0x20, 0x68, 0x69).buffer, 1)));
show("decode string", () => new TextDecoder().decode("hi" as unknown as Uint8Array));
show("options not an object", () => new TextDecoder("utf-8", 5 as unknown as TextDecoderOptions));
show("attributes", () => {
  const d = new TextDecoder("latin1", { fatal: 1 as unknown as boolean, ignoreBOM: "" as unknown as boolean });
  return [d.encoding, d.fatal, d.ignoreBOM, Object.prototype.toString.call(d)];
});
show("prototype keys", () => Object.keys(TextDecoder.prototype));
show("illegal invocation", () => TextDecoder.prototype.decode.call({}, bytes(1)));
