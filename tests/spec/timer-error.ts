// @exit 1
// @stderr Uncaught RangeError: from a timer
setTimeout(() => {
  throw new RangeError("from a timer");
}, 1);
console.log("scheduled");
