//! A program QuickJS refuses to compile, reported where the refused code is
//! in the script's own files (`file:line:col` and an excerpt), not at a
//! position in the compiled program: the compiler (swc) takes some syntax the engine
//! lacks, mostly newer regular-expression syntax.

use coral_compiler::regexps::regex_literals;
use coral_compiler::{CompiledScript, Location};
use coral_host_abi::PROGRAM_MODULE_NAME;
use coral_runtime::{PluginModule, RunOptions, Runner, RuntimeError, StackMapper};

/// Most regular-expression literals compiled one by one to find the refused
/// one (each is a throwaway compile of a few milliseconds).
const MAX_LITERALS_TRIED: usize = 2000;

/// What QuickJS's regular expressions lack that V8's have, for the hint.
const REGEX_HINT: &str = "If the pattern is valid (V8 takes it), it uses syntax QuickJS's regular expressions lack (ES2024/ES2025: the v flag's set operations such as [\\p{L}--[a-z]], modifiers such as (?i:…), duplicate named groups): rewrite it, or run the script with --engine deno";

/// The report for `message`, QuickJS's refusal of `compiled.js`: located in
/// the script's files when the refusal names a position in the program or is one
/// regular-expression literal; otherwise the message as it is.
pub fn describe(
    runner: &Runner,
    plugin: &PluginModule,
    compiled: &CompiledScript,
    options: &RunOptions,
    message: &str,
) -> String {
    let reason = reason(message);
    let mapper = StackMapper::new(Some(&compiled.source_map));
    let (position, what) = match program_position(message) {
        Some(position) => (Some(position), None),
        None => match refused_literal(runner, plugin, compiled, options) {
            Some(position) => (Some(position), Some("regular expression")),
            None => (None, None),
        },
    };
    let Some((file, line, col)) = position.and_then(|(l, c)| mapper.map_location(l, c)) else {
        return format!("QuickJS could not compile the script: {reason}");
    };
    let location = Location {
        source_line: source_line(&file, line).unwrap_or_default(),
        file,
        line: line as usize,
        col: col as usize,
    };
    let excerpt = if location.source_line.is_empty() {
        String::new()
    } else {
        format!("\n{}", location.excerpt())
    };
    match what {
        Some(what) => format!(
            "{location}: QuickJS cannot compile this {what}: {reason}. {REGEX_HINT}{excerpt}"
        ),
        None => format!("{location}: QuickJS cannot compile this: {reason}{excerpt}"),
    }
}

/// QuickJS's message without its error class and frames.
fn reason(message: &str) -> &str {
    let first = message.lines().next().unwrap_or(message).trim();
    let first = first
        .strip_prefix("Failed to compile source code: ")
        .unwrap_or(first);
    first
        .strip_prefix("SyntaxError: ")
        .or_else(|| first.strip_prefix("Error: "))
        .unwrap_or(first)
}

/// The `at function.mjs:LINE:COL` position a refusal names, if any.
fn program_position(message: &str) -> Option<(u32, u32)> {
    let at = message.find(&format!("{PROGRAM_MODULE_NAME}:"))?;
    let rest = &message[at + PROGRAM_MODULE_NAME.len() + 1..];
    let mut parts = rest.split(|c: char| !c.is_ascii_digit());
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    Some((line, col))
}

/// The first regular-expression literal QuickJS refuses on its own.
fn refused_literal(
    runner: &Runner,
    plugin: &PluginModule,
    compiled: &CompiledScript,
    options: &RunOptions,
) -> Option<(u32, u32)> {
    regex_literals(&compiled.js)
        .into_iter()
        .take(MAX_LITERALS_TRIED)
        .find(|literal| {
            matches!(
                runner.check_compiles(plugin, &format!("{};", literal.text), options),
                Err(RuntimeError::Compile(_))
            )
        })
        .map(|literal| (literal.line, literal.col))
}

/// Line `line` (1-based) of the script file the compiler named `file`.
fn source_line(file: &str, line: u32) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .nth(line.checked_sub(1)? as usize)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quickjs_messages() {
        assert_eq!(
            program_position("Error: invalid property name\n    at function.mjs:36:16\n"),
            Some((36, 16))
        );
        assert_eq!(program_position("Error: duplicate group name"), None);
        assert_eq!(
            reason("Failed to compile source code: Error: duplicate group name"),
            "duplicate group name"
        );
        assert_eq!(
            reason("SyntaxError: unexpected token\n    at x"),
            "unexpected token"
        );
    }
}
