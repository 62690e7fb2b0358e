//! Source positions QuickJS would not record. QuickJS notes a position
//! only at some operations (the start of an expression statement, a call,
//! a `throw`, a binary operator), and an error takes the last one noted.
//! Reading a global that does not exist (`structuredClone(x)` on an engine
//! without it) in a declaration, a `return` or a condition therefore blamed
//! the statement before. Before each such statement the compiler puts a
//! `void 0;` whose position is the global's, so the `ReferenceError` names
//! the right line and column.
//!
//! Only reads of names the wasm engine does not define ([`ENGINE_GLOBALS`])
//! get one: scripts that use the engine's globals cost no extra fuel.

use std::collections::HashSet;

use swc_core::common::{DUMMY_SP, Mark, Span};
use swc_core::ecma::ast::{
    ArrowExpr, BlockStmt, Class, Decl, EmptyStmt, Expr, ExprStmt, Function, Id, Ident, Lit, Module,
    ModuleDecl, ModuleItem, Number, Stmt, UnaryExpr, UnaryOp,
};
use swc_core::ecma::utils::find_pat_ids;
use swc_core::ecma::visit::{Visit, VisitMut, VisitMutWith, VisitWith};

/// Every global the wasm engine defines (`Object.getOwnPropertyNames
/// (globalThis)`, its own `__coral_*` names aside), sorted. A test
/// (`cli/tests/spec.rs`) checks it against the engine.
pub const ENGINE_GLOBALS: &[&str] = &[
    "AbortController",
    "AbortSignal",
    "AggregateError",
    "Array",
    "ArrayBuffer",
    "AsyncDisposableStack",
    "BigInt",
    "BigInt64Array",
    "BigUint64Array",
    "Blob",
    "Boolean",
    "ByteLengthQueuingStrategy",
    "CompressionStream",
    "CountQueuingStrategy",
    "Crypto",
    "CustomEvent",
    "DOMException",
    "DataView",
    "Date",
    "DecompressionStream",
    "DisposableStack",
    "Error",
    "ErrorEvent",
    "EvalError",
    "Event",
    "EventTarget",
    "File",
    "FinalizationRegistry",
    "Float16Array",
    "Float32Array",
    "Float64Array",
    "FormData",
    "Function",
    "Headers",
    "Infinity",
    "Int16Array",
    "Int32Array",
    "Int8Array",
    "InternalError",
    "Intl",
    "Iterator",
    "JSON",
    "Map",
    "Math",
    "NaN",
    "Navigator",
    "Number",
    "Object",
    "Promise",
    "PromiseRejectionEvent",
    "Proxy",
    "RangeError",
    "ReadableByteStreamController",
    "ReadableStream",
    "ReadableStreamBYOBReader",
    "ReadableStreamBYOBRequest",
    "ReadableStreamDefaultController",
    "ReadableStreamDefaultReader",
    "ReferenceError",
    "Reflect",
    "RegExp",
    "Request",
    "Response",
    "Set",
    "SharedArrayBuffer",
    "String",
    "SubtleCrypto",
    "SuppressedError",
    "Symbol",
    "SyntaxError",
    "TextDecoder",
    "TextDecoderStream",
    "TextEncoder",
    "TextEncoderStream",
    "TransformStream",
    "TransformStreamDefaultController",
    "TypeError",
    "URIError",
    "URL",
    "URLSearchParams",
    "Uint16Array",
    "Uint32Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "WeakMap",
    "WeakRef",
    "WeakSet",
    "WritableStream",
    "WritableStreamDefaultController",
    "WritableStreamDefaultWriter",
    "addEventListener",
    "atob",
    "btoa",
    "clearInterval",
    "clearTimeout",
    "console",
    "crypto",
    "decodeURI",
    "decodeURIComponent",
    "dispatchEvent",
    "encodeURI",
    "encodeURIComponent",
    "escape",
    "eval",
    "globalThis",
    "isFinite",
    "isNaN",
    "navigator",
    "onbeforeunload",
    "onerror",
    "onload",
    "onunhandledrejection",
    "onunload",
    "parseFloat",
    "parseInt",
    "performance",
    "queueMicrotask",
    "removeEventListener",
    "reportError",
    "self",
    "setInterval",
    "setTimeout",
    "structuredClone",
    "undefined",
    "unescape",
];

/// The names `module` declares with `declare` at its top level (`declare
/// const X: …`, `declare function f(…)`): they are promises that a global
/// exists, and once the types are stripped they are global reads.
pub(crate) fn ambient_names(module: &Module) -> HashSet<Id> {
    let mut out = HashSet::new();
    for item in &module.body {
        let decl = match item {
            ModuleItem::Stmt(Stmt::Decl(decl)) => decl,
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => &export.decl,
            _ => continue,
        };
        match decl {
            Decl::Var(var) if var.declare => {
                out.extend(find_pat_ids::<_, Id>(&var.decls));
            }
            Decl::Fn(f) if f.declare => {
                out.insert(f.ident.to_id());
            }
            Decl::Class(c) if c.declare => {
                out.insert(c.ident.to_id());
            }
            _ => {}
        }
    }
    out
}

/// Puts a position marker before every statement of `module` that reads a
/// global the engine lacks where QuickJS would record no position.
/// `unresolved` is the resolver's mark for names no scope declares;
/// `ambient` are the names the module declared with `declare`
/// ([`ambient_names`], taken before the types were stripped).
pub(crate) fn mark_unknown_globals(module: &mut Module, unresolved: Mark, ambient: &HashSet<Id>) {
    module.visit_mut_with(&mut Marker {
        unresolved,
        ambient,
    });
}

