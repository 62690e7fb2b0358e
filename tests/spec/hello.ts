// @args --deterministic
// @fuel-max 158000
console.log("hello");
