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
        "count": ()=>count,
        "increment": ()=>increment
    });
    let count = 0;
    function increment() {
        count += 1;
    }
}
try {
    await __coral_init0(__coral_m0);
    const __exports = __coral_namespace();
    console.log(__coral_m0["count"]);
    (0, __coral_m0["increment"])();
    (0, __coral_m0["increment"])();
    console.log(__coral_m0["count"]);
    __coral.mainDone();
} catch (__coral_error) {
    __coral.fail(__coral_error);
}
