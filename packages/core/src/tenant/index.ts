export type { TenantContext } from './tenant-context';
export { assertTenant, canAccess } from './tenant-context';
