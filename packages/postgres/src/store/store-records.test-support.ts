export { historyRecord } from '../../../core/src/store/store.test-support';
