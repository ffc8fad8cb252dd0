// A deterministic generator of realistic nginx access logs (`combined` and
// `main`): the same seed gives the same bytes on every machine. Clients are
// IPv4 and IPv6, paths and query strings vary in length, user agents come from
// a weighted pool of browsers, bots and tools; lines average about 240 bytes.
// CLI: node test/bench/nginx-log-generator.js --lines N [--format main] [--seed S] > access.log

import { openSync, writeSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from [[weight, value], ...] with cumulative weights prepared once. */
function weighted(pairs) {
  const total = pairs.reduce((s, [w]) => s + w, 0);
  let acc = 0;
  const cum = pairs.map(([w, v]) => [(acc += w) / total, v]);
  return (r) => {
    const x = r();
    for (let i = 0; i < cum.length; i++) if (x < cum[i][0]) return cum[i][1];
    return cum[cum.length - 1][1];
  };
}

const USER_AGENTS = weighted([
  [
    22,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  ],
  [
    9,
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  ],
  [
    12,
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  ],
  [
    11,
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  ],
  [
    5,
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  ],
  [6, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  [2, 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  [
    4,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
  ],
  [
    2,
    'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  ],
  [
    1,
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  ],
  [
    4,
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ],
  [2, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  [2, 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [1, 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
  [2, 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  [1, 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)'],
  [1, 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
  [2, 'curl/8.5.0'],
  [1, 'curl/7.81.0'],
  [1, 'python-requests/2.31.0'],
  [1, 'Go-http-client/1.1'],
  [1, 'Wget/1.21.4'],
  [1, 'okhttp/4.12.0'],
  [2, 'kube-probe/1.29'],
  [1, 'Prometheus/2.51.0'],
  [1, '-'],
]);

const METHODS = weighted([
  [90, 'GET'],
  [6, 'POST'],
  [2, 'HEAD'],
  [0.7, 'PUT'],
  [0.5, 'OPTIONS'],
  [0.3, 'DELETE'],
]);
const PROTOCOLS = weighted([
  [78, 'HTTP/1.1'],
  [20, 'HTTP/2.0'],
  [2, 'HTTP/1.0'],
]);
const STATUSES = weighted([
  [81, 200],
  [6, 304],
  [3, 301],
  [1, 302],
  [5, 404],
  [1, 403],
  [0.5, 206],
  [0.5, 499],
  [0.5, 500],
  [0.5, 502],
  [0.2, 503],
]);
const SEARCH_ENGINES = weighted([
  [6, 'https://www.google.com/'],
  [1, 'https://www.bing.com/'],
  [1, 'https://duckduckgo.com/'],
  [1, 'https://t.co/'],
  [1, 'https://www.facebook.com/'],
  [0.5, 'android-app://com.google.android.gm/'],
]);

const WORDS = (
  'nginx logs shoes red running summer sale jacket winter kids garden lamp desk chair ' +
  'coffee tea mug linux kafka cloud books music guitar piano camera lens bike helmet ' +
  'wool socks rain boots travel bag watch leather wallet phone case charger cable'
).split(' ');
const CATEGORIES = [
  'shoes',
  'outdoor',
  'home',
  'kitchen',
  'electronics',
  'books',
  'garden',
  'kids',
];
const SORTS = ['price_asc', 'price_desc', 'newest', 'rating', 'relevance'];
const CAMPAIGNS = [
  'spring_sale_2026',
  'newsletter-0412',
  'retargeting_eu',
  'brand',
  'black-friday',
];
const DOMAIN = 'https://shop.example.com';
const USERS = ['alice', 'bob', 'admin', 'deploy', 'monitor'];

const HEX = '0123456789abcdef';
const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}
function hex(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[Math.floor(r() * 16)];
  return s;
}
function token(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += TOKEN[Math.floor(r() * TOKEN.length)];
  return s;
}
function int(r, lo, hi) {
  return lo + Math.floor(r() * (hi - lo + 1));
}
function slug(r) {
  const n = int(r, 2, 5);
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(pick(r, WORDS));
  return parts.join('-');
}

/** Campaign parameters that make some query strings long, as real traffic does. */
function tracking(r) {
  const x = r();
  if (x < 0.05) return `&gclid=${token(r, int(r, 40, 70))}`;
  if (x < 0.09) {
    return `&utm_source=${pick(r, ['google', 'newsletter', 'facebook', 'partner'])}&utm_medium=${pick(r, ['cpc', 'email', 'social'])}&utm_campaign=${pick(r, CAMPAIGNS)}`;
  }
  if (x < 0.11) return `&fbclid=${token(r, int(r, 55, 65))}`;
  return '';
}

/** A request target of a made-up shop with a blog, an API and static assets. */
function target(r) {
  const x = r();
  if (x < 0.22) {
    const kind = pick(r, ['js/app', 'js/vendor', 'js/chunk-' + int(r, 100, 999), 'css/main']);
    return `/static/${kind}.${hex(r, 8)}.${kind.startsWith('css') ? 'css' : 'js'}`;
  }
  if (x < 0.34)
    return `/images/products/${int(r, 1000, 99999)}-${slug(r)}.${pick(r, ['jpg', 'webp', 'png'])}`;
  if (x < 0.48) {
    let q = `category=${pick(r, CATEGORIES)}&page=${int(r, 1, 40)}`;
    if (r() < 0.5) q += `&sort=${pick(r, SORTS)}`;
    if (r() < 0.3) q += `&price_min=${int(r, 0, 50)}&price_max=${int(r, 60, 900)}`;
    return `/api/v1/products?${q}${tracking(r)}`;
  }
  if (x < 0.56) {
    const terms = [];
    for (let i = int(r, 1, 4); i > 0; i--) terms.push(pick(r, WORDS));
    return `/search?q=${terms.join('+')}&page=${int(r, 1, 5)}${tracking(r)}`;
  }
  if (x < 0.66)
    return `/products/${int(r, 1000, 99999)}/${slug(r)}${r() < 0.4 ? '?ref=' + pick(r, ['home', 'search', 'related', 'email']) + tracking(r) : ''}`;
  if (x < 0.73)
    return `/blog/20${int(r, 19, 26)}/${String(int(r, 1, 12)).padStart(2, '0')}/${slug(r)}`;
  if (x < 0.78) return `/api/v1/cart/${hex(r, 24)}/items${r() < 0.5 ? '?expand=product' : ''}`;
  if (x < 0.82) return `/account/orders/${int(r, 100000, 999999)}`;
  if (x < 0.86) return pick(r, ['/', '/', '/', '/cart', '/checkout', '/login', '/about']);
  if (x < 0.9) return pick(r, ['/favicon.ico', '/robots.txt', '/sitemap.xml', '/manifest.json']);
  if (x < 0.93) return `/healthz`;
  if (x < 0.95) return `/api/v1/events?session=${hex(r, 32)}&t=${int(r, 1, 99999)}`;
  if (x < 0.965) {
    return pick(r, [
      '/wp-login.php',
      '/.env',
      '/wp-admin/setup-config.php',
      '/.git/config',
      '/phpmyadmin/index.php',
      '/cgi-bin/luci/;stok=/locale',
      '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
    ]);
  }
  // Percent-encoded and escaped targets: what nginx writes for odd requests.
  if (x < 0.975)
    return `/search?q=${pick(r, ['caf%C3%A9', '%E6%97%A5%E6%9C%AC', 'na%C3%AFve', 'M%C3%BCnchen'])}&page=1`;
  if (x < 0.977)
    return `/${pick(r, ['\\x22onmouseover=alert(1)\\x22', 'a\\x5Cb', 'x\\xC3\\xA9t\\xC3\\xA9'])}`;
  return `/category/${pick(r, CATEGORIES)}?page=${int(r, 1, 20)}${tracking(r)}`;
}

function ipv4(r) {
  // Public-looking ranges, never leading zeros.
  return `${pick(r, [23, 31, 37, 46, 62, 77, 81, 85, 89, 91, 93, 104, 109, 141, 151, 176, 178, 185, 188, 193, 195, 203, 212, 213, 217])}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
}
function ipv6(r) {
  const x = r();
  const g = () => int(r, 0, 0xffff).toString(16);
  if (x < 0.6) return `2a0${int(r, 1, 9)}:${g()}:${g()}:${g()}::${g()}`;
  if (x < 0.9) return `2001:db8:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`;
  return `2600:1f18:${g()}::${g()}:${g()}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$time_local` for epoch ms in a +01:00 zone, as nginx writes it. */
export function timeLocal(ms) {
  const d = new Date(ms + 3600_000);
  const p = (n) => (n < 10 ? '0' + n : '' + n);
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0100`;
}

/**
 * A generator of access lines. `next()` returns one line without its newline;
 * `nextAt(ms)` the same with a given time (for live appends).
 * @param {{ seed?: number, format?: 'combined' | 'main', startMs?: number, linesPerSecond?: number }} [opts]
 */
export function createLogGenerator(opts = {}) {
  const r = prng(opts.seed ?? 20260314);
  const format = opts.format ?? 'main';
  const step = 1000 / (opts.linesPerSecond ?? 50);
  let now = opts.startMs ?? Date.UTC(2026, 2, 14, 7, 0, 0);
  // A population of clients, reused with a skew (a few heavy hitters), each with its own agent.
  const clients = [];
  for (let i = 0; i < 4000; i++) {
    clients.push({ ip: r() < 0.82 ? ipv4(r) : ipv6(r), ua: USER_AGENTS(r) });
  }
  let cachedSecond = -1;
  let cachedTime = '';

  function line(ms) {
    const sec = Math.floor(ms / 1000);
    if (sec !== cachedSecond) {
      cachedSecond = sec;
      cachedTime = timeLocal(sec * 1000);
    }
    const c = clients[Math.floor(Math.pow(r(), 2.2) * clients.length)];
    const method = METHODS(r);
    const t = target(r);
    const status = method === 'HEAD' ? 200 : STATUSES(r);
    let bytes;
    if (status === 304 || status === 499 || method === 'HEAD') bytes = 0;
    else if (status >= 300 && status < 400) bytes = int(r, 150, 180);
    else if (status >= 400) bytes = int(r, 150, 600);
    else if (t.startsWith('/static/') || t.startsWith('/images/')) bytes = int(r, 2000, 480000);
    else bytes = int(r, 300, 60000);
    const x = r();
    const referer =
      x < 0.38 || c.ua.startsWith('curl') || c.ua === '-'
        ? '-'
        : x < 0.86
          ? DOMAIN + (r() < 0.7 ? '/' : target(r))
          : SEARCH_ENGINES(r);
    const user = r() < 0.004 ? pick(r, USERS) : '-';
    let out = `${c.ip} - ${user} [${cachedTime}] "${method} ${t} ${PROTOCOLS(r)}" ${status} ${bytes} "${referer}" "${c.ua}"`;
    if (format === 'main') {
      const y = r();
      const xff = y < 0.75 ? '-' : y < 0.94 ? ipv4(r) : `${ipv4(r)}, ${ipv4(r)}`;
      out += ` "${xff}"`;
    }
    return out;
  }

  return {
    next() {
      now += step * 2 * r();
      return line(now);
    },
    nextAt(ms) {
      return line(ms);
    },
  };
}

/** Writes `lines` generated lines to `path`; returns the bytes written. */
export function writeLogFile(path, lines, opts = {}) {
  const gen = createLogGenerator(opts);
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    let buf = '';
    for (let i = 0; i < lines; i++) {
      buf += gen.next() + '\n';
      if (buf.length > 1 << 20) {
        bytes += writeSync(fd, buf);
        buf = '';
      }
    }
    if (buf.length > 0) bytes += writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '1000' },
      format: { type: 'string', default: 'main' },
      seed: { type: 'string', default: '20260314' },
    },
  });
  const gen = createLogGenerator({ seed: Number(values.seed), format: values.format });
  const n = Number(values.lines);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += gen.next() + '\n';
    if (buf.length > 1 << 16) {
      writeSync(1, buf);
      buf = '';
    }
  }
  writeSync(1, buf);
}
