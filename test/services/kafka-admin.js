// Kafka admin calls the harness needs, through kafkajs: the readiness probe (the broker
// answers metadata and every partition has a leader, so data kept across a restart is
// servable again) and topic creation and deletion that wait until they have taken effect.
import kafkajs from 'kafkajs';
import { sleep } from './jvm-process.js';

const { Kafka, logLevel } = kafkajs;

/** @param {string} brokers host:port, comma-separated */
function adminFor(brokers, requestTimeout = 5000, retries = 0) {
  const kafka = new Kafka({
    clientId: 'logpod-test-harness',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout,
    retry: { retries },
  });
  return kafka.admin();
}

/**
 * @template T
 * @param {string} brokers
 * @param {(admin: import('kafkajs').Admin) => Promise<T>} fn
 */
async function withAdmin(brokers, fn, requestTimeout, retries) {
  const admin = adminFor(brokers, requestTimeout, retries);
  try {
    await admin.connect();
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * One probe: true when the cluster answers describeCluster and metadata for every
 * topic, each partition with a leader.
 * @param {string} brokers
 */
export async function kafkaReady(brokers) {
  try {
    return await withAdmin(brokers, async (admin) => {
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0 || cluster.controller == null) return false;
      const names = await admin.listTopics();
      if (names.length === 0) return true;
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      return topics.every((t) => t.partitions.every((p) => p.leader >= 0));
    });
  } catch {
    return false;
  }
}

/**
 * Creates a topic (replication factor 1) and waits until each partition has a leader.
 * An existing topic with that name is left as it is.
 * @param {string} brokers
 * @param {string} name
 * @param {number} partitions
 */
export async function createTopic(brokers, name, partitions) {
  await withAdmin(
    brokers,
    async (admin) => {
      // waitForLeaders can throw UNKNOWN_TOPIC_OR_PARTITION while the new topic's metadata
      // spreads (tulios/kafkajs#1222); creating a topic that exists is a no-op, so retry.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.createTopics({
            topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
            waitForLeaders: true,
            timeout: 20_000,
          });
          return;
        } catch (err) {
          if (attempt >= 3 || errorType(err) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
    },
    30_000,
  );
}

/** The Kafka error type of a kafkajs error, wrapped or not. */
function errorType(err) {
  return err?.type ?? err?.originalError?.type ?? err?.cause?.type;
}

/**
 * Deletes a topic and waits until the broker no longer lists it (a missing topic is
 * not an error).
 * @param {string} brokers
 * @param {string} name
 */
export async function deleteTopic(brokers, name) {
  await withAdmin(
    brokers,
    async (admin) => {
      if (!(await admin.listTopics()).includes(name)) return;
      try {
        await admin.deleteTopics({ topics: [name], timeout: 20_000 });
      } catch (err) {
        if (errorType(err) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
      }
      const deadline = Date.now() + 30_000;
      while ((await admin.listTopics()).includes(name)) {
        if (Date.now() > deadline)
          throw new Error(`topic ${name} still listed 30 s after deletion`);
        await sleep(200);
      }
    },
    30_000,
  );
}

/**
 * Messages in a topic (sum over partitions of high - low watermark); 0 when it does not exist.
 * @param {string} brokers
 * @param {string} topic
 */
export async function topicMessages(brokers, topic) {
  return withAdmin(
    brokers,
    async (admin) => {
      if (!(await admin.listTopics()).includes(topic)) return 0;
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    },
    30_000,
    5,
  );
}

/**
 * The group's committed offsets summed over partitions (-1 offsets count as 0).
 * @param {string} brokers
 * @param {string} topic
 * @param {string} group
 */
export async function committedTotal(brokers, topic, group) {
  return withAdmin(
    brokers,
    async (admin) => {
      const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    },
    30_000,
    5,
  );
}
