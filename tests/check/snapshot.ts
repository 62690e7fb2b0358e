// @snapshot
// Its output differs from snapshot.stdout on the second line.
console.log("first");
console.log("second, changed");
