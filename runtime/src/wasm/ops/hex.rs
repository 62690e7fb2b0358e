//! The hex the engine's JavaScript sends bytes in (`internal.toHex` in
//! `engine/src/json.js`), decoded with const-hex.

/// Bytes of the hex a guest sent (`None` if it is not hex: odd length, a
/// non-hex digit, or const-hex's `0x` prefix, which the engine never sends).
pub(super) fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.starts_with("0x") {
        return None;
    }
    const_hex::decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::unhex;

    #[test]
    fn hex_from_a_guest_is_plain_hex() {
        assert_eq!(unhex("00fF"), Some(vec![0, 255]));
        assert_eq!(unhex(""), Some(vec![]));
        for bad in ["0x00", "abc", "zz", "+f"] {
            assert_eq!(unhex(bad), None, "{bad}");
        }
    }
}
