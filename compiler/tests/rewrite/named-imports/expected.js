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
        "PI": ()=>PI,
        "add": ()=>add,
        "Counter": ()=>Counter
    });
    const PI = 3.14;
    function add(a, b) {
        return a + b;
    }
    class Counter {
        count = 0;
        bump() {
            this.count++;
        }
    }
}
try {
    await __coral_init0(__coral_m0);
    const __exports = __coral_namespace();
    const math = __coral_m0;
    const t = new __coral_m0["Counter"]();
    t.bump();
    console.log((0, __coral_m0["add"])(1, 2), __coral_m0["PI"], t.count, math.add(__coral_m0["PI"], 1));
    __coral.mainDone();
} catch (__coral_error) {
    __coral.fail(__coral_error);
}
