// A type error: runs (swc strips types), fails `coral check`.
const limit: number = "500";
console.log(limit);
