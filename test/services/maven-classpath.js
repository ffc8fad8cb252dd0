// Runtime classpath of a service, resolved from Maven Central by `mvn dependency:build-
// classpath` into ~/.m2 on the first run and cached in the work dir, keyed by the pom's
// hash: later runs start with no Maven call at all, offline. A cache whose jars are gone
// from ~/.m2 is resolved again (offline first, then online).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { run } from './jvm-process.js';

const MAVEN_TIMEOUT_MS = 15 * 60_000;

/**
 * @param {{ mvn: string, pom: string, cacheFile: string, log: (line: string) => void }} opts
 * @returns {Promise<string[]>} absolute paths of the jars
 */
export async function resolveClasspath({ mvn, pom, cacheFile, log }) {
  const key = createHash('sha256').update(readFileSync(pom)).digest('hex');
  const cached = readCache(cacheFile);
  if (cached && cached.key === key && cached.jars.every((jar) => existsSync(jar))) {
    return cached.jars;
  }
  mkdirSync(dirname(cacheFile), { recursive: true });
  const outFile = `${cacheFile}.mvn.txt`;
  const args = [
    '-B',
    '-q',
    '-f',
    pom,
    'dependency:build-classpath',
    `-Dmdep.outputFile=${outFile}`,
    '-Dmdep.includeScope=runtime',
  ];
  try {
    await run(mvn, ['-o', ...args], { timeoutMs: MAVEN_TIMEOUT_MS });
  } catch {
    log(`resolving ${pom} from Maven Central (first run: downloads into ~/.m2)`);
    const started = Date.now();
    await run(mvn, args, { timeoutMs: MAVEN_TIMEOUT_MS });
    log(`resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const jars = readFileSync(outFile, 'utf8')
    .trim()
    .split(':')
    .filter((p) => p !== '');
  rmSync(outFile, { force: true });
  if (jars.length === 0) throw new Error(`mvn resolved an empty classpath for ${pom}`);
  writeFileSync(cacheFile, `${JSON.stringify({ key, jars }, null, 2)}\n`);
  return jars;
}

function readCache(file) {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed.key === 'string' && Array.isArray(parsed.jars) ? parsed : null;
  } catch {
    return null;
  }
}