struct Marker<'a> {
    unresolved: Mark,
    ambient: &'a HashSet<Id>,
}

impl Marker<'_> {
    /// Where `stmt` itself (not a nested statement or function) first reads
    /// an unknown global; `None` for expression statements, whose start
    /// QuickJS records.
    fn first_unknown(&self, stmt: &Stmt) -> Option<Span> {
        match stmt {
            Stmt::Expr(_) => return None,
            // The marker goes before the label, which must stay on its loop.
            Stmt::Labeled(labeled) => return self.first_unknown(&labeled.body),
            _ => {}
        }
        let mut finder = Finder {
            unresolved: self.unresolved,
            ambient: self.ambient,
            found: None,
        };
        stmt.visit_children_with(&mut finder);
        finder.found
    }

    fn marked(&self, stmts: Vec<Stmt>) -> Vec<Stmt> {
        let mut out = Vec::with_capacity(stmts.len());
        for stmt in stmts {
            if let Some(span) = self.first_unknown(&stmt) {
                out.push(marker(span));
            }
            out.push(stmt);
        }
        out
    }
}

impl VisitMut for Marker<'_> {
    fn visit_mut_stmts(&mut self, stmts: &mut Vec<Stmt>) {
        stmts.visit_mut_children_with(self);
        *stmts = self.marked(std::mem::take(stmts));
    }

    fn visit_mut_module_items(&mut self, items: &mut Vec<ModuleItem>) {
        items.visit_mut_children_with(self);
        let mut out = Vec::with_capacity(items.len());
        for item in std::mem::take(items) {
            let found = match &item {
                ModuleItem::Stmt(stmt) => self.first_unknown(stmt),
                ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(export)) => {
                    self.first_unknown(&Stmt::Decl(export.decl.clone()))
                }
                ModuleItem::ModuleDecl(_) => None,
            };
            if let Some(span) = found {
                out.push(ModuleItem::Stmt(marker(span)));
            }
            out.push(item);
        }
        *items = out;
    }

    /// A lone statement (`if (a) return b;`) becomes a block to hold its
    /// marker; a declaration cannot stand there, so scoping is unchanged.
    fn visit_mut_stmt(&mut self, stmt: &mut Stmt) {
        stmt.visit_mut_children_with(self);
        for body in lone_bodies(stmt) {
            if self.first_unknown(body).is_some() {
                let inner = std::mem::replace(body, Stmt::Empty(EmptyStmt { span: DUMMY_SP }));
                *body = Stmt::Block(BlockStmt {
                    stmts: self.marked(vec![inner]),
                    ..Default::default()
                });
            }
        }
    }
}

/// The statements that stand alone as the body of `stmt`.
fn lone_bodies(stmt: &mut Stmt) -> Vec<&mut Stmt> {
    match stmt {
        Stmt::If(s) => std::iter::once(&mut *s.cons)
            .chain(s.alt.as_deref_mut())
            .collect(),
        Stmt::For(s) => vec![&mut *s.body],
        Stmt::ForIn(s) => vec![&mut *s.body],
        Stmt::ForOf(s) => vec![&mut *s.body],
        Stmt::While(s) => vec![&mut *s.body],
        Stmt::DoWhile(s) => vec![&mut *s.body],
        // Not a labelled statement's body: `continue label` needs the label
        // on the loop itself.
        _ => Vec::new(),
    }
}

/// `void 0;` at `span`: QuickJS records its position, and the source map
/// maps it to the global's.
fn marker(span: Span) -> Stmt {
    Stmt::Expr(ExprStmt {
        span,
        expr: Box::new(Expr::Unary(UnaryExpr {
            span,
            op: UnaryOp::Void,
            arg: Box::new(Expr::Lit(Lit::Num(Number {
                span,
                value: 0.0,
                raw: None,
            }))),
        })),
    })
}

/// Finds the first read of an unknown global in a statement's own
/// expressions: not in nested statements or function bodies (they run at
/// another time and get their own markers), not under `typeof` (which does
/// not throw).
struct Finder<'a> {
    unresolved: Mark,
    ambient: &'a HashSet<Id>,
    found: Option<Span>,
}

impl Visit for Finder<'_> {
    fn visit_ident(&mut self, ident: &Ident) {
        if self.found.is_none()
            && (ident.ctxt.outer() == self.unresolved || self.ambient.contains(&ident.to_id()))
            && &*ident.sym != "arguments"
            && ENGINE_GLOBALS.binary_search(&&*ident.sym).is_err()
        {
            self.found = Some(ident.span);
        }
    }
    fn visit_unary_expr(&mut self, unary: &UnaryExpr) {
        if unary.op == UnaryOp::TypeOf && matches!(*unary.arg, Expr::Ident(_)) {
            return;
        }
        unary.visit_children_with(self);
    }
    fn visit_stmt(&mut self, _: &Stmt) {}
    fn visit_block_stmt(&mut self, _: &BlockStmt) {}
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_class(&mut self, class: &Class) {
        // `extends X` is evaluated where the class is defined.
        class.super_class.visit_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_binary_search() {
        assert!(ENGINE_GLOBALS.windows(2).all(|w| w[0] < w[1]));
    }
}
