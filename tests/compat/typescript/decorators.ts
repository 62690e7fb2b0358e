// @args --deterministic
// TC39 decorators (no deno.json here): every kind of element, the context
// object, addInitializer, replacement values and the evaluation order.
const log: string[] = [];

function trace(tag: string) {
  return (value: unknown, ctx: DecoratorContext) => {
    const c = ctx as DecoratorContext & { static?: boolean; private?: boolean };
    log.push(`${tag}: kind=${ctx.kind} name=${String(ctx.name)} static=${c.static ?? "-"} private=${c.private ?? "-"} value=${typeof value}`);
    ctx.addInitializer?.(function (this: unknown) {
      log.push(`${tag}: initializer this=${typeof this === "function" ? "class" : typeof this}`);
    });
  };
}

function logged<This, Args extends unknown[], R>(
  target: (this: This, ...args: Args) => R,
  ctx: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
) {
  return function (this: This, ...args: Args): R {
    log.push(`call ${String(ctx.name)}(${args.join(", ")})`);
    return target.call(this, ...args);
  };
}

function doubled(_: undefined, _ctx: ClassFieldDecoratorContext) {
  return (initial: number) => initial * 2;
}

function clamp(max: number) {
  return function <This>(
    target: ClassAccessorDecoratorTarget<This, number>,
    _ctx: ClassAccessorDecoratorContext<This, number>,
  ): ClassAccessorDecoratorResult<This, number> {
    return {
      get() {
        return target.get.call(this);
      },
      set(v: number) {
        target.set.call(this, Math.min(v, max));
      },
    };
  };
}

const registry = new Map<string, unknown>();
function register(name: string) {
  return (cls: new (...args: never[]) => unknown, ctx: ClassDecoratorContext) => {
    registry.set(name, cls);
    log.push(`register ${String(ctx.name)} as ${name}`);
  };
}

function sealed<T extends new (...args: any[]) => object>(cls: T, _ctx: ClassDecoratorContext) {
  return class extends cls {
    sealedBy = "decorator";
  };
}

@register("latency-check")
@trace("class")
class Check {
  @trace("static field") static count = 1;
  @doubled threshold = 250;
  @clamp(100) accessor percent = 50;
  @trace("private method") #secret() {
    return "hidden";
  }
  @trace("getter") get name() {
    return "p99";
  }
  @trace("setter") set name(_v: string) {}
  @trace("static method") static create() {
    return new Check();
  }
  @logged run(service: string, ms: number) {
    return `${service}: ${ms > this.threshold ? "slow" : "ok"} (${this.#secret()})`;
  }
}

log.push("--- class defined");
const check = Check.create();
console.log(check.run("checkout", 612));
console.log("threshold", check.threshold);
check.percent = 250;
console.log("percent", check.percent);
console.log("registered", registry.get("latency-check") === Check);
@sealed
class Wrapped {
  kind = "plain";
}
const w = new Wrapped() as Wrapped & { sealedBy?: string };
console.log("wrapped", w.kind, w.sealedBy, Wrapped.name);
for (const line of log) console.log(line);
