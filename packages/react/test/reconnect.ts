// The real handler behind an in-process fetch that cuts a run stream part-way (framework-free:
// they live next to the client in core), for the panel's reconnect tests.

export { cuttingFetch } from '../../core/src/client/cutting-fetch.test-support';
export { A, setup } from '../../core/src/server/coordination.test-support';
