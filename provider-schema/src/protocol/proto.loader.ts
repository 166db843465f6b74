import type { ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs/light.js';
import descriptor from '../../proto/generated/plugin.descriptor.json' with { type: 'json' };

export interface PluginServices {
  readonly provider: ServiceDefinition;
  readonly controller: ServiceDefinition;
  readonly stdio: ServiceDefinition;
}

/**
 * How decoded messages look to handlers: field names as in the .proto, int64 as JS numbers,
 * enums as their names, the name of the set oneof member reported, absent fields undefined.
 */
const toObjectOptions: protobuf.IConversionOptions = { longs: Number, enums: String, oneofs: true, defaults: false };

/**
 * grpc-js service definitions built straight from the descriptor precompiled by
 * scripts/compile-proto.ts: no .proto parsing at start-up, and none of proto-loader's
 * FileDescriptorProto encoding (reflection data nobody asks for), which cost ~40 ms per process.
 */
export function loadPluginServices(): PluginServices {
  const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  const service = (fullName: string): ServiceDefinition => {
    const svc = root.lookupService(fullName);
    const def: Record<string, unknown> = {};
    for (const method of svc.methodsArray) {
      method.resolve();
      const req = method.resolvedRequestType;
      const res = method.resolvedResponseType;
      if (!req || !res) throw new Error(`${fullName}.${method.name}: unresolved message types`);
      def[method.name] = {
        path: `/${fullName}/${method.name}`,
        requestStream: method.requestStream === true,
        responseStream: method.responseStream === true,
        requestSerialize: (msg: object) => Buffer.from(req.encode(req.fromObject(msg)).finish()),
        requestDeserialize: (buf: Buffer) => req.toObject(req.decode(buf), toObjectOptions),
        responseSerialize: (msg: object) => Buffer.from(res.encode(res.fromObject(msg)).finish()),
        responseDeserialize: (buf: Buffer) => res.toObject(res.decode(buf), toObjectOptions),
        originalName: method.name,
      };
    }
    return def as ServiceDefinition;
  };
  return { provider: service('tfplugin6.Provider'), controller: service('plugin.GRPCController'), stdio: service('plugin.GRPCStdio') };
}
