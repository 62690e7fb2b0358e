//! One module of a script: parse it (TypeScript or JavaScript), strip the
//! types, and rewrite its `import`/`export` declarations into plain
//! statements over namespace objects so the compiler can put every module
//! into one program.
//!
//! A dependency module becomes `async function __coral_initN(__exports) {…}`;
//! its exports are getters on `__exports`, and every use of an imported name
//! reads the dependency's namespace object, so bindings are live as in ES.

use std::collections::{HashMap, HashSet};

use swc_core::common::{DUMMY_SP, FileName, Mark, SourceFile, SourceMap, Span, Spanned, sync::Lrc};
use swc_core::ecma::ast::{
    CallExpr, Callee, ClassDecl, ComputedPropName, Decl, DefaultDecl, EsVersion, ExportSpecifier,
    Expr, FnDecl, Id, Ident, ImportSpecifier, KeyValueProp, Lit, MemberExpr, MemberProp, Module,
    ModuleDecl, ModuleExportName, ModuleItem, ParenExpr, Program, Prop, PropName, SeqExpr, Stmt,
    Str, TaggedTpl,
};
use swc_core::ecma::parser::{EsSyntax, Syntax, TsSyntax, parse_file_as_module};
use swc_core::ecma::transforms::base::helpers::{HELPERS, Helpers, inject_helpers};
use swc_core::ecma::transforms::base::hygiene::hygiene;
use swc_core::ecma::transforms::base::resolver;
use swc_core::ecma::transforms::proposal::{decorator_2022_03::decorator_2022_03, decorators};
use swc_core::ecma::transforms::typescript::strip;
use swc_core::ecma::utils::{DropSpan, find_pat_ids};
use swc_core::ecma::visit::{Visit, VisitMut, VisitMutWith, VisitWith};

use crate::config::CompilerOptions;
use crate::error::{CompileError, Location};
use crate::{nesting, positions};

/// Names the compiler reserves; user code must not define them.
pub(crate) const EXPORTS: &str = "__exports";

/// A module after rewriting.
#[derive(Debug)]
pub(crate) struct RewrittenModule {
    /// Statements, in order, with imports and exports rewritten.
    pub body: Vec<Stmt>,
}

/// An import found in a module, before resolution.
#[derive(Debug, Clone)]
pub(crate) struct Import {
    /// The specifier as written.
    pub specifier: String,
    /// Where it is written.
    pub span: Span,
}

impl Import {
    fn of(src: &Str) -> Self {
        Self {
            specifier: src.value.to_string_lossy().into_owned(),
            span: src.span,
        }
    }
}

/// The binding an anonymous `export default` value gets.
const DEFAULT_BINDING: &str = "__coral_default";

/// Gives a dependency's namespace variable for a specifier.
pub(crate) type Link<'a> = dyn FnMut(&Import) -> Result<String, CompileError> + 'a;

/// The location of `span`, for error messages.
pub(crate) fn location(cm: &SourceMap, span: Span) -> Location {
    let loc = cm.lookup_char_pos(span.lo);
    let source_line = loc
        .file
        .get_line(loc.line.saturating_sub(1))
        .map(|l| l.to_string())
        .unwrap_or_default();
    Location {
        file: loc.file.name.to_string(),
        line: loc.line,
        col: loc.col.0 + 1,
        source_line,
    }
}

/// Parses `source` (named `display`), lowers its decorators and strips its
/// types; JSON becomes a module whose default export is the value.
pub(crate) fn parse(
    cm: &Lrc<SourceMap>,
    display: &str,
    extension: &str,
    source: String,
    marks: (Mark, Mark),
    options: CompilerOptions,
) -> Result<Module, CompileError> {
    let fm = cm.new_source_file(Lrc::new(FileName::Custom(display.to_string())), source);
    if extension == "json" {
        return json_module(cm, &fm, display);
    }
    if let Some(at) = nesting::too_deep(&fm.src, nesting::MAX_NESTING) {
        let span = Span::new(
            fm.start_pos + swc_core::common::BytePos(at as u32),
            fm.start_pos + swc_core::common::BytePos(at as u32 + 1),
        );
        return Err(CompileError::TooDeep {
            location: location(cm, span),
            max: nesting::MAX_NESTING,
        });
    }
    let syntax = match extension {
        "js" | "mjs" => Syntax::Es(EsSyntax::default()),
        _ => Syntax::Typescript(TsSyntax {
            decorators: true,
            ..Default::default()
        }),
    };
    let mut recovered = Vec::new();
    let module = parse_file_as_module(&fm, syntax, EsVersion::EsNext, None, &mut recovered);
    let syntax_error = |e: swc_core::ecma::parser::error::Error| CompileError::Syntax {
        location: location(cm, e.span()),
        message: e.kind().msg().to_string(),
    };
    let module = module.map_err(syntax_error)?;
    if let Some(first) = recovered.into_iter().next() {
        return Err(syntax_error(first));
    }
    let (unresolved, top_level) = marks;
    let mut program = Program::Module(module);
    program.mutate(resolver(unresolved, top_level, syntax.typescript()));
    let ambient = positions::ambient_names(program.as_module().expect("parsed as a module"));
    if syntax.typescript() {
        if has_decorators(&program) {
            lower_decorators(&mut program, marks, options);
        }
        program.mutate(strip(unresolved, top_level));
    }
    let mut module = program.expect_module();
    positions::mark_unknown_globals(&mut module, unresolved, &ambient);
    Ok(module)
}

