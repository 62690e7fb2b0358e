//! The module graph and the compiled script: walk the imports from the entry script,
//! rewrite each module, and emit one JavaScript program with a source map
//! that points back into the TypeScript files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use swc_core::common::{
    GLOBALS, Globals, Mark, SourceMap, source_map::DefaultSourceMapGenConfig, sync::Lrc,
};
use swc_core::ecma::ast::{Decl, EsVersion, Module, ModuleItem, Program, Stmt};
use swc_core::ecma::codegen::{Config as CodegenConfig, Emitter, text_writer::JsWriter};
use swc_core::ecma::transforms::base::fixer::fixer;

use crate::config::{self, CompilerOptions};
use crate::error::CompileError;
use crate::module::{self, Import, location};
use crate::policy::{self, ModuleKey, Unresolved};
use crate::sdk;

/// A script compiled to one JavaScript program.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CompiledScript {
    /// The program (an ES module with top-level await).
    pub js: String,
    /// Source map (v3 JSON) from `js` to the original files.
    pub source_map: String,
    /// The entry script as shown to the user.
    pub entry: String,
    /// Every local file the script was compiled from (the script folder's
    /// `deno.json` included), for `--watch`.
    pub files: Vec<PathBuf>,
    /// The compiler options it was built with, for the Deno engine to run
    /// the sources the same way.
    #[serde(default)]
    pub compiler_options: CompilerOptions,
}

const PROLOGUE: &str = r#"
const __coral = globalThis[Symbol.for("coral.host")];
function __coral_namespace() {
  return Object.create(null, { [Symbol.toStringTag]: { value: "Module" } });
}
function __coral_export(ns, getters) {
  for (const name of Object.keys(getters)) {
    Object.defineProperty(ns, name, { get: getters[name], enumerable: true });
  }
}
function __coral_star(ns, from) {
  for (const name of Object.keys(from)) {
    if (name !== "default" && !Object.prototype.hasOwnProperty.call(ns, name)) {
      Object.defineProperty(ns, name, { get: () => from[name], enumerable: true });
    }
  }
}
"#;

#[derive(Debug, PartialEq, Eq)]
enum State {
    InProgress,
    Done,
}

struct Graph {
    cm: Lrc<SourceMap>,
    root: PathBuf,
    marks: (Mark, Mark),
    /// The script folder's compiler options ([`crate::config`]).
    options: CompilerOptions,
    ids: HashMap<ModuleKey, usize>,
    state: HashMap<ModuleKey, State>,
    stack: Vec<ModuleKey>,
    /// Dependencies in evaluation order (post-order), with their bodies.
    order: Vec<(usize, Vec<Stmt>)>,
    /// Bytes of the script's own sources read so far (not the SDK's).
    source_bytes: usize,
    /// What each finished module exports, `export *` sources resolved.
    exports: HashMap<ModuleKey, (HashSet<String>, Vec<ModuleKey>)>,
    files: Vec<PathBuf>,
}

/// Most bytes of code a script and its imports may hold together (the SDK
/// and JSON files not counted). swc needs 25-30 times a source's size in
/// memory, and its stack grows with nesting the pre-scan does not count or
/// is misled about (`!!!!…x`; a `)` inside a regular expression): at most
/// ~3 KB a level, one level a byte, 512 KiB is at most ~1.5 GB of stack,
/// inside the compiler's 2 GiB. `--memory` bounds neither; this does.
pub const MAX_SOURCE_BYTES: usize = 512 * 1024;

/// Stack for the compiler thread: swc recurses over the syntax tree, and a
/// script is free to nest expressions deeply ([`MAX_SOURCE_BYTES`] keeps the
/// deepest inside it). Only touched pages cost memory.
const COMPILER_STACK_BYTES: usize = 2 << 30;

/// Compiles the script at `entry` (and everything it imports) to one program.
pub fn compile(entry: &Path) -> Result<CompiledScript, CompileError> {
    let entry = entry.to_path_buf();
    std::thread::Builder::new()
        .name("coral-compiler".into())
        .stack_size(COMPILER_STACK_BYTES)
        .spawn(move || compile_on_this_thread(&entry))
        .map_err(|e| CompileError::Internal(format!("cannot start the compiler thread: {e}")))?
        .join()
        .unwrap_or_else(|_| {
            Err(CompileError::Internal(
                "the compiler crashed on this script".into(),
            ))
        })
}

