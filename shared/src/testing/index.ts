export * from './builders.ts';
export * from './event-builders.ts';
export * from './in-memory-store.ts';
export * from './memory-system.ts';
export * from './standby-storm.ts';