/// Whether `program` has a `@decorator` or an `accessor` field (part of
/// the same proposal: engines without decorators lack it too).
fn has_decorators(program: &Program) -> bool {
    #[derive(Default)]
    struct Finder(bool);
    impl Visit for Finder {
        fn visit_decorator(&mut self, _: &swc_core::ecma::ast::Decorator) {
            self.0 = true;
        }
        fn visit_auto_accessor(&mut self, _: &swc_core::ecma::ast::AutoAccessor) {
            self.0 = true;
        }
    }
    let mut finder = Finder::default();
    program.visit_with(&mut finder);
    finder.0
}

/// Rewrites decorators into plain JavaScript (QuickJS, like V8, has none),
/// as Deno does (deno_ast's pipeline, the same swc passes): TC39 decorators
/// with the 2022-03 semantics, or TypeScript's legacy ones when
/// `experimentalDecorators` is set. The helpers the passes call are inlined
/// into the module, and `hygiene` renames them if the module has a binding
/// of the same name.
fn lower_decorators(program: &mut Program, marks: (Mark, Mark), options: CompilerOptions) {
    let (_, top_level) = marks;
    HELPERS.set(&Helpers::new(false), || {
        if options.experimental_decorators {
            program.mutate(decorators(decorators::Config {
                legacy: true,
                emit_metadata: options.emit_decorator_metadata,
                use_define_for_class_fields: true,
            }));
        } else {
            program.mutate(decorator_2022_03());
        }
        program.mutate(inject_helpers(top_level));
    });
    program.mutate(hygiene());
}

fn json_module(
    cm: &Lrc<SourceMap>,
    fm: &Lrc<SourceFile>,
    display: &str,
) -> Result<Module, CompileError> {
    let text = fm.src.to_string();
    serde_json::from_str::<serde_json::Value>(&text).map_err(|e| CompileError::InvalidJson {
        file: display.to_string(),
        message: e.to_string(),
    })?;
    // JSON.parse, not a JS object literal: `"__proto__"` keys and the like
    // must mean what they mean in JSON.
    let glue = format!("export default JSON.parse({});", quote(text.trim()));
    Ok(Module {
        span: Default::default(),
        body: parse_glue(cm, &glue)?,
        shebang: None,
    })
}

/// The specifiers a module imports from, in source order.
pub(crate) fn imports(module: &Module) -> Vec<Import> {
    module
        .body
        .iter()
        .filter_map(|item| {
            let ModuleItem::ModuleDecl(decl) = item else {
                return None;
            };
            let src = match decl {
                ModuleDecl::Import(i) => &i.src,
                ModuleDecl::ExportNamed(e) => e.src.as_ref()?,
                ModuleDecl::ExportAll(e) => &e.src,
                _ => return None,
            };
            Some(Import::of(src))
        })
        .collect()
}

/// Where `module` calls `import()`, if it does. Dynamic imports load
/// modules the import policy never saw (on Deno even files outside the
/// script's folder), so scripts import statically.
pub(crate) fn first_dynamic_import(module: &Module) -> Option<Span> {
    #[derive(Default)]
    struct Finder(Option<Span>);
    impl Visit for Finder {
        fn visit_call_expr(&mut self, call: &CallExpr) {
            if self.0.is_none() && matches!(call.callee, Callee::Import(_)) {
                self.0 = Some(call.span);
            }
            call.visit_children_with(self);
        }
    }
    let mut finder = Finder::default();
    module.visit_with(&mut finder);
    finder.0
}

/// What a module exports, as written (after types are stripped).
#[derive(Debug, Default)]
pub(crate) struct Exports {
    /// Names it exports itself or re-exports by name (`default` included).
    pub names: HashSet<String>,
    /// `export * from "…"`: every name of those modules but `default`.
    pub stars: Vec<Import>,
}

