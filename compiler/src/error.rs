//! Compile errors. Each one that concerns the script's text carries a
//! [`Location`] so the message reads `file:line:col`.

use std::fmt;
use std::path::PathBuf;

/// A position in a source file, 1-based, with the text of that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as shown to the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The source line, for the excerpt under the message.
    pub source_line: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

impl Location {
    /// A rustc-style excerpt: the line and a caret under the column.
    /// A line longer than [`EXCERPT_CHARS`] is cut to a window around the
    /// column, marked with `…`, so a one-line megabyte of source gives a
    /// short message.
    pub fn excerpt(&self) -> String {
        let gutter = self.line.to_string();
        let pad = " ".repeat(gutter.len());
        let chars: Vec<char> = self.source_line.trim_end().chars().collect();
        let col = self.col.saturating_sub(1).min(chars.len());
        let (start, end) = if chars.len() <= EXCERPT_CHARS {
            (0, chars.len())
        } else {
            let start = col.saturating_sub(EXCERPT_CHARS / 2);
            (start, (start + EXCERPT_CHARS).min(chars.len()))
        };
        let lead = if start > 0 { "…" } else { "" };
        let tail = if end < chars.len() { "…" } else { "" };
        let shown: String = chars[start..end].iter().collect();
        let caret_pad: String = lead
            .chars()
            .map(|_| ' ')
            .chain(
                chars[start..col]
                    .iter()
                    .map(|&c| if c == '\t' { '\t' } else { ' ' }),
            )
            .collect();
        format!("{pad} |\n{gutter} | {lead}{shown}{tail}\n{pad} | {caret_pad}^")
    }
}

/// The most characters of a source line an excerpt shows.
pub const EXCERPT_CHARS: usize = 120;

/// Why a script could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// The script's text does not parse.
    #[error("{location}: syntax error: {message}\n{}", location.excerpt())]
    Syntax {
        /// Where.
        location: Location,
        /// The parser's message.
        message: String,
    },
    /// An import the sandbox does not allow.
    #[error("{location}: import \"{specifier}\" is not allowed: {reason}\n{}", location.excerpt())]
    ImportRefused {
        /// Where the import is.
        location: Location,
        /// The specifier as written.
        specifier: String,
        /// Why, and what is allowed instead.
        reason: String,
    },
    /// A relative import whose file does not exist.
    #[error("{location}: cannot find module \"{specifier}\" (looked for {})\n{}", tried.join(", "), location.excerpt())]
    ModuleNotFound {
        /// Where the import is.
        location: Location,
        /// The specifier as written.
        specifier: String,
        /// The files that were tried.
        tried: Vec<String>,
    },
    /// An import of a name the module does not export (a `SyntaxError` when
    /// an ES module is linked; Deno reports it the same way).
    #[error("{location}: the requested module \"{specifier}\" does not provide an export named \"{name}\"\n{}", location.excerpt())]
    MissingExport {
        /// Where the import is.
        location: Location,
        /// The specifier as written.
        specifier: String,
        /// The name asked for (`default` for a default import).
        name: String,
    },
    /// A dynamic `import()`: it would load a module no one checked.
    #[error("{location}: dynamic import() is not supported in Coral scripts: import modules statically (`import … from \"./file.ts\"`), so the compiler can check every one before the script runs\n{}", location.excerpt())]
    DynamicImport {
        /// Where the call is.
        location: Location,
    },
    /// Brackets, braces and parentheses nested deeper than the compiler
    /// (and V8) can parse.
    #[error("{location}: the code nests more than {max} levels deep (brackets, braces and parentheses); Coral scripts may nest at most {max}\n{}", location.excerpt())]
    TooDeep {
        /// Where the limit is passed.
        location: Location,
        /// The limit ([`crate::nesting::MAX_NESTING`]).
        max: usize,
    },
    /// Modules that import each other.
    #[error("{location}: circular import: {cycle} (circular imports are not supported)\n{}", location.excerpt())]
    CircularImport {
        /// The import that closes the cycle.
        location: Location,
        /// `a.ts -> b.ts -> a.ts`.
        cycle: String,
    },
    /// A JSON module that is not valid JSON.
    #[error("{file}: invalid JSON: {message}")]
    InvalidJson {
        /// The file.
        file: String,
        /// serde_json's message (with line and column).
        message: String,
    },
    /// A script file that cannot be read.
    // The source's text comes after this one's in the CLI's report (`{:#}`).
    #[error("cannot read {}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The script and its imports hold more source than the compiler takes.
    #[error("{}: the script and its imports hold more than {} KiB of code with this file, the most the compiler takes (it needs 25-30 times that in memory; JSON files are not counted)", path.display(), max / 1024)]
    TooLarge {
        /// The file that went past the limit.
        path: PathBuf,
        /// The limit in bytes ([`crate::bundle::MAX_SOURCE_BYTES`]).
        max: usize,
    },
    /// The script folder's `deno.json`/`deno.jsonc` cannot be used.
    #[error("{}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong (jsonc-parser's message with line and column, or
        /// the option and the value it has).
        message: String,
    },
    /// A file type the compiler does not handle.
    #[error("{}: unsupported file type (expected .ts, .mts, .js, .mjs or .json)", path.display())]
    UnsupportedFile {
        /// The path.
        path: PathBuf,
    },
    /// A failure inside the compiler that no script should cause: a thread
    /// that cannot start, swc panicking or failing to print what it parsed.
    /// A bug (or the machine), never the script's fault; `coral` exits 70.
    #[error("internal compiler error: {0}")]
    Internal(String),
    /// Building the plugin image or a wasm bundle failed.
    #[error("building wasm failed: {0}")]
    Wasm(String),
    /// The on-disk cache could not be used.
    #[error("cache error at {}", path.display())]
    Cache {
        /// The cache path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}
