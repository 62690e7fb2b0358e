const __coral = globalThis[Symbol.for("coral.host")];
function __coral_namespace() {
    return Object.create(null, {
        [Symbol.toStringTag]: {
            value: "Module"
        }
    });
}
function __coral_export(ns, getters) {
    for (const name of Object.keys(getters)){
        Object.defineProperty(ns, name, {
            get: getters[name],
            enumerable: true
        });
    }
}
function __coral_star(ns, from) {
    for (const name of Object.keys(from)){
        if (name !== "default" && !Object.prototype.hasOwnProperty.call(ns, name)) {
            Object.defineProperty(ns, name, {
                get: ()=>from[name],
                enumerable: true
            });
        }
    }
}
const __coral_m0 = __coral_namespace();
async function __coral_init0(__exports) {
    __coral_export(__exports, {
        "default": ()=>__coral_default
    });
    const __coral_default = JSON.parse("{ \"name\": \"demo\", \"limits\": { \"max\": 3 } }");
}
const __coral_m1 = __coral_namespace();
async function __coral_init1(__exports) {
    __coral_export(__exports, {
        "ready": ()=>ready
    });
    const ready = await Promise.resolve("ready");
}
try {
    await __coral_init0(__coral_m0);
    await __coral_init1(__coral_m1);
    const __exports = __coral_namespace();
    console.log(__coral_m0["default"].name, __coral_m0["default"].limits.max, __coral_m1["ready"]);
    __coral.mainDone();
} catch (__coral_error) {
    __coral.fail(__coral_error);
}
