// @args --deterministic
// @fuel-max 150000
console.log("hello");
