export * from './errors.ts';
export * from './common.schema.ts';
export * from './team.schema.ts';
export * from './service.schema.ts';
export * from './monitor.schema.ts';
export * from './monitor.rules.ts';
export * from './alerting.schema.ts';
export * from './result.schema.ts';
