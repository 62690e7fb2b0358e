// @exit 1
// @stderr Uncaught RangeError
function down(n: number): number {
  return down(n + 1) + 1;
}
console.log("start");
down(0);
