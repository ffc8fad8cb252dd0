// Each demo run has its own topic and index (see logpod.js: runNames); what earlier
// runs left in the demo's Kafka and Elasticsearch is removed at start, so their
// data neither fills the disk nor shows on the dashboard.
import kafkajs from 'kafkajs';

const PREFIX = 'logpod-demo-';

/** Deletes earlier runs' topics; returns how many. */
export async function dropOldTopics(brokers) {
  const kafka = new kafkajs.Kafka({
    clientId: 'logpod-demo',
    brokers: [brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const old = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX));
    if (old.length > 0) await admin.deleteTopics({ topics: old, timeout: 20_000 });
    return old.length;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Deletes earlier runs' indices and index templates. */
export async function dropOldIndices(esUrl) {
  const call = async (path) => {
    const r = await fetch(`${esUrl}${path}`, {
      method: 'DELETE',
      signal: AbortSignal.timeout(30_000),
    });
    await r.arrayBuffer();
    if (!r.ok && r.status !== 404) throw new Error(`Elasticsearch DELETE ${path}: ${r.status}`);
  };
  await call(`/${PREFIX}*?ignore_unavailable=true&allow_no_indices=true&expand_wildcards=all`);
  await call(`/_index_template/${PREFIX}*`);
}
