//! A bound on how deeply a source nests, checked before swc parses it.
//! swc (and V8, on the Deno engine) recurse once per level: 400,000 nested
//! parentheses overflowed even the compiler's 1 GiB stack and aborted the
//! process. A script nested past [`MAX_NESTING`] is a compile error instead.
//!
//! The scan is lexical, not a parse: it counts `(`, `[`, `{` and `${`
//! against their closers and skips string literals, template text and
//! comments. Brackets inside a regular-expression literal are counted too;
//! that can only overstate the depth of an already pathological line.

/// The deepest nesting of brackets, braces and parentheses a script may
/// have (Deno, which parses the same source, overflows its stack between 1,000 and 2,000 levels).
pub const MAX_NESTING: usize = 1_000;

/// The byte offset where `source` first nests deeper than `max`, if it does.
pub(crate) fn too_deep(source: &str, max: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Frame {
        /// `(`, `[` or `{`.
        Bracket,
        /// `${` inside a template; its `}` returns to template text.
        Interpolation,
        /// `=>`: an arrow's body nests until a `,`, `;`, line end or
        /// closer ends it (`x => x => x` recurses in the parser as deeply
        /// as parentheses do).
        Arrow,
    }
    fn end_arrows(stack: &mut Vec<Frame>) {
        while stack.last() == Some(&Frame::Arrow) {
            stack.pop();
        }
    }
    let bytes = source.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut in_template = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_template {
            match c {
                b'\\' => i += 1,
                b'`' => in_template = false,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    in_template = false;
                    stack.push(Frame::Interpolation);
                    if stack.len() > max {
                        return Some(i);
                    }
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => in_template = true,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                stack.push(Frame::Bracket);
                if stack.len() > max {
                    return Some(i);
                }
            }
            b'=' if bytes.get(i + 1) == Some(&b'>') => {
                stack.push(Frame::Arrow);
                if stack.len() > max {
                    return Some(i);
                }
                i += 1;
            }
            b',' | b';' | b'\n' => end_arrows(&mut stack),
            b')' | b']' => {
                end_arrows(&mut stack);
                stack.pop();
            }
            // Closing a `${` returns to the template's text.
            b'}' => {
                end_arrows(&mut stack);
                in_template = stack.pop() == Some(Frame::Interpolation);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_and_skips_strings_comments_and_template_text() {
        assert_eq!(too_deep("f((([1])))", 4), None);
        assert_eq!(too_deep("f((([1])))", 3), Some(4));
        assert_eq!(too_deep(r#"const s = "((((((("; // ((((((("#, 1), None);
        assert_eq!(too_deep("/* [[[[[[ */ x", 1), None);
        assert_eq!(too_deep("`((((( ${ a } (((((`", 1), None);
        assert_eq!(too_deep("`${ `${ (x) }` }`", 2), Some(8));
        let deep = format!("{}1{}", "(".repeat(400_000), ")".repeat(400_000));
        assert_eq!(too_deep(&deep, MAX_NESTING), Some(MAX_NESTING));
        // Arrow chains nest; arrows side by side, or one per line, do not.
        assert_eq!(too_deep("f(x => y => z => 1)", 3), Some(14));
        assert_eq!(too_deep("f(x => 1, y => 2); g(z => { return 3 })", 3), None);
        let lines = "const f = (x) => x + 1\n".repeat(5000);
        assert_eq!(too_deep(&lines, 10), None);
        let chain = format!("const f = {}1;", "x=>".repeat(400_000));
        assert_eq!(
            too_deep(&chain, MAX_NESTING),
            Some(10 + 3 * MAX_NESTING + 1)
        );
    }
}