/// A name one module asks another for: `import { name }`, `import name`
/// (`default`), `export { name } from`.
#[derive(Debug, Clone)]
pub(crate) struct NamedImport {
    /// The module asked.
    pub from: Import,
    /// The name asked for.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
}

/// The names `module` exports.
pub(crate) fn exports(module: &Module) -> Exports {
    let mut exports = Exports::default();
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else {
            continue;
        };
        match decl {
            ModuleDecl::ExportDecl(export) => {
                let names = match &export.decl {
                    Decl::Var(v) => find_pat_ids::<_, Ident>(&v.decls),
                    Decl::Fn(f) => vec![f.ident.clone()],
                    Decl::Class(c) => vec![c.ident.clone()],
                    _ => Vec::new(),
                };
                exports
                    .names
                    .extend(names.iter().map(|i| i.sym.to_string()));
            }
            ModuleDecl::ExportNamed(named) => {
                for spec in &named.specifiers {
                    exports.names.insert(match spec {
                        ExportSpecifier::Named(n) => n
                            .exported
                            .as_ref()
                            .map(export_name)
                            .unwrap_or_else(|| export_name(&n.orig)),
                        ExportSpecifier::Namespace(n) => export_name(&n.name),
                        ExportSpecifier::Default(d) => d.exported.sym.to_string(),
                    });
                }
            }
            ModuleDecl::ExportDefaultDecl(_) | ModuleDecl::ExportDefaultExpr(_) => {
                exports.names.insert("default".into());
            }
            ModuleDecl::ExportAll(all) => exports.stars.push(Import::of(&all.src)),
            _ => {}
        }
    }
    exports
}

