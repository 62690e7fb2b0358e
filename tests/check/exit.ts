// Expected to succeed (exit 0), but throws (exit 1).
throw new Error("not ready");
