// FromSchema reads the config's types off its schema. These checks run in the type checker
// (`npm run typecheck` fails on a wrong type); the tap assertions only show they ran.
import t from 'tap';
import {
  boolean,
  closed,
  duration,
  type FromSchema,
  nonEmptyString,
  oneOf,
  size,
} from '../../../src/config/json-schema.js';
import type { Config, OutputConfig } from '../../../src/config/types.js';

const _section = closed(
  {
    wait: { ...duration(1), default: '5s' },
    limit: size(1, 1024),
    mode: oneOf('fast', 'safe'),
    on: { ...boolean, default: true },
    name: nonEmptyString,
  },
  ['name'],
);
type Section = FromSchema<typeof _section>;

t.test('a default or required makes a key present; units become numbers', async (t) => {
  const least: Section = { wait: 5000, on: true, name: 'x' };
  const most: Section = { wait: 1, limit: 10, mode: 'safe', on: false, name: 'y' };
  // @ts-expect-error a duration is a number of milliseconds once loaded
  const unitText: Section = { wait: '5s', on: true, name: 'x' };
  // @ts-expect-error a key with a default is always there
  const missing: Section = { on: true, name: 'x' };
  // @ts-expect-error an enum is its values
  const outside: Section = { wait: 1, mode: 'slow', on: true, name: 'x' };
  t.ok([least, most, unitText, missing, outside]);
});

t.test('the output is a union tagged by kind', async (t) => {
  const describe = (output: OutputConfig): string => {
    switch (output.kind) {
      case 'stdout':
        return 'stdout';
      case 'file':
        return output.path;
      case 'kafka':
        return output.brokers.join(',');
      case 'elasticsearch':
        return output.hosts.join(',');
    }
  };
  t.equal(describe({ kind: 'file', path: 'out.ndjson', fsync: true }), 'out.ndjson');
  // @ts-expect-error a file output has no brokers
  const wrong: OutputConfig = { kind: 'file', path: 'x', fsync: true, brokers: [] };
  const inputs: Config['inputs'][number]['max_line_bytes'] = 1024;
  t.ok([wrong, inputs]);
});
