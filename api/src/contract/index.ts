export * from './errors.ts';
export * from './common.schema.ts';
export * from './monitor.schema.ts';
export * from './result.schema.ts';
