//! The metadata a `.wasm` bundle carries in its [`BUNDLE_SECTION`] custom
//! section, and the few wasm-binary helpers needed to write and find it.
//!
//! Payload layout (little-endian): `magic "CORALBND"`, `u32 abi_version`,
//! then three length-prefixed (`u32`) UTF-8 strings: the entry file, the
//! source map (v3 JSON) and the producing `coral` version. Decoding checks
//! every length against the input, so a hostile file yields an error.

use crate::BUNDLE_SECTION;

const MAGIC: &[u8; 8] = b"CORALBND";
const WASM_HEADER: &[u8; 8] = b"\0asm\x01\0\0\0";

/// What a bundle records about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleMeta {
    /// The ABI the bundle's engine was built for.
    pub abi_version: u32,
    /// The entry script, as shown in messages.
    pub entry: String,
    /// Source map (v3 JSON) of the bundled program.
    pub source_map: String,
    /// The `coral` version that built it.
    pub producer: String,
}

/// Why a file is not a usable bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// Not a wasm module at all.
    NotWasm,
    /// A wasm module without Coral metadata.
    NotCoralBundle,
    /// The metadata section is truncated or malformed.
    Corrupt(&'static str),
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotWasm => write!(f, "not a WebAssembly module"),
            Self::NotCoralBundle => write!(
                f,
                "a WebAssembly module, but not a Coral bundle (no `{BUNDLE_SECTION}` section; build one with `coral build`)"
            ),
            Self::Corrupt(what) => write!(f, "corrupt Coral bundle metadata: {what}"),
        }
    }
}

impl std::error::Error for BundleError {}

impl BundleMeta {
    /// Serialises the metadata to a section payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.entry.len() + self.source_map.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.abi_version.to_le_bytes());
        for s in [&self.entry, &self.source_map, &self.producer] {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    /// Parses a section payload.
    pub fn decode(payload: &[u8]) -> Result<Self, BundleError> {
        let mut r = Reader { data: payload };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(BundleError::Corrupt("bad magic"));
        }
        let abi_version = r.u32()?;
        let entry = r.string()?;
        let source_map = r.string()?;
        let producer = r.string()?;
        Ok(Self {
            abi_version,
            entry,
            source_map,
            producer,
        })
    }

    /// Reads the metadata of a wasm bundle.
    pub fn read_from(wasm: &[u8]) -> Result<Self, BundleError> {
        let payload =
            find_custom_section(wasm, BUNDLE_SECTION)?.ok_or(BundleError::NotCoralBundle)?;
        Self::decode(payload)
    }
}

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], BundleError> {
        if n > self.data.len() {
            return Err(BundleError::Corrupt("truncated"));
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, BundleError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn string(&mut self) -> Result<String, BundleError> {
        let len = self.u32()? as usize;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| BundleError::Corrupt("string is not UTF-8"))
    }
}

fn read_leb_u32(data: &[u8], pos: &mut usize) -> Result<u32, BundleError> {
    let mut result: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *data
            .get(*pos)
            .ok_or(BundleError::Corrupt("truncated section header"))?;
        *pos += 1;
        result |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(result);
        }
    }
    Err(BundleError::Corrupt("bad LEB128"))
}

fn write_leb_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Finds the payload of the first custom section called `name`.
pub fn find_custom_section<'a>(
    wasm: &'a [u8],
    name: &str,
) -> Result<Option<&'a [u8]>, BundleError> {
    if wasm.len() < WASM_HEADER.len() || &wasm[..WASM_HEADER.len()] != WASM_HEADER {
        return Err(BundleError::NotWasm);
    }
    let mut pos = WASM_HEADER.len();
    while pos < wasm.len() {
        let id = wasm[pos];
        pos += 1;
        let size = read_leb_u32(wasm, &mut pos)? as usize;
        let end = pos
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .ok_or(BundleError::Corrupt("section overruns the file"))?;
        if id == 0 {
            let mut p = pos;
            let name_len = read_leb_u32(wasm, &mut p)? as usize;
            let name_end = p
                .checked_add(name_len)
                .filter(|&e| e <= end)
                .ok_or(BundleError::Corrupt("section name overruns"))?;
            if &wasm[p..name_end] == name.as_bytes() {
                return Ok(Some(&wasm[name_end..end]));
            }
        }
        pos = end;
    }
    Ok(None)
}

/// Appends a custom section (`name`, `payload`) at the end of a wasm module.
pub fn append_custom_section(wasm: &mut Vec<u8>, name: &str, payload: &[u8]) {
    let mut body = Vec::with_capacity(name.len() + payload.len() + 5);
    write_leb_u32(&mut body, name.len() as u32);
    body.extend_from_slice(name.as_bytes());
    body.extend_from_slice(payload);
    wasm.push(0);
    write_leb_u32(wasm, body.len() as u32);
    wasm.extend_from_slice(&body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> BundleMeta {
        BundleMeta {
            abi_version: 1,
            entry: "hello.ts".into(),
            source_map: "{\"version\":3}".into(),
            producer: "coral 0.1.0".into(),
        }
    }

    #[test]
    fn metadata_round_trips_through_a_wasm_section() {
        let mut wasm = WASM_HEADER.to_vec();
        append_custom_section(&mut wasm, "other", b"x");
        append_custom_section(&mut wasm, BUNDLE_SECTION, &meta().encode());
        assert_eq!(BundleMeta::read_from(&wasm), Ok(meta()));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        assert_eq!(BundleMeta::read_from(b"hello"), Err(BundleError::NotWasm));
        assert_eq!(
            BundleMeta::read_from(WASM_HEADER),
            Err(BundleError::NotCoralBundle)
        );
        let mut wasm = WASM_HEADER.to_vec();
        append_custom_section(&mut wasm, BUNDLE_SECTION, &meta().encode());
        for cut in WASM_HEADER.len()..wasm.len() {
            assert!(BundleMeta::read_from(&wasm[..cut]).is_err(), "cut at {cut}");
        }
        let mut lying = WASM_HEADER.to_vec();
        lying.extend_from_slice(&[0, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(BundleMeta::read_from(&lying).is_err());
        let mut payload = meta().encode();
        payload[12] = 0xff; // entry length far past the end
        assert!(BundleMeta::decode(&payload).is_err());
    }
}
