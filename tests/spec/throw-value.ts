// @exit 1
// @stderr Uncaught "just a string"
throw "just a string";
