/**
 * `@coral/sdk`: what a Coral script can see of the world.
 *
 * @module
 */
export { params, ParamError } from "./params.ts";
