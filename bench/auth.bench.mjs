// Cost per request of jwtTenantResolver: a valid token (RS256, ES256, EdDSA; one key or a cached
// JWKS from a loopback server), and refusals that stop early (oversized, malformed, bad signature).
// Run: node bench/run.mjs bench/auth.bench.mjs
import { createServer } from 'node:http';
import os from 'node:os';
import { jwtTenantResolver } from '@agentry/core/auth';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeIt(label, iterations, runs, body) {
  const perCall = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) await body();
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  console.log(
    `${label.padEnd(48)} ${median(perCall).toFixed(1).padStart(8)} µs/op (median of ${runs} runs × ${iterations})`,
  );
}

const base = { issuer: 'https://id.example.test/', audience: 'https://api.example.test', tenantClaim: 'org_id' };
const sign = (alg, privateKey, claims = {}) =>
  new SignJWT({ sub: 'user_1', org_id: 'acme', ...claims })
    .setProtectedHeader({ alg, kid: `${alg}-1` })
    .setIssuer(base.issuer)
    .setAudience(base.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
// Requests are built once: the figures are the resolver's, not Request construction's.
const request = (token) => new Request('https://app.example.test/', { headers: { authorization: `Bearer ${token}` } });
const expect = (value, ok) => {
  if ((value !== undefined) !== ok) throw new Error(`unexpected ${JSON.stringify(value)}`);
};

const keys = {};
for (const alg of ['RS256', 'ES256', 'EdDSA']) keys[alg] = await generateKeyPair(alg);

for (const alg of ['RS256', 'ES256', 'EdDSA']) {
  const resolve = jwtTenantResolver({ ...base, key: keys[alg].publicKey, algorithms: [alg] });
  const valid = request(await sign(alg, keys[alg].privateKey));
  await timeIt(`valid ${alg} token, one key`, 2_000, 7, async () => expect(await resolve(valid), true));
}

const jwks = { keys: [{ ...(await exportJWK(keys.RS256.publicKey)), kid: 'RS256-1', alg: 'RS256', use: 'sig' }] };
const server = createServer((_request, response) => response.end(JSON.stringify(jwks)));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const jwksUrl = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
const fromSet = jwtTenantResolver({ ...base, jwksUrl, algorithms: ['RS256'] });
const rs256 = await sign('RS256', keys.RS256.privateKey);
const validRs256 = request(rs256);
await timeIt('valid RS256 token, cached JWKS', 2_000, 7, async () => expect(await fromSet(validRs256), true));
server.close();

const resolve = jwtTenantResolver({ ...base, key: keys.RS256.publicKey, algorithms: ['RS256'] });
const oversized = request(await sign('RS256', keys.RS256.privateKey, { pad: 'x'.repeat(10_000) }));
const malformed = request('not.a-jwt');
const [header, payload] = rs256.split('.');
const badSignature = request(`${header}.${payload}.${'A'.repeat(342)}`);
await timeIt('refused: oversized (10 kB)', 20_000, 7, async () => expect(await resolve(oversized), false));
await timeIt('refused: malformed', 20_000, 7, async () => expect(await resolve(malformed), false));
await timeIt('refused: bad RS256 signature', 2_000, 7, async () => expect(await resolve(badSignature), false));

console.log(`\nNode ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`);
