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
        "default": ()=>greet,
        "shout": ()=>shout
    });
    function greet(name) {
        return `hello ${name}`;
    }
    const shout = (name)=>greet(name).toUpperCase();
}
const __coral_m1 = __coral_namespace();
async function __coral_init1(__exports) {
    __coral_export(__exports, {
        "default": ()=>__coral_default
    });
    class __coral_default {
        value;
        constructor(value){
            this.value = value;
        }
    }
}
const __coral_m2 = __coral_namespace();
async function __coral_init2(__exports) {
    __coral_export(__exports, {
        "default": ()=>__coral_default
    });
    const __coral_default = 6 * 7;
}
try {
    await __coral_init0(__coral_m0);
    await __coral_init1(__coral_m1);
    await __coral_init2(__coral_m2);
    const __exports = __coral_namespace();
    console.log((0, __coral_m0["default"])("a"), (0, __coral_m0["shout"])("b"), new __coral_m1["default"](2).value, __coral_m2["default"]);
    __coral.mainDone();
} catch (__coral_error) {
    __coral.fail(__coral_error);
}
