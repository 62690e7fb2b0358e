//! Coral's protobuf APIs, generated at build time: `coral.colony.v1`
//! (QueryService) as tonic clients/servers and prost messages, with protojson
//! (`serde`) impls for the Connect JSON transport. No logic lives here.

#![allow(missing_debug_implementations, clippy::all, unused_qualifications)]

/// `coral.colony.v1`.
pub mod colony {
    /// Version 1 of the colony query API.
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/coral.colony.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/coral.colony.v1.serde.rs"));
    }
}

/// Encoded file descriptors, for gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.bin"));
