#!/usr/bin/env python3
"""Checks the module layering of coral-runtime (docs/architecture.md, "The runtime's layers").

Reads the `crate::` and `super::` paths in each module of runtime/src (use
lines and paths written inline, comments left out), resolves each to the
module it names, and fails when

* a peer engine imports the other (`wasm` <-> `deno`),
* a shared module (anything outside `wasm/` and `deno/`, lib.rs aside)
  imports either engine, or
* modules import each other in a cycle.

Run by scripts/test.sh (so by .ci/run). Cheaper than a module-graph tool,
and enough for the rules above: a path it cannot resolve to a module is
ignored, so it never fails on names it does not understand. Unit tests
(from `#[cfg(test)]` on) are left out. Usage:
scripts/check-layers.py [CRATE_SRC_DIR]
"""

import re
import sys
from pathlib import Path

ENGINES = ("wasm", "deno")

USE_TREE = re.compile(r"\buse\s+((?:crate|super|self)(?:::[^;]*)?);", re.S)
INLINE = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")


def module_path(src: Path, file: Path) -> tuple[str, ...]:
    """`wasm/host.rs` -> ("wasm", "host"); `deno/mod.rs` -> ("deno",); lib.rs -> ()."""
    parts = file.relative_to(src).with_suffix("").parts
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand(tree: str) -> list[str]:
    """Expands a use tree (`crate::a::{b, c::{d}}`) into its paths."""
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [tree]
    prefix, rest = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(rest):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(rest[start:i])
            start = i + 1
    parts.append(rest[start:])
    return [p for part in parts if part for p in expand(prefix + part)]


def resolve(path: str, here: tuple[str, ...], is_mod: bool, modules: set) -> tuple[str, ...] | None:
    """The module a `crate::`/`super::` path names (its longest module prefix)."""
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    # A file's own module is `here`; `super` of a mod.rs/lib.rs is its parent,
    # of any other file the module that declares it.
    base = list(here)
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    else:
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1] if (is_mod or len(base) > 0) else base
            segs = segs[1:]
        if not is_mod and path.startswith("self"):
            base = list(here)
    target = None
    for i in range(len(segs) + 1):
        candidate = tuple(base + segs[:i])
        if candidate in modules:
            target = candidate
    return target


def strip_test_modules(text: str) -> str:
    """`text` without its `#[cfg(test)] mod name { … }` blocks (braces matched)."""
    out, at = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < at:
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append(text[at : m.start()])
        at = i
    out.append(text[at:])
    return "".join(out)


def layer(module: tuple[str, ...]) -> str:
    return module[0] if module and module[0] in ENGINES else "shared"


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "runtime/src")
    files = sorted(src.rglob("*.rs"))
    modules = {module_path(src, f) for f in files}
    edges: dict[tuple, set] = {m: set() for m in modules}
    problems = []
    for file in files:
        here = module_path(src, file)
        is_mod = file.name in ("mod.rs", "lib.rs")
        text = strip_comments(file.read_text())
        # Unit tests sit in an inline `#[cfg(test)] mod … { … }`, where
        # `super` means the file's own module: they are no edge of the
        # layering.
        text = strip_test_modules(text)
        paths = [p for tree in USE_TREE.findall(text) for p in expand(tree)]
        paths += [m.group(1) + m.group(2) for m in INLINE.finditer(text)]
        paths = list(dict.fromkeys(paths))
        # A mod.rs names its own submodules without a prefix (`process::run`,
        # `pub use engine::{…}`).
        if is_mod:
            children = {m[-1] for m in modules if len(m) == len(here) + 1 and m[: len(here)] == here}
            for child in children:
                if re.search(rf"(?<!::)\b{child}::", text):
                    paths.append(f"self::{child}")
        for path in paths:
            target = resolve(path, here, is_mod, modules)
            # lib.rs declares and re-exports everything; it is no layer.
            if target is None or target == here or here == ():
                continue
            if target == ():
                # `crate::Runner`: through the root's re-exports the layer of
                # what is named cannot be seen, so modules name the module.
                problems.append(f"{file}: `{'::'.join(here)}` imports through the crate root ({path}); name the module")
                continue
            edges[here].add(target)
            src_layer, dst_layer = layer(here), layer(target)
            if src_layer != dst_layer and dst_layer != "shared":
                who = "shared module" if src_layer == "shared" else f"the {src_layer} engine"
                problems.append(f"{file}: {who} `{'::'.join(here)}` imports `{'::'.join(target)}` ({path})")
    problems += cycles(edges)
    for p in problems:
        print(f"layering: {p}", file=sys.stderr)
    return 1 if problems else 0


def cycles(edges: dict) -> list[str]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                names = ", ".join(sorted("::".join(c) for c in component))
                out.append(f"import cycle among {names}")

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
