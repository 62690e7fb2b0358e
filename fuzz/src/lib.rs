//! Fuzz targets at every boundary of Coral Script that takes outside input.
//!
//! Each target is a plain function from bytes to nothing that panics when a
//! property it checks fails (a host panic is itself a failure). The same
//! functions run in two ways:
//!
//! * **coverage-guided**, under `cargo fuzz` (the project in
//!   `fuzz/libfuzzer`, outside the workspace because it needs an
//!   instrumented build): `docs/fuzzing.md` says how;
//! * **replayed** on stable as ordinary tests (`fuzz/tests/replay.rs`, part
//!   of `.ci/run`): every seed in `fuzz/corpus/<target>/` and a fixed
//!   number of inputs [`generate`]d from them with a fixed seed.
//!
//! Targets read structure out of their bytes with [`arbitrary`] (as
//! wasmtime's fuzzers do), so random bytes reach past the first parser: a
//! leading byte usually picks between "these bytes as they are" and "a
//! value built from these bytes".

use arbitrary::Unstructured;

pub mod abi;
pub mod bundle;
pub mod compiler;
pub mod connect;
pub mod console;
pub mod json;
pub mod otlp;
pub mod sql;

/// A fuzz target: its name (the corpus folder and the cargo-fuzz target)
/// and the function that checks one input.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// `fuzz/corpus/<name>`, `cargo fuzz run <name>`.
    pub name: &'static str,
    /// Checks one input; panics when a property fails.
    pub check: fn(&[u8]),
}

/// Every target, by family: the sandbox (`abi`, `bundle`, `console`), the
/// compiler, the colony's query side (`sql`, `connect`) and ingest (`otlp`).
pub const TARGETS: &[Target] = &[
    Target {
        name: "abi",
        check: abi::check,
    },
    Target {
        name: "bundle",
        check: bundle::check,
    },
    Target {
        name: "console",
        check: console::check,
    },
    Target {
        name: "compiler",
        check: compiler::check,
    },
    Target {
        name: "sql",
        check: sql::check,
    },
    Target {
        name: "connect",
        check: connect::check,
    },
    Target {
        name: "otlp",
        check: otlp::check,
    },
];

/// The `n`th generated input from `seeds`: a seed (or random bytes when
/// there are none) with a few byte-level mutations — flips, insertions,
/// deletions, repeats and splices with another seed — chosen by a
/// generator seeded with `n`, so the same `n` always gives the same input.
pub fn generate(seeds: &[Vec<u8>], n: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(n);
    let mut bytes = if seeds.is_empty() || rng.u8(..) < 32 {
        (0..rng.usize(0..512)).map(|_| rng.u8(..)).collect()
    } else {
        seeds[rng.usize(..seeds.len())].clone()
    };
    for _ in 0..rng.usize(0..8) {
        let len = bytes.len();
        match rng.u8(0..6) {
            0 if len > 0 => bytes[rng.usize(..len)] ^= 1 << rng.u8(0..8),
            1 => {
                let at = rng.usize(..=len);
                bytes.splice(at..at, (0..rng.usize(1..16)).map(|_| rng.u8(..)));
            }
            2 if len > 0 => {
                let at = rng.usize(..len);
                let end = (at + rng.usize(1..32)).min(len);
                bytes.drain(at..end);
            }
            3 if len > 0 => {
                // Repeat a piece: nesting and long runs come from here.
                let at = rng.usize(..len);
                let end = (at + rng.usize(1..16)).min(len);
                let piece = bytes[at..end].to_vec();
                for _ in 0..rng.usize(1..64) {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            4 if !seeds.is_empty() => {
                let other = &seeds[rng.usize(..seeds.len())];
                if !other.is_empty() {
                    let from = rng.usize(..other.len());
                    let at = rng.usize(..=len);
                    bytes.splice(at..at, other[from..].iter().copied().take(256));
                }
            }
            5 if len > 0 => bytes[rng.usize(..len)] = rng.u8(..),
            _ => {}
        }
    }
    bytes
}

/// One of `words`, chosen by the input (the first when it runs out).
pub(crate) fn pick<'a>(u: &mut Unstructured<'_>, words: &[&'a str]) -> &'a str {
    u.choose(words).copied().unwrap_or(words[0])
}

/// A string built from `words` and a few raw characters: the tokens a
/// parser cares about, in an order chosen by the input.
pub(crate) fn sentence(u: &mut Unstructured<'_>, words: &[&str], most: usize) -> String {
    let mut out = String::new();
    let n = u.int_in_range(0..=most).unwrap_or(0);
    for _ in 0..n {
        if u.ratio(1, 8).unwrap_or(false) {
            out.push(u.arbitrary::<char>().unwrap_or(' '));
        } else {
            out.push_str(pick(u, words));
        }
        out.push(' ');
    }
    out
}
