// Understands why no answer arrived: a timeout or a reset may pass (transient, retried); a certificate
// refused, a host not found or a connection refused will not pass by retrying, and the reason says what to
// check. The error text comes from transport.ts (its describeError), or Node's error code.
import type { Classification } from './classify.ts';
import { serviceText } from './service-text.ts';

// Node's TLS verification codes (OpenSSL X509_V_ERR_* names) for a certificate chain it does not trust.
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_HOST = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

function unreachable(reason: string): Classification {
  return { outcome: 'unreachable', reason, retryAfterMs: null, senderFault: 'network' };
}

export function classifyNetworkError(error: string): Classification {
  const text = serviceText(error).trim().slice(0, 120);
  const code = /\b([A-Z][A-Z0-9_]{5,})\b/.exec(text)?.[1] ?? '';
  if (UNTRUSTED.has(code)) {
    return unreachable(
      `TLS certificate not trusted (${code}): the push service's certificate is not signed by a CA this computer trusts. Behind a proxy or a private CA, point NODE_EXTRA_CA_CERTS at that CA's PEM file and resume.`,
    );
  }
  if (EXPIRED.has(code)) {
    return unreachable(
      `TLS certificate not valid now (${code}): check this computer's clock, or the certificate of the proxy in between.`,
    );
  }
  if (WRONG_HOST.has(code)) {
    return unreachable(
      `TLS certificate is for another host (${code}): check the endpoint's host name and any proxy in between.`,
    );
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return unreachable(
      `no TLS at that address (${code}): the endpoint says https but the server there does not speak TLS. Check the endpoint's scheme and port, or the proxy setting.`,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return unreachable(
      `no route to the push service (${code}): check the network, a firewall, or set HTTPS_PROXY if the network needs a proxy.`,
    );
  }
  if (text === 'host not found' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return unreachable(
      "host not found (DNS): the push service's name does not resolve here. Check the network and DNS, or set HTTPS_PROXY if the network needs a proxy.",
    );
  }
  if (text === 'connection refused' || code === 'ECONNREFUSED') {
    return unreachable(
      'connection refused: nothing accepts connections at the push service’s address. Check the endpoint, a firewall, or the proxy setting.',
    );
  }
  return { outcome: 'transient', reason: text || 'no answer', retryAfterMs: null, senderFault: 'service' };
}
