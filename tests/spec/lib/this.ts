export function whoAmI(this: unknown): string {
  return this === undefined ? "undefined this" : "namespace this";
}
