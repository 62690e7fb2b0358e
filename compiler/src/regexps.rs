//! The regular-expression literals of an emitted program, with their
//! positions: QuickJS checks a literal's pattern when it compiles the whole
//! program and reports a bad one without a position, so the CLI compiles
//! them one at a time to find the one it refused.

use swc_core::common::{FileName, SourceMap, sync::Lrc};
use swc_core::ecma::ast::{EsVersion, Regex};
use swc_core::ecma::parser::{EsSyntax, Syntax, parse_file_as_module};
use swc_core::ecma::visit::{Visit, VisitWith};

/// One `/pattern/flags` in a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexLiteral {
    /// 1-based line in the program.
    pub line: u32,
    /// 1-based column (characters) in the program.
    pub col: u32,
    /// The literal as written, `/pattern/flags`.
    pub text: String,
}

/// Every regular-expression literal of `js` (an ES module, as the compiler
/// emits it), in source order; none when `js` does not parse.
pub fn regex_literals(js: &str) -> Vec<RegexLiteral> {
    struct Finder<'a> {
        cm: &'a SourceMap,
        found: Vec<RegexLiteral>,
    }
    impl Visit for Finder<'_> {
        fn visit_regex(&mut self, regex: &Regex) {
            let loc = self.cm.lookup_char_pos(regex.span.lo);
            self.found.push(RegexLiteral {
                line: loc.line as u32,
                col: loc.col.0 as u32 + 1,
                text: format!("/{}/{}", regex.exp, regex.flags),
            });
        }
    }
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(Lrc::new(FileName::Anon), js.to_string());
    let Ok(module) = parse_file_as_module(
        &fm,
        Syntax::Es(EsSyntax::default()),
        EsVersion::EsNext,
        None,
        &mut Vec::new(),
    ) else {
        return Vec::new();
    };
    let mut finder = Finder {
        cm: &cm,
        found: Vec::new(),
    };
    module.visit_with(&mut finder);
    finder.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_literal_where_it_is() {
        let found = regex_literals(
            "const a = 1;\nconst re = /(?<x>a)|(?<x>b)/gu, s = \"/no/\";\n  x.replace(/\\//g, \"\");",
        );
        assert_eq!(
            found,
            vec![
                RegexLiteral {
                    line: 2,
                    col: 12,
                    text: "/(?<x>a)|(?<x>b)/gu".into()
                },
                RegexLiteral {
                    line: 3,
                    col: 13,
                    text: "/\\//g".into()
                },
            ]
        );
    }
}
