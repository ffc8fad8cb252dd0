import t from 'tap';
import { Glob, GlobSet } from '../../../../src/sources/file/glob.js';

t.test('star, question mark and classes inside one segment', async (t) => {
  const g = new Glob('/var/log/nginx/access-[0-9]?.log*');
  t.equal(g.base, '/var/log/nginx');
  t.ok(g.matches('/var/log/nginx/access-12.log'));
  t.ok(g.matches('/var/log/nginx/access-1x.log.1'));
  t.notOk(g.matches('/var/log/nginx/access-x1.log'));
  t.notOk(g.matches('/var/log/nginx/access-1.log'), '? needs one character');
  t.notOk(g.matches('/var/log/nginx/sub/access-12.log'), '* does not cross a slash');
  t.notOk(g.matches('/var/log/nginxx/access-12.log'));
});

t.test('negated classes, ranges and escapes', async (t) => {
  t.ok(new Glob('/l/[!a-c]x').matches('/l/dx'));
  t.notOk(new Glob('/l/[!a-c]x').matches('/l/bx'));
  t.ok(new Glob('/l/a\\*b').matches('/l/a*b'));
  t.notOk(new Glob('/l/a\\*b').matches('/l/axxb'));
  t.ok(new Glob('/l/[').matches('/l/['), 'an unclosed bracket is a literal');
});

t.test('** matches zero or more directories', async (t) => {
  const g = new Glob('/srv/**/logs/*.log');
  t.equal(g.base, '/srv');
  t.ok(g.hasGlobstar);
  t.ok(g.matches('/srv/logs/a.log'));
  t.ok(g.matches('/srv/x/y/z/logs/a.log'));
  t.notOk(g.matches('/srv/x/y/z/a.log'));
  const all = new Glob('/srv/**');
  t.ok(all.matches('/srv/a/b/c'));
});

t.test(
  'relative patterns resolve against cwd; literal patterns have their directory as base',
  async (t) => {
    const g = new Glob('logs/access.log', '/work/here');
    t.equal(g.base, '/work/here/logs');
    t.ok(g.matches('/work/here/logs/access.log'));
    t.equal(g.depth, 0);
  },
);

t.test(
  'a pathological pattern and name finish (a backtracking matcher would hang here)',
  async (t) => {
    const g = new Glob(`/d/${'*a'.repeat(20)}*b`);
    const name = 'a'.repeat(5000);
    t.notOk(g.matches(`/d/${name}`));
    t.ok(g.accepts(g.step(g.start(), `${name}b`)));
  },
);

t.test('excludes: with a slash on the full path, without on the file name', async (t) => {
  const set = new GlobSet(['/logs/**/*'], ['*.gz', '/logs/old/**']);
  t.ok(set.matches('/logs/a/access.log'));
  t.notOk(set.matches('/logs/a/access.log.2.gz'));
  t.notOk(set.matches('/logs/old/access.log'));
  t.notOk(set.matches('/elsewhere/access.log'));
});
