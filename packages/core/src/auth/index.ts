// `@agentry/core/auth`: tenant resolvers that verify your identity provider's JWTs, on `jose`
// (an optional peer dependency: install it to use this entry). It is the only entry that
// imports `jose`, so `@agentry/core` and `@agentry/core/server` never load it. Web APIs only:
// it runs wherever the handler runs (Node, Edge, Workers, Bun, Deno).
//
// Left out on purpose: token *signing* (your identity provider signs; tests use jose directly)
// and session cookies of Agentry's own (sessions belong to your auth, not to Agentry).

export type { JwtAlgorithm } from './algorithms';
export { ASYMMETRIC_ALGORITHMS, SYMMETRIC_ALGORITHMS } from './algorithms';
export type { ClaimPath } from './claim-path';
export type { MapClaims, VerifiedClaims } from './claims-to-tenant';
export type { JwksFetchOptions } from './jwks-key-source';
export type { JwtTenantResolver } from './jwt-tenant-resolver';
export { jwtTenantResolver } from './jwt-tenant-resolver';
export type { Auth0TenantResolverOptions } from './presets/auth0';
export { auth0TenantResolver } from './presets/auth0';
export type { AuthjsTenantResolverOptions } from './presets/authjs';
export { AUTHJS_SESSION_COOKIE, authjsTenantResolver } from './presets/authjs';
export type { ClerkTenantResolverOptions } from './presets/clerk';
export { clerkClaimsToTenant, clerkTenantResolver } from './presets/clerk';
export type { PresetSharedOptions } from './presets/shared-options';
export type { SupabaseTenantResolverOptions } from './presets/supabase';
export { supabaseTenantResolver } from './presets/supabase';
export type { TokenLocation } from './read-token';
export type { TokenRejection, TokenSource } from './rejection';
export type { JwtTenantResolverOptions } from './resolver-options';
