// @exit 2
// @stderr tests/spec/syntax-error.ts:6:11: syntax error
// @stderr const x = = 5;
// @stderr           ^
const ok = 1;
const x = = 5;
