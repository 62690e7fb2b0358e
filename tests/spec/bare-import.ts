// @exit 2
// @stderr import "lodash" is not allowed: bare module names are not resolved
import _ from "lodash";
console.log(_);
