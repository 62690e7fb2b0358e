// @exit 2
// @stderr npm-import.ts:3:20: import "npm:lodash" is not allowed: npm packages are not available in the sandbox
import lodash from "npm:lodash";
console.log(lodash);
