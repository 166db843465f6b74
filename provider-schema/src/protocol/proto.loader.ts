import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import descriptor from '../../proto/generated/plugin.descriptor.json' with { type: 'json' };

export interface PluginServices {
  readonly provider: ServiceDefinition;
  readonly controller: ServiceDefinition;
  readonly stdio: ServiceDefinition;
}

/**
 * Service definitions from the descriptor precompiled by scripts/compile-proto.ts: no .proto
 * parsing at start-up. Options: field names as in the .proto, int64 as JS numbers, enums as
 * their names, oneof members reported by name, absent fields left undefined.
 */
export function loadPluginServices(): PluginServices {
  const definition = fromJSON(descriptor as Parameters<typeof fromJSON>[0], {
    keepCase: true,
    longs: Number,
    enums: String,
    oneofs: true,
    defaults: false,
  });
  const service = (name: string) => {
    const def = definition[name];
    // Message types carry a 'format' key; services are plain maps of methods.
    if (!def || 'format' in def) throw new Error(`service ${name} missing from the plugin descriptor`);
    return def as unknown as ServiceDefinition;
  };
  return { provider: service('tfplugin6.Provider'), controller: service('plugin.GRPCController'), stdio: service('plugin.GRPCStdio') };
}
