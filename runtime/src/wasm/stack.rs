//! Maps QuickJS stack frames in the compiled program back to the original
//! TypeScript files through the compiler's source map.

use coral_host_abi::PROGRAM_MODULE_NAME;

use crate::contract::report::FrameBudget;
use swc_sourcemap::SourceMap;

/// A parsed source map, ready for lookups (the default maps nothing).
#[derive(Debug, Default)]
pub struct StackMapper {
    map: Option<SourceMap>,
}

impl StackMapper {
    /// From v3 JSON; an unparsable map maps nothing (frames are then dropped).
    pub fn new(source_map: Option<&str>) -> Self {
        Self {
            map: source_map.and_then(|json| SourceMap::from_slice(json.as_bytes()).ok()),
        }
    }

    /// Maps a 1-based program position to `file:line:col` in the original.
    pub fn map_position(&self, line: u32, col: u32) -> Option<String> {
        let (source, line, col) = self.map_location(line, col)?;
        Some(format!("{source}:{line}:{col}"))
    }

    /// Maps a 1-based program position to the original file (as the compiler
    /// names it) and its 1-based line and column; `None` for the compiler's
    /// glue.
    pub fn map_location(&self, line: u32, col: u32) -> Option<(String, u32, u32)> {
        let map = self.map.as_ref()?;
        let token = map.lookup_token(line.checked_sub(1)?, col.saturating_sub(1))?;
        if token.get_dst_line() != line - 1 {
            return None;
        }
        let source = token.get_source()?;
        Some((
            source.to_string(),
            token.get_src_line() + 1,
            token.get_src_col() + 1,
        ))
    }

    /// Rewrites a QuickJS `stack` string into frames naming the original
    /// files. Frames in the compiler's glue (no mapping), in the engine's prelude
    /// (`eval_script`, e.g. the host-call glue) and of built-in functions
    /// (`(native)`, which V8 does not show either) are dropped.
    ///
    /// Mapping stops once the report's frame budget is used up (a crafted
    /// bundle's source map can name huge files; a stack can be long), so
    /// the frames never hold more than about 48 KiB; the rest are counted.
    pub fn map_stack(&self, stack: &str) -> Vec<String> {
        let mut budget = FrameBudget::default();
        for line in stack.lines().map(str::trim) {
            // The engine's own count of frames it left out of a long stack.
            if let Some(n) = line
                .strip_prefix("... ")
                .and_then(|rest| rest.strip_suffix(" more frames not shown"))
                .and_then(|n| n.parse().ok())
            {
                budget.left_out_before(n);
            } else if line.starts_with("at ")
                && !line.contains("(eval_script:")
                && !line.ends_with("(native)")
            {
                budget.offer(|| self.map_frame(line));
            }
        }
        budget.finish()
    }

    fn map_frame(&self, frame: &str) -> Option<String> {
        let marker = format!("{PROGRAM_MODULE_NAME}:");
        let Some(start) = frame.find(&marker) else {
            return Some(frame.to_string());
        };
        let rest = &frame[start + marker.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(rest.len());
        let mut nums = rest[..end].split(':').filter_map(|n| n.parse::<u32>().ok());
        let line = nums.next()?;
        let col = nums.next().unwrap_or(1);
        let mapped = self.map_position(line, col)?;
        // The SDK is the platform: its frames are left out, as Deno leaves
        // out its own `ext:` frames (the Deno engine drops them too).
        if mapped.starts_with(SDK_PREFIX) {
            return None;
        }
        let frame = format!("{}{}{}", &frame[..start], mapped, &rest[end..]);
        Some(unnamed(&frame).unwrap_or(frame))
    }
}

/// How the compiler names the SDK's files in the source map.
const SDK_PREFIX: &str = "@coral/sdk/";

/// `at <anonymous> (a.ts:1:2)` (a module's top level, an arrow function) and
/// `at __coral_init3 (lib/a.ts:1:2)` (an imported module's top level, which
/// the compiler wraps in a function) as V8 prints them: `at a.ts:1:2`.
fn unnamed(frame: &str) -> Option<String> {
    let rest = frame.strip_prefix("at ")?;
    let (name, location) = rest.split_once(" (")?;
    let is_module_init = name
        .strip_prefix("__coral_init")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if name != "<anonymous>" && !is_module_init {
        return None;
    }
    Some(format!("at {}", location.strip_suffix(')')?))
}
