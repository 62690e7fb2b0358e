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
        "double": ()=>double,
        "half": ()=>half,
        "thrice": ()=>thrice
    });
    const double = (n)=>n * 2;
    const half = (n)=>n / 2;
    const thrice = (n)=>n * 3;
}
const __coral_m1 = __coral_namespace();
async function __coral_init1(__exports) {
    __coral_export(__exports, {
        "unit": ()=>unit
    });
    const unit = {
        w: 1,
        h: 1
    };
}
const __coral_m2 = __coral_namespace();
async function __coral_init2(__exports) {
    __coral_export(__exports, {
        "triple": ()=>__coral_m0["thrice"],
        "shapes": ()=>__coral_m1
    });
    __coral_star(__exports, __coral_m0);
}
try {
    await __coral_init0(__coral_m0);
    await __coral_init1(__coral_m1);
    await __coral_init2(__coral_m2);
    const __exports = __coral_namespace();
    console.log((0, __coral_m2["double"])(2), (0, __coral_m2["half"])(8), (0, __coral_m2["triple"])(3), __coral_m2["shapes"].unit);
    __coral.mainDone();
} catch (__coral_error) {
    __coral.fail(__coral_error);
}
