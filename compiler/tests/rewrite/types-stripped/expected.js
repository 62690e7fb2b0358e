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
        "area": ()=>area
    });
    function area(s) {
        return s.w * s.h;
    }
}
try {
    await __coral_init0(__coral_m0);
    const __exports = __coral_namespace();
    var Color = /*#__PURE__*/ function(Color) {
        Color[Color["Red"] = 0] = "Red";
        Color["Green"] = "green";
        return Color;
    }(Color || {});
    const local = {
        shape: {
            w: 2,
            h: 3
        }
    };
    const named = {
        name: "n"
    };
    class Point {
        x;
        y;
        constructor(x, y){
            this.x = x;
            this.y = y;
        }
        sum() {
            return this.x + (this.y ?? 0);
        }
    }
    console.log((0, __coral_m0["area"])(local.shape), named.name, 0, "green", new Point(1, 2).sum());
    __coral.mainDone();
} catch (__coral_error) {
    __coral.fail(__coral_error);
}