/// Every name `module` asks of another module, in source order.
pub(crate) fn named_imports(module: &Module) -> Vec<NamedImport> {
    let mut asked = Vec::new();
    for item in &module.body {
        let ModuleItem::ModuleDecl(decl) = item else {
            continue;
        };
        match decl {
            ModuleDecl::Import(import) if !import.type_only => {
                for spec in &import.specifiers {
                    let (name, span) = match spec {
                        ImportSpecifier::Default(d) => ("default".to_string(), d.span),
                        ImportSpecifier::Named(n) if !n.is_type_only => (
                            n.imported
                                .as_ref()
                                .map(export_name)
                                .unwrap_or_else(|| n.local.sym.to_string()),
                            n.span,
                        ),
                        _ => continue,
                    };
                    asked.push(NamedImport {
                        from: Import::of(&import.src),
                        name,
                        span,
                    });
                }
            }
            ModuleDecl::ExportNamed(named) if !named.type_only => {
                let Some(src) = &named.src else { continue };
                for spec in &named.specifiers {
                    if let ExportSpecifier::Named(n) = spec
                        && !n.is_type_only
                    {
                        asked.push(NamedImport {
                            from: Import::of(src),
                            name: export_name(&n.orig),
                            span: n.span,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    asked
}

/// Rewrites a parsed module; `link` gives each import's namespace variable.
pub(crate) fn rewrite(
    cm: &Lrc<SourceMap>,
    mut module: Module,
    link: &mut Link<'_>,
) -> Result<RewrittenModule, CompileError> {
    // Imported bindings read through the dependency's namespace object on
    // every use, so they are live like ES bindings (`counter` after the
    // exporting module changed it is the new value).
    let mut imported = ImportedBindings::default();
    let mut head = Vec::new(); // export getters and namespace consts, hoisted like ES
    for item in &module.body {
        let ModuleItem::ModuleDecl(ModuleDecl::Import(import)) = item else {
            continue;
        };
        let ns = link(&Import::of(&import.src))?;
        for spec in &import.specifiers {
            match spec {
                ImportSpecifier::Default(d) => imported.insert(&d.local, &ns, "default"),
                ImportSpecifier::Named(n) => {
                    let name = n
                        .imported
                        .as_ref()
                        .map(export_name)
                        .unwrap_or_else(|| n.local.sym.to_string());
                    imported.insert(&n.local, &ns, &name);
                }
                ImportSpecifier::Namespace(n) => {
                    head.extend(glue_stmts(cm, &format!("const {} = {ns};", n.local.sym))?);
                }
            }
        }
    }
    module.visit_mut_with(&mut imported);

    let mut body = Vec::new();
    let mut stars = Vec::new(); // `export *`: after the explicit exports, which win
    let mut getters: Vec<(String, String)> = Vec::new();
    for item in module.body {
        let decl = match item {
            ModuleItem::Stmt(stmt) => {
                body.push(stmt);
                continue;
            }
            ModuleItem::ModuleDecl(decl) => decl,
        };
        match decl {
            ModuleDecl::Import(_) => {}
            ModuleDecl::ExportDecl(export) => {
                let names: Vec<Ident> = match &export.decl {
                    Decl::Var(v) => find_pat_ids(&v.decls),
                    Decl::Fn(f) => vec![f.ident.clone()],
                    Decl::Class(c) => vec![c.ident.clone()],
                    other => {
                        return Err(unsupported(
                            cm,
                            other.span(),
                            "this kind of exported declaration",
                        ));
                    }
                };
                for name in names {
                    getters.push((name.sym.to_string(), name.sym.to_string()));
                }
                body.push(Stmt::Decl(export.decl));
            }
            ModuleDecl::ExportNamed(named) => {
                let source_ns = match &named.src {
                    Some(src) => Some(link(&Import::of(src))?),
                    None => None,
                };
                for spec in &named.specifiers {
                    match (spec, &source_ns) {
                        (ExportSpecifier::Named(n), None) => {
                            let local = export_name(&n.orig);
                            let exported = n
                                .exported
                                .as_ref()
                                .map(export_name)
                                .unwrap_or_else(|| local.clone());
                            let target = imported.expression_for(&local).unwrap_or(local);
                            getters.push((exported, target));
                        }
                        (ExportSpecifier::Named(n), Some(ns)) => {
                            let orig = export_name(&n.orig);
                            let exported = n
                                .exported
                                .as_ref()
                                .map(export_name)
                                .unwrap_or_else(|| orig.clone());
                            getters.push((exported, format!("{ns}[{}]", quote(&orig))));
                        }
                        (ExportSpecifier::Namespace(n), Some(ns)) => {
                            getters.push((export_name(&n.name), ns.clone()));
                        }
                        (ExportSpecifier::Default(d), Some(ns)) => {
                            getters.push((d.exported.sym.to_string(), format!("{ns}.default")));
                        }
                        (_, None) => return Err(unsupported(cm, named.span, "this export form")),
                    }
                }
            }
            ModuleDecl::ExportDefaultDecl(default) => {
                let (ident, decl) = match default.decl {
                    DefaultDecl::Fn(f) => {
                        let ident = f.ident.unwrap_or_else(|| DEFAULT_BINDING.into());
                        let decl = Decl::Fn(FnDecl {
                            ident: ident.clone(),
                            declare: false,
                            function: f.function,
                        });
                        (ident, decl)
                    }
                    DefaultDecl::Class(c) => {
                        let ident = c.ident.unwrap_or_else(|| DEFAULT_BINDING.into());
                        let decl = Decl::Class(ClassDecl {
                            ident: ident.clone(),
                            declare: false,
                            class: c.class,
                        });
                        (ident, decl)
                    }
                    DefaultDecl::TsInterfaceDecl(_) => continue,
                };
                body.push(Stmt::Decl(decl));
                getters.push(("default".into(), ident.sym.to_string()));
            }
            ModuleDecl::ExportDefaultExpr(default) => {
                body.push(const_decl(DEFAULT_BINDING, *default.expr));
                getters.push(("default".into(), DEFAULT_BINDING.into()));
            }
            ModuleDecl::ExportAll(all) => {
                let ns = link(&Import::of(&all.src))?;
                stars.extend(glue_stmts(cm, &format!("__coral_star({EXPORTS}, {ns});"))?);
            }
            other => {
                return Err(unsupported(
                    cm,
                    other.span(),
                    "TypeScript `import =`/`export =` (use ES import/export)",
                ));
            }
        }
    }
    if !getters.is_empty() {
        let entries: Vec<String> = getters
            .iter()
            .map(|(exported, local)| format!("{}: () => {local}", quote(exported)))
            .collect();
        head.extend(glue_stmts(
            cm,
            &format!("__coral_export({EXPORTS}, {{ {} }});", entries.join(", ")),
        )?);
    }
    head.extend(stars);
    head.extend(body);
    Ok(RewrittenModule { body: head })
}

/// Imported names and the namespace member each one reads.
#[derive(Default)]
struct ImportedBindings {
    by_id: HashMap<Id, (String, String)>,
}

impl ImportedBindings {
    fn insert(&mut self, local: &Ident, ns: &str, name: &str) {
        self.by_id
            .insert(local.to_id(), (ns.to_string(), name.to_string()));
    }

    fn member(&self, ident: &Ident) -> Option<Expr> {
        let (ns, name) = self.by_id.get(&ident.to_id())?;
        Some(Expr::Member(MemberExpr {
            span: ident.span,
            obj: Box::new(Expr::Ident(Ident::new_no_ctxt(
                ns.as_str().into(),
                DUMMY_SP,
            ))),
            prop: MemberProp::Computed(ComputedPropName {
                span: DUMMY_SP,
                expr: Box::new(Expr::Lit(Lit::Str(Str::from(name.as_str())))),
            }),
        }))
    }

    /// The JS text reading a top-level imported name, for export getters.
    fn expression_for(&self, sym: &str) -> Option<String> {
        self.by_id
            .iter()
            .find(|(id, _)| id.0 == sym)
            .map(|(_, (ns, name))| format!("{ns}[{}]", quote(name)))
    }
}

impl ImportedBindings {
    /// `(0, ns["f"])`: calling an imported function must not pass the
    /// namespace object as `this`.
    fn unbound_member(&self, expr: &Expr) -> Option<Box<Expr>> {
        let Expr::Ident(ident) = expr else {
            return None;
        };
        let member = self.member(ident)?;
        Some(Box::new(Expr::Paren(ParenExpr {
            span: DUMMY_SP,
            expr: Box::new(Expr::Seq(SeqExpr {
                span: DUMMY_SP,
                exprs: vec![Box::new(Expr::Lit(Lit::Num(0.0.into()))), Box::new(member)],
            })),
        })))
    }
}

impl VisitMut for ImportedBindings {
    fn visit_mut_call_expr(&mut self, call: &mut CallExpr) {
        if let Callee::Expr(callee) = &mut call.callee
            && let Some(unbound) = self.unbound_member(callee)
        {
            *callee = unbound;
        }
        call.visit_mut_children_with(self);
    }

    fn visit_mut_tagged_tpl(&mut self, tagged: &mut TaggedTpl) {
        if let Some(unbound) = self.unbound_member(&tagged.tag) {
            tagged.tag = unbound;
        }
        tagged.visit_mut_children_with(self);
    }

    fn visit_mut_expr(&mut self, expr: &mut Expr) {
        if let Expr::Ident(ident) = expr
            && let Some(member) = self.member(ident)
        {
            *expr = member;
            return;
        }
        expr.visit_mut_children_with(self);
    }

    fn visit_mut_prop(&mut self, prop: &mut Prop) {
        if let Prop::Shorthand(ident) = prop
            && let Some(member) = self.member(ident)
        {
            *prop = Prop::KeyValue(KeyValueProp {
                key: PropName::Ident(ident.clone().into()),
                value: Box::new(member),
            });
            return;
        }
        prop.visit_mut_children_with(self);
    }
}

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(i) => i.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    }
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn const_decl(name: &str, init: Expr) -> Stmt {
    use swc_core::ecma::ast::{BindingIdent, Decl, Pat, VarDecl, VarDeclKind, VarDeclarator};
    Stmt::Decl(Decl::Var(Box::new(VarDecl {
        kind: VarDeclKind::Const,
        decls: vec![VarDeclarator {
            span: Default::default(),
            name: Pat::Ident(BindingIdent::from(Ident::from(name))),
            init: Some(Box::new(init)),
            definite: false,
        }],
        ..Default::default()
    })))
}

fn unsupported(cm: &SourceMap, span: Span, what: &str) -> CompileError {
    CompileError::Syntax {
        location: location(cm, span),
        message: format!("{what} is not supported in Coral scripts"),
    }
}

/// Parses compiler-generated JavaScript (the glue between modules). Its spans are dropped so the source
/// map only ever points into the user's files.
pub(crate) fn parse_glue(cm: &Lrc<SourceMap>, text: &str) -> Result<Vec<ModuleItem>, CompileError> {
    let fm = cm.new_source_file(
        Lrc::new(FileName::Internal("coral-glue".into())),
        text.to_string(),
    );
    let mut recovered = Vec::new();
    let mut module = parse_file_as_module(
        &fm,
        Syntax::Es(EsSyntax::default()),
        EsVersion::EsNext,
        None,
        &mut recovered,
    )
    .map_err(|e| {
        CompileError::Internal(format!(
            "internal compiler error ({}) in: {text}",
            e.kind().msg()
        ))
    })?;
    module.visit_mut_with(&mut DropSpan);
    Ok(module.body)
}

/// Like [`parse_glue`] for glue that is statements only.
pub(crate) fn glue_stmts(cm: &Lrc<SourceMap>, text: &str) -> Result<Vec<Stmt>, CompileError> {
    Ok(parse_glue(cm, text)?
        .into_iter()
        .filter_map(|item| item.stmt())
        .collect())
}
