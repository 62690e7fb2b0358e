// @exit 2
// @stderr import "../../../etc/passwd" is not allowed: the path leaves the script's folder
import secrets from "../../../etc/passwd";
console.log(secrets);
