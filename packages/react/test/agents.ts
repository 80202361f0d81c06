// The test agents and fake services are framework-free: they live next to the run store in core.
export * from '../../core/src/client/run-store/run-store.test-support';
