import type { PharosClient } from '../client/pharos.client.ts';
import { defineRegistry, type HandlerRegistry } from '../engine/handler.registry.ts';

/**
 * Type names of the real Pharos resources and data sources. Adding a name here without a
 * handler below (or the other way round) fails to compile; the start-up check compares the
 * same registry with schema/*.json.
 */
export type PharosResourceName = never;
export type PharosDataSourceName = never;

/** The handlers of the shipped provider (filled in as the control-plane resources land). */
export function createPharosRegistry(): HandlerRegistry<PharosClient, PharosResourceName, PharosDataSourceName> {
  return defineRegistry<PharosClient, PharosResourceName, PharosDataSourceName>({ resources: {}, dataSources: {} });
}
