// @args --deterministic
// TypeScript's legacy decorators (`experimentalDecorators` in this folder's
// deno.jsonc), as Angular/NestJS/TypeORM-style code writes them: class,
// method, accessor, property and parameter decorators, factories, the
// descriptor they receive, and the evaluation order.
const log: string[] = [];

// A minimal Reflect.metadata, as the reflect-metadata package installs it:
// emitDecoratorMetadata emits calls to it when it exists.
const metadata = new Map<unknown, Map<string | symbol | undefined, Map<string, unknown>>>();
(Reflect as unknown as Record<string, unknown>).metadata = (key: string, value: unknown) =>
  (target: object, property?: string | symbol) => {
    const byTarget = metadata.get(target) ?? new Map();
    metadata.set(target, byTarget);
    const byProperty = byTarget.get(property) ?? new Map();
    byTarget.set(property, byProperty);
    byProperty.set(key, value);
  };
const typeName = (t: unknown) => (Array.isArray(t) ? t.map(typeName).join(",") : (t as { name?: string })?.name ?? String(t));

function Component(name: string): ClassDecorator {
  log.push(`evaluate Component(${name})`);
  return (target) => {
    log.push(`apply Component(${name}) to ${target.name}`);
  };
}

function Memoize(): MethodDecorator {
  log.push("evaluate Memoize");
  return (target, key, descriptor: PropertyDescriptor) => {
    log.push(`apply Memoize to ${String(key)} on ${typeof target === "function" ? "constructor" : "prototype"} enumerable=${descriptor.enumerable} writable=${descriptor.writable}`);
    const original = descriptor.value as (...args: unknown[]) => unknown;
    const cache = new Map<string, unknown>();
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      const k = JSON.stringify(args);
      if (!cache.has(k)) cache.set(k, original.apply(this, args));
      else log.push(`cache hit ${String(key)}${k}`);
      return cache.get(k);
    };
  };
}

function ReadOnly(target: object, key: string | symbol, descriptor: PropertyDescriptor) {
  log.push(`apply ReadOnly to ${String(key)} get=${typeof descriptor.get}`);
  descriptor.set = undefined;
  return descriptor;
}

function Column(target: object, key: string | symbol) {
  log.push(`apply Column to ${String(key)} on ${target.constructor.name}`);
}

function Inject(token: string): ParameterDecorator {
  return (_target, key, index) => {
    log.push(`apply Inject(${token}) to ${String(key ?? "constructor")}[${index}]`);
  };
}

class Latency {
  constructor(public ms: number) {}
}

@Component("report")
class LatencyReport {
  @Column service: string = "checkout";
  @Column latency: Latency = new Latency(0);

  constructor(@Inject("clock") private readonly clock: number, @Inject("colony") readonly colony: string) {}

  @Memoize()
  square(n: number): number {
    return n * n;
  }

  @ReadOnly
  get label(): string {
    return `${this.service}@${this.colony}`;
  }

  static create(@Inject("factory") colony: string): LatencyReport {
    return new LatencyReport(0, colony);
  }
}

const r = LatencyReport.create("local");
console.log(r.square(12), r.square(12), r.label);
console.log("service", r.service, "latency", r.latency.ms);
for (const line of log) console.log(line);
const onProto = metadata.get(LatencyReport.prototype);
console.log("design:type service", typeName(onProto?.get("service")?.get("design:type")));
console.log("design:type latency", typeName(onProto?.get("latency")?.get("design:type")));
console.log("design:paramtypes square", typeName(onProto?.get("square")?.get("design:paramtypes")));
console.log("design:returntype square", typeName(onProto?.get("square")?.get("design:returntype")));
console.log("design:paramtypes constructor", typeName(metadata.get(LatencyReport)?.get(undefined)?.get("design:paramtypes")));