fn compile_on_this_thread(entry: &Path) -> Result<CompiledScript, CompileError> {
    let entry = entry.canonicalize().map_err(|source| CompileError::Read {
        path: entry.to_path_buf(),
        source,
    })?;
    let root = entry
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let (config_file, options) = config::load(&root)?;
    GLOBALS.set(&Globals::new(), || {
        let cm: Lrc<SourceMap> = Default::default();
        let mut graph = Graph {
            cm: cm.clone(),
            root,
            marks: (Mark::new(), Mark::new()),
            options,
            ids: HashMap::new(),
            state: HashMap::new(),
            stack: Vec::new(),
            order: Vec::new(),
            exports: HashMap::new(),
            source_bytes: 0,
            files: config_file.into_iter().collect(),
        };
        let key = ModuleKey::File(entry.clone());
        let entry_body = graph.visit(key.clone())?;
        let program = graph.assemble(entry_body)?;
        let (js, source_map) = emit(&cm, &program)?;
        Ok(CompiledScript {
            js,
            source_map,
            entry: key.display(),
            files: graph.files,
            compiler_options: options,
        })
    })
}

impl Graph {
    fn load(&mut self, key: &ModuleKey) -> Result<Module, CompileError> {
        let source = match key {
            ModuleKey::File(path) => {
                self.files.push(path.clone());
                let source =
                    std::fs::read_to_string(path).map_err(|source| CompileError::Read {
                        path: path.clone(),
                        source,
                    })?;
                if key.extension() != "json" {
                    self.source_bytes += source.len();
                }
                if self.source_bytes > MAX_SOURCE_BYTES {
                    return Err(CompileError::TooLarge {
                        path: path.clone(),
                        max: MAX_SOURCE_BYTES,
                    });
                }
                source
            }
            ModuleKey::Sdk(rel) => sdk::source(rel)
                .ok_or_else(|| CompileError::Internal(format!("SDK file {rel} is missing")))?
                .to_string(),
        };
        let ext = key.extension();
        if !matches!(ext, "ts" | "mts" | "js" | "mjs" | "json") {
            return Err(CompileError::UnsupportedFile {
                path: PathBuf::from(key.display()),
            });
        }
        module::parse(
            &self.cm,
            &key.display(),
            ext,
            source,
            self.marks,
            self.options,
        )
    }

    /// Loads `key`, its dependencies first; returns its rewritten body.
    fn visit(&mut self, key: ModuleKey) -> Result<Vec<Stmt>, CompileError> {
        self.state.insert(key.clone(), State::InProgress);
        self.stack.push(key.clone());
        let parsed = self.load(&key)?;
        if let Some(span) = module::first_dynamic_import(&parsed) {
            return Err(CompileError::DynamicImport {
                location: location(&self.cm, span),
            });
        }

        let mut resolved: HashMap<String, ModuleKey> = HashMap::new();
        for import in module::imports(&parsed) {
            let dep = self.resolve(&import, &key)?;
            match self.state.get(&dep) {
                Some(State::Done) => {}
                Some(State::InProgress) => {
                    let start = self.stack.iter().position(|k| *k == dep).unwrap_or(0);
                    let mut cycle: Vec<String> =
                        self.stack[start..].iter().map(ModuleKey::display).collect();
                    cycle.push(dep.display());
                    return Err(CompileError::CircularImport {
                        location: location(&self.cm, import.span),
                        cycle: cycle.join(" -> "),
                    });
                }
                None => {
                    let body = self.visit(dep.clone())?;
                    let id = self.id(&dep);
                    self.order.push((id, body));
                }
            }
            resolved.insert(import.specifier.clone(), dep);
        }
        self.check_named_imports(&parsed, &resolved)?;
        let own = module::exports(&parsed);
        let stars = own
            .stars
            .iter()
            .map(|s| resolved[&s.specifier].clone())
            .collect();
        self.exports.insert(key.clone(), (own.names, stars));

        let ids = &mut self.ids;
        let mut link = |import: &Import| -> Result<String, CompileError> {
            let dep = resolved
                .get(&import.specifier)
                .expect("imports were resolved above");
            let next = ids.len();
            Ok(namespace_var(*ids.entry(dep.clone()).or_insert(next)))
        };
        let rewritten = module::rewrite(&self.cm, parsed, &mut link)?;
        self.stack.pop();
        self.state.insert(key, State::Done);
        Ok(rewritten.body)
    }

    /// Every name `module` imports must be exported by its module, as ES
    /// linking requires (otherwise the import would silently be undefined).
    fn check_named_imports(
        &self,
        module: &Module,
        resolved: &HashMap<String, ModuleKey>,
    ) -> Result<(), CompileError> {
        for asked in module::named_imports(module) {
            let dep = &resolved[&asked.from.specifier];
            if !self.provides(dep, &asked.name, &mut HashSet::new()) {
                return Err(CompileError::MissingExport {
                    location: location(&self.cm, asked.span),
                    specifier: asked.from.specifier,
                    name: asked.name,
                });
            }
        }
        Ok(())
    }

