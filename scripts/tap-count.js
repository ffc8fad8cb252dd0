// Counts tests in node-tap's TAP output: each subtest of a test file (the
// lines indented one level) is one test; a file that failed with no failing
// subtest of its own (it crashed or timed out) counts as one failure.

const FILE_RESULT = /^(not )?ok \d+ - (.*?)(?: # (.*))?$/;
const TEST_RESULT = /^ {4}(not )?ok \d+ - (.*?)(?: # (.*))?$/;

export function countTapResults(text) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let failedInFile = 0;
  for (const line of text.split('\n')) {
    let m = TEST_RESULT.exec(line);
    if (m) {
      const directive = m[3] ?? '';
      if (/^(SKIP|TODO)\b/i.test(directive)) skipped++;
      else if (m[1]) {
        failed++;
        failedInFile++;
      } else passed++;
      continue;
    }
    m = FILE_RESULT.exec(line);
    if (m) {
      const directive = m[3] ?? '';
      if (m[1] && failedInFile === 0 && !/^(SKIP|TODO)\b/i.test(directive)) failed++;
      else if (!m[1] && /^SKIP\b/i.test(directive)) skipped++;
      failedInFile = 0;
    }
  }
  return { passed, failed, skipped };
}
