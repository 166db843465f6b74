// Entry point of the bindings: the generated provider namespaces and the hand-written constructs.
export * from './generated/providers/pharos';
export * from './constructs/http-assertions';
export * from './constructs/service-monitors.construct';
