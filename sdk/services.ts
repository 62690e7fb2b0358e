/**
 * Service discovery: what the colony has seen.
 *
 * @module
 */
import { requireString } from "./args.ts";
import { date, list as messages, type Message, num, str } from "./protojson.ts";
import { transport } from "./transport.ts";
import type { Service } from "./types.ts";

function service(m: Message): Service {
  return {
    name: str(m.name),
    namespace: str(m.namespace),
    region: str(m.region),
    instanceCount: num(m.instanceCount),
    lastSeen: date(m.lastSeen),
  };
}

/** Service discovery: the type of {@link services}. */
export interface Services {
  /** Every service (in one namespace if given), by name. */
  list(options?: { namespace?: string }): Promise<Service[]>;
  /** One service; throws `NotFound` when the colony does not know it. */
  get(name: string): Promise<Service>;
}

/** Service discovery. */
export const services: Services = {
  async list(options: { namespace?: string } = {}): Promise<Service[]> {
    const resp = (await transport.unary("ListServices", { namespace: options.namespace ?? "" })) as Message;
    return messages(resp.services).map(service);
  },

  async get(name: string): Promise<Service> {
    requireString("services.get", "name", name);
    const resp = (await transport.unary("GetService", { name })) as Message;
    return service((resp.service ?? {}) as Message);
  },
};
