import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOptionFile } from '../../../src/config/option-file.js';
import { LogpodError } from '../../../src/errors.js';

t.test('reads the file an option names', async (t) => {
  const file = join(t.testdir(), 'ca.pem');
  writeFileSync(file, 'PEM');
  t.equal(readOptionFile(file, 'output.kafka.tls.ca_file').toString(), 'PEM');
});

t.test('a file that cannot be read is a config error naming option, path and why', async (t) => {
  const missing = join(t.testdir(), 'missing.pem');
  t.throws(() => readOptionFile(missing, 'output.elasticsearch.tls.ca_file'), {
    constructor: LogpodError,
    code: 'CONFIG_INVALID',
    message: `output.elasticsearch.tls.ca_file: cannot read ${missing} (ENOENT)`,
  });
});
