// @args --deterministic
// @fuel-max 40000000
console.log("hello");
