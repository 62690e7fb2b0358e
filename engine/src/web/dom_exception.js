// DOMException (WebIDL §3.14.1), as Deno defines it: an Error subclass whose
// `name`, `message` and `code` are prototype getters over private state, with
// the legacy code constants on the constructor and the prototype.
(() => {
  "use strict";
  const { defineProperty } = Object;
  const LEGACY = [
    ["IndexSizeError", "INDEX_SIZE_ERR", 1], ["HierarchyRequestError", "HIERARCHY_REQUEST_ERR", 3],
    ["WrongDocumentError", "WRONG_DOCUMENT_ERR", 4], ["InvalidCharacterError", "INVALID_CHARACTER_ERR", 5],
    ["NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR", 7], ["NotFoundError", "NOT_FOUND_ERR", 8],
    ["NotSupportedError", "NOT_SUPPORTED_ERR", 9], ["InUseAttributeError", "INUSE_ATTRIBUTE_ERR", 10],
    ["InvalidStateError", "INVALID_STATE_ERR", 11], ["SyntaxError", "SYNTAX_ERR", 12],
    ["InvalidModificationError", "INVALID_MODIFICATION_ERR", 13], ["NamespaceError", "NAMESPACE_ERR", 14],
    ["InvalidAccessError", "INVALID_ACCESS_ERR", 15], ["TypeMismatchError", "TYPE_MISMATCH_ERR", 17],
    ["SecurityError", "SECURITY_ERR", 18], ["NetworkError", "NETWORK_ERR", 19], ["AbortError", "ABORT_ERR", 20],
    ["URLMismatchError", "URL_MISMATCH_ERR", 21], ["QuotaExceededError", "QUOTA_EXCEEDED_ERR", 22],
    ["TimeoutError", "TIMEOUT_ERR", 23], ["InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR", 24],
    ["DataCloneError", "DATA_CLONE_ERR", 25],
  ];
  const codes = new Map(LEGACY.map(([name, , code]) => [name, code]));
  const state = new WeakMap();
  const get = (self, what) => {
    const s = state.get(self);
    if (!s) throw new TypeError(`Illegal invocation: DOMException.prototype.${what}`);
    return s;
  };

  class DOMException extends Error {
    /** @param {any} [options] a name, or `{ name, cause }` */
    constructor(message = "", options = "Error") {
      super();
      const name = typeof options === "object" && options !== null
        ? (options.name === undefined ? "Error" : `${options.name}`)
        : `${options}`;
      if (typeof options === "object" && options !== null && "cause" in options) {
        defineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
      }
      state.set(this, { message: `${message}`, name, code: codes.get(name) ?? 0 });
    }
    /** @override */
    get message() {
      return get(this, "message").message;
    }
    /** @override */
    get name() {
      return get(this, "name").name;
    }
    get code() {
      return get(this, "code").code;
    }
  }
  for (const [, constant, code] of LEGACY) {
    defineProperty(DOMException, constant, { value: code, enumerable: true });
    defineProperty(DOMException.prototype, constant, { value: code, enumerable: true });
  }
  defineProperty(DOMException.prototype, Symbol.toStringTag, { value: "DOMException", configurable: true });
  defineProperty(globalThis, "DOMException", { value: DOMException, writable: true, configurable: true });
})();
