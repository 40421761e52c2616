// The Digital Credentials Consortium verifier (verifier-core, eddsa-rdfc-2022 cryptosuite) checks
// one of our Data Integrity credentials against a running test server: the signature (key from the
// issuer's did:web document), expiry, the credential's status in the revocation and the suspension
// list (whose own proofs it verifies too), and the credential against the Open Badges 3.0 JSON
// schema its credentialSchema names. Usage: node verify.mjs BASE_URL UUID EXPECTED
// (valid, revoked or suspended); exits non-zero when the outcome is not the expected one.
//
// The only shim is the network: requests go to the test server and nowhere else, https://HOST
// (what did:web resolves to) goes to the test server's http://HOST, and the schema URL is answered
// with the copy bundled in the repository. JSON-LD contexts come from the verifier's own bundled
// copies; any other URL is refused.

import { readFile } from 'node:fs/promises';

const [base, uuid, expected] = process.argv.slice(2);
const SCHEMA_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const SCHEMA_FILE = new URL('../../certificates/schemas/ob_v3p0_achievementcredential_schema.json', import.meta.url);
const server = new URL(base);
const realFetch = globalThis.fetch;
const fetched = [];
globalThis.fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  if (request.url === SCHEMA_URL) {
    fetched.push('(bundled schema)');
    return new Response(await readFile(SCHEMA_FILE), { headers: { 'Content-Type': 'application/json' } });
  }
  const url = new URL(request.url);
  if (url.host !== server.host) {
    throw new Error(`refused: ${url} is not the test server`);
  }
  url.protocol = server.protocol;
  fetched.push(url.pathname);
  return realFetch(new Request(url, request));
};

const { verifyCredential } = await import('@digitalcredentials/verifier-core');

const credential = await (await realFetch(`${base}/ob/v3/credentials/${uuid}.json`)).json();
const result = await verifyCredential({ credential, knownDIDRegistries: [] });

const log = Object.fromEntries((result.log ?? []).map((entry) => [entry.id, entry.valid]));
const errors = (result.errors ?? []).map((e) => `${e.name}: ${e.message}`);
const schema = (result.additionalInformation ?? []).find((entry) => Array.isArray(entry.results));
const schemaValid = Boolean(schema) && schema.results.every((r) => r.result?.valid === true);

let outcome = 'invalid';
if (log.valid_signature === true && log.expiration === true && schemaValid && errors.length === 0) {
  if (log.revocation_status === false) outcome = 'revoked';
  else if (log.suspension_status === false) outcome = 'suspended';
  else if (log.revocation_status === true && log.suspension_status === true) outcome = 'valid';
}
const ok = outcome === expected;
console.log(
  `dcc verifier-core Data Integrity  expected ${expected.padEnd(9)} got ${outcome.padEnd(9)} ${ok ? 'OK ' : 'FAIL'}`,
  JSON.stringify({ log, schema: schemaValid ? 'valid' : schema?.results, errors, fetched: [...new Set(fetched)] })
);
process.exit(ok ? 0 : 1);
