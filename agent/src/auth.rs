//! The token a TCP ScriptService call needs (`authorization: Bearer
//! <token>`, design §9): its Unix socket, mode 0600, needs none. Read-only
//! QueryService calls need none either.

use tonic::{Request, Status};

/// Reads the token file: its first line, trimmed; an empty one is refused.
pub fn read_token(path: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        return Err(format!("the token file {} is empty", path.display()));
    }
    Ok(token)
}

/// A tonic interceptor that lets through calls carrying `token`.
pub fn require(token: String) -> impl Fn(Request<()>) -> Result<Request<()>, Status> + Clone {
    let expected = format!("Bearer {token}");
    move |request: Request<()>| {
        let given = request
            .metadata()
            .get("authorization")
            .map(|value| value.as_bytes())
            .unwrap_or_default();
        if same(given, expected.as_bytes()) {
            Ok(request)
        } else {
            Err(Status::unauthenticated(
                "this agent's ScriptService needs its token over TCP: pass --token-file FILE (or set CORAL_TOKEN), or use the agent's Unix socket",
            ))
        }
    }
}

/// Compares in time that depends on the lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_bearer_token_passes() {
        let check = require("s3cret".into());
        let with = |value: Option<&str>| {
            let mut request = Request::new(());
            if let Some(value) = value {
                request
                    .metadata_mut()
                    .insert("authorization", value.parse().unwrap());
            }
            check(request).map(drop).map_err(|s| s.code())
        };
        assert_eq!(with(Some("Bearer s3cret")), Ok(()));
        for bad in [
            None,
            Some("Bearer s3cre"),
            Some("s3cret"),
            Some("Bearer s3cretX"),
        ] {
            assert_eq!(with(bad), Err(tonic::Code::Unauthenticated), "{bad:?}");
        }
    }
}
