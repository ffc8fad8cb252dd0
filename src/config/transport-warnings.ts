// Settings that are valid but send credentials or logs where others can read them: SASL
// PLAIN or basic auth without TLS, certificates not verified. `logpod check` prints these
// and every command that connects logs them at start; none of them stops logpod.

import { isSecretKey, redactUrlCredentials, redactUrlPath } from './redact.js';
import type { Config, KafkaSaslConfig, KafkaTlsConfig } from './types.js';

/** One line per risky setting, key path first; no secret in any of them. */
export function transportWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const output = config.output;
  if (output.kind === 'kafka')
    warnings.push(...kafkaWarnings('output.kafka', output.sasl, output.tls));
  const writer = config.writer?.kafka;
  if (writer !== undefined)
    warnings.push(...kafkaWarnings('writer.kafka', writer.sasl, writer.tls));
  if (output.kind === 'elasticsearch') {
    const es = output;
    const credentials =
      es.username !== undefined || es.api_key !== undefined || es.hosts.some(hasUserinfo);
    const clear = es.hosts.filter((h) => h.startsWith('http:'));
    if (credentials && clear.length > 0) {
      warnings.push(
        `output.elasticsearch: credentials travel without TLS to ${clear.map(redactUrlCredentials).join(', ')} (use https://)`,
      );
    }
    if (!es.tls.reject_unauthorized) {
      warnings.push(
        'output.elasticsearch.tls.reject_unauthorized: false: certificates are not verified, ' +
          'so anyone on the path can read credentials and logs',
      );
    }
  }
  const webhook = config.alerts.webhook;
  if (webhook !== undefined && webhook.url.startsWith('http:')) {
    const headers = Object.keys(webhook.headers).some(isSecretKey);
    if (headers || hasUserinfo(webhook.url)) {
      warnings.push(
        `alerts.webhook: credentials travel without TLS to ${redactUrlPath(webhook.url)} (use https://)`,
      );
    }
  }
  return warnings;
}

function kafkaWarnings(
  at: string,
  sasl: KafkaSaslConfig | undefined,
  tls: KafkaTlsConfig,
): string[] {
  const warnings: string[] = [];
  if (sasl?.mechanism === 'plain' && !tls.enabled) {
    warnings.push(`${at}.sasl: PLAIN credentials travel without TLS (set ${at}.tls.enabled: true)`);
  }
  if (tls.enabled && !tls.reject_unauthorized) {
    warnings.push(
      `${at}.tls.reject_unauthorized: false: certificates are not verified, ` +
        'so anyone on the path can read credentials and logs',
    );
  }
  return warnings;
}

function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}
