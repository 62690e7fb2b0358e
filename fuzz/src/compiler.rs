//! The compiler: arbitrary TypeScript, imports and `deno.json`.
//!
//! The input becomes a folder holding `main.ts` (the input itself after a
//! [`RAW`] byte), a module it may import
//! (`other.ts`) and sometimes a `deno.json`, each either raw text from the
//! input or a sentence of the tokens swc and the import policy care about
//! (keywords, types, decorators, brackets, specifiers). Property:
//! [`coral_compiler::compile`] answers with a program or a typed error,
//! never a panic or an abort, and a program is built only from files in
//! the folder, with a source map that parses (swc recursing without bound aborts the
//! process: the nesting pre-scan is what stops it). Time and memory are
//! bounded by the fuzzer (`-timeout`, `-rss_limit_mb` in
//! `docs/fuzzing.md`).

use arbitrary::Unstructured;

use crate::sentence;

/// Tokens of TypeScript, and of what the compiler does with it.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "=>",
    ";",
    ",",
    ":",
    "?",
    "?.",
    "??",
    "!",
    "<",
    ">",
    "<T>",
    "=",
    "...",
    ".",
    "@",
    "#x",
    "`",
    "${",
    "'",
    "\"",
    "/re+/g",
    "//",
    "/*",
    "*/",
    "\n",
    "const",
    "let",
    "var",
    "function",
    "function*",
    "async",
    "await",
    "yield",
    "return",
    "class",
    "extends",
    "implements",
    "interface",
    "type",
    "enum",
    "namespace",
    "declare",
    "abstract",
    "private",
    "public",
    "readonly",
    "static",
    "accessor",
    "satisfies",
    "as",
    "keyof",
    "typeof",
    "infer",
    "new",
    "this",
    "super",
    "if",
    "else",
    "for",
    "of",
    "in",
    "while",
    "switch",
    "case",
    "default",
    "try",
    "catch",
    "finally",
    "throw",
    "using",
    "import",
    "export",
    "from",
    "import type",
    "export *",
    "export default",
    "import(",
    "\"./other.ts\"",
    "\"../x.ts\"",
    "\"npm:x\"",
    "\"node:fs\"",
    "\"https://x/y.ts\"",
    "\"@coral/sdk\"",
    "\"./data.json\"",
    "with { type: \"json\" }",
    "x",
    "y",
    "T",
    "U",
    "number",
    "string",
    "any",
    "unknown",
    "never",
    "0",
    "1n",
    "0x10",
    "1e9",
    "@decorator",
    "console.log(",
    "db.query(",
    "eval(",
    "new Function(",
    "arguments",
    "<div>",
];

/// Keys and values of `deno.json` the compiler reads.
const CONFIG_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"compilerOptions\"",
    "\"experimentalDecorators\"",
    "\"emitDecoratorMetadata\"",
    "\"imports\"",
    "\"jsx\"",
    "true",
    "false",
    "null",
    "1",
    "\"x\"",
    "//",
    "/*",
    "*/",
];

/// A first byte saying the rest is `main.ts` as it is (how the seeds from
/// `tests/spec` are stored).
pub const RAW: u8 = 0;

/// Checks one input (see the module docs).
pub fn check(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (main, mut u) = match data.split_first() {
        Some((&RAW, rest)) => (
            String::from_utf8_lossy(rest).into_owned(),
            Unstructured::new(&[]),
        ),
        _ => {
            let mut u = Unstructured::new(data);
            (text(&mut u, TOKENS, 200), u)
        }
    };
    let other = text(&mut u, TOKENS, 50);
    std::fs::write(dir.path().join("main.ts"), main).expect("write main.ts");
    std::fs::write(dir.path().join("other.ts"), other).expect("write other.ts");
    std::fs::write(dir.path().join("data.json"), "{\"a\": [1, 2]}").expect("write data.json");
    if u.ratio(1, 4).unwrap_or(false) {
        let config = text(&mut u, CONFIG_TOKENS, 30);
        std::fs::write(dir.path().join("deno.json"), config).expect("write deno.json");
    }
    // Ok or a typed error; a panic or an abort ends the fuzzer with it.
    let Ok(compiled) = coral_compiler::compile(&dir.path().join("main.ts")) else {
        return;
    };
    let folder = dir.path().canonicalize().expect("the folder exists");
    for file in &compiled.files {
        let file = file.canonicalize().expect("a bundled file exists");
        assert!(
            file.starts_with(&folder),
            "{} is outside the script's folder",
            file.display()
        );
    }
    serde_json::from_str::<serde_json::Value>(&compiled.source_map)
        .expect("the source map is JSON");
}

/// Raw text from the input, or a sentence of `tokens`.
fn text(u: &mut Unstructured<'_>, tokens: &[&str], most: usize) -> String {
    if u.ratio(1, 3).unwrap_or(false) {
        u.arbitrary::<String>().unwrap_or_default()
    } else {
        sentence(u, tokens, most)
    }
}