    /// Whether `key` exports `name`, itself or through `export *`.
    fn provides<'a>(
        &'a self,
        key: &'a ModuleKey,
        name: &str,
        seen: &mut HashSet<&'a ModuleKey>,
    ) -> bool {
        if !seen.insert(key) {
            return false;
        }
        let Some((names, stars)) = self.exports.get(key) else {
            // Not finished: only in a cycle, which is refused on its own.
            return true;
        };
        names.contains(name)
            || (name != "default" && stars.iter().any(|star| self.provides(star, name, seen)))
    }

    fn id(&mut self, key: &ModuleKey) -> usize {
        let next = self.ids.len();
        *self.ids.entry(key.clone()).or_insert(next)
    }

    fn resolve(&self, import: &Import, importer: &ModuleKey) -> Result<ModuleKey, CompileError> {
        policy::resolve(&import.specifier, importer, &self.root).map_err(|why| match why {
            Unresolved::Refused(reason) => CompileError::ImportRefused {
                location: location(&self.cm, import.span),
                specifier: import.specifier.clone(),
                reason,
            },
            Unresolved::NotFound(tried) => CompileError::ModuleNotFound {
                location: location(&self.cm, import.span),
                specifier: import.specifier.clone(),
                tried,
            },
        })
    }

    /// The whole program: prologue, one init function per dependency, then the
    /// entry module inside the try block that reports uncaught errors.
    fn assemble(&mut self, entry_body: Vec<Stmt>) -> Result<Module, CompileError> {
        let cm = &self.cm;
        let mut items = module::parse_glue(cm, PROLOGUE)?;
        let mut run = Vec::new();
        for (id, body) in std::mem::take(&mut self.order) {
            let ns = namespace_var(id);
            items.extend(module::parse_glue(
                cm,
                &format!("const {ns} = __coral_namespace();"),
            )?);
            let mut init = module::parse_glue(
                cm,
                &format!("async function __coral_init{id}({}) {{}}", module::EXPORTS),
            )?;
            if let Some(ModuleItem::Stmt(Stmt::Decl(Decl::Fn(f)))) = init.first_mut()
                && let Some(block) = f.function.body.as_mut()
            {
                block.stmts = body;
            }
            items.extend(init);
            run.extend(module::glue_stmts(
                cm,
                &format!("await __coral_init{id}({ns});"),
            )?);
        }
        // The entry module may export too; its exports go nowhere.
        run.extend(module::glue_stmts(
            cm,
            &format!("const {} = __coral_namespace();", module::EXPORTS),
        )?);
        run.extend(entry_body);
        run.extend(module::glue_stmts(cm, "__coral.mainDone();")?);
        let mut main = module::parse_glue(
            cm,
            "try {} catch (__coral_error) { __coral.fail(__coral_error); }",
        )?;
        if let Some(ModuleItem::Stmt(Stmt::Try(t))) = main.first_mut() {
            t.block.stmts = run;
        }
        items.extend(main);
        Ok(Module {
            span: Default::default(),
            body: items,
            shebang: None,
        })
    }
}

fn namespace_var(id: usize) -> String {
    format!("__coral_m{id}")
}

fn emit(cm: &Lrc<SourceMap>, module: &Module) -> Result<(String, String), CompileError> {
    let mut program = Program::Module(module.clone());
    program.mutate(fixer(None));
    let module = program.expect_module();
    let mut code = Vec::new();
    let mut mappings = Vec::new();
    {
        let writer = JsWriter::new(cm.clone(), "\n", &mut code, Some(&mut mappings));
        let mut emitter = Emitter {
            cfg: CodegenConfig::default().with_target(EsVersion::EsNext),
            cm: cm.clone(),
            comments: None,
            wr: writer,
        };
        emitter
            .emit_module(&module)
            .map_err(|e| CompileError::Internal(format!("code generation failed: {e}")))?;
    }
    let map = cm.build_source_map(&mappings, None, DefaultSourceMapGenConfig);
    let mut map_json = Vec::new();
    map.to_writer(&mut map_json)
        .map_err(|e| CompileError::Internal(format!("source map: {e}")))?;
    let js = String::from_utf8(code).map_err(|e| CompileError::Internal(e.to_string()))?;
    Ok((js, String::from_utf8_lossy(&map_json).into_owned()))
}
