//! What `--deterministic` fixes, the same on both engines: the instant the
//! virtual clock starts at and the seed of `Math.random` (and, on wasm, of
//! WASI randomness). Same script, same output (and, on wasm, same fuel).

use std::time::Duration;

/// The wall-clock time a deterministic run starts at: 2026-01-01T00:00:00Z.
pub const DETERMINISTIC_EPOCH: Duration = Duration::from_secs(1_767_225_600);

/// The seed of `Math.random` and WASI randomness under `--deterministic`.
pub const DETERMINISTIC_SEED: u64 = 0x00c0_7a15_c21b_7000;

/// A seed as the two 26-bit halves a JavaScript number holds exactly: what
/// `Math.random` (xorshift128+, in `engine/src/shared.js`, which both
/// engines run) is seeded with. The wasm engine's guest splits the seed
/// the same way (`engine/src/lib.rs`, `random_seed`).
pub const fn seed_halves(seed: u64) -> [u32; 2] {
    [
        (seed & 0x3ff_ffff) as u32,
        ((seed >> 26) & 0x3ff_ffff) as u32,
    ]
}
