// Traffic for the demo stack: a steady stream of plausible shop visits against
// nginx, from clients in a dozen countries (X-Forwarded-For), with browsers,
// phones and bots, hitting pages that answer 2xx, 3xx, 4xx and 5xx. Node
// built-ins only, so it runs in the plain node image.
//
//   TARGET_URL  where nginx listens           default http://nginx
//   RATE        requests per second           default 5
//   COUNT       stop after this many (0: run until SIGTERM)   default 0
import http from 'node:http';

const target = new URL(process.env.TARGET_URL || 'http://nginx');
const rate = positive(process.env.RATE, 5);
const count = Math.floor(positive(process.env.COUNT, 0, true));

function positive(raw, fallback, zeroOk = false) {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk)) {
    console.error(`traffic: expected a positive number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

// /16 blocks of residential and hosting networks that geolocate to one
// country each; the weights make a few countries busier than the rest.
const NETWORKS = [
  { country: 'US', prefixes: ['73.162', '71.190'], weight: 6 },
  { country: 'DE', prefixes: ['85.214', '91.64'], weight: 4 },
  { country: 'GB', prefixes: ['86.140'], weight: 3 },
  { country: 'FR', prefixes: ['82.64'], weight: 3 },
  { country: 'JP', prefixes: ['133.242', '126.0'], weight: 2 },
  { country: 'BR', prefixes: ['200.147', '177.32'], weight: 2 },
  { country: 'IN', prefixes: ['49.44', '117.192'], weight: 2 },
  { country: 'AU', prefixes: ['1.128', '110.174'], weight: 1 },
  { country: 'ZA', prefixes: ['41.0', '105.224'], weight: 1 },
  { country: 'CA', prefixes: ['142.112', '24.200'], weight: 1 },
  { country: 'KR', prefixes: ['175.223'], weight: 1 },
  { country: 'MX', prefixes: ['187.190'], weight: 1 },
];

const AGENTS = [
  [
    5,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  ],
  [
    3,
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  ],
  [
    3,
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  ],
  [
    2,
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  ],
  [2, 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0'],
  [
    1,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  ],
  [1, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  [1, 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [1, 'curl/8.5.0'],
  [1, 'python-requests/2.32.3'],
];

const PRODUCTS = ['espresso-machine', 'grinder', 'kettle', 'mug', 'beans-1kg', 'scale', 'filter'];
const SEARCHES = ['coffee', 'mug', 'gift', 'decaf', 'espresso machine', 'filter papers'];
const REFERRERS = [
  'https://www.google.com/',
  'https://duckduckgo.com/',
  'https://news.ycombinator.com/',
  'https://t.co/xyz',
];

// [weight, method, path]: what visitors do, and what nginx answers (see nginx.conf).
const ROUTES = [
  [14, 'GET', () => '/'],
  [4, 'GET', () => '/index.html'],
  [16, 'GET', () => `/products/${pick(PRODUCTS)}`],
  [6, 'GET', () => '/products'],
  [6, 'GET', () => `/search?q=${encodeURIComponent(pick(SEARCHES))}&page=${1 + rand(3)}`],
  [8, 'GET', () => `/static/app.${rand(0x10000).toString(16)}.js`],
  [6, 'GET', () => '/api/cart'],
  [3, 'POST', () => '/api/checkout'],
  [2, 'GET', () => '/api/recommendations'],
  [1, 'GET', () => '/api/inventory'],
  [3, 'GET', () => `/catalog/${pick(PRODUCTS)}`],
  [3, 'GET', () => `/images/${pick(PRODUCTS)}.webp`],
  [1, 'GET', () => '/wp-login.php'],
  [1, 'GET', () => '/admin'],
];

function rand(n) {
  return Math.floor(Math.random() * n);
}

function pick(list) {
  return list[rand(list.length)];
}

function weighted(list, weightOf) {
  let total = 0;
  for (const item of list) total += weightOf(item);
  let r = Math.random() * total;
  for (const item of list) {
    r -= weightOf(item);
    if (r < 0) return item;
  }
  return list[list.length - 1];
}

// Visitors come back: a pool of clients, each with one address and one browser.
// Every country and every browser is in the pool, as often as its weight says.
function spread(list, weightOf, times) {
  return list.flatMap((item) => Array.from({ length: weightOf(item) * times }, () => item));
}
const homes = spread(NETWORKS, (n) => n.weight, 3);
const browsers = spread(AGENTS, (a) => a[0], 4);
const clients = homes.map((network, i) => ({
  ip: `${pick(network.prefixes)}.${rand(256)}.${1 + rand(254)}`,
  agent: browsers[(i * 7) % browsers.length][1],
}));

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const statuses = new Map();
let sent = 0;
let done = 0;

function visit() {
  const client = pick(clients);
  const [, method, path] = weighted(ROUTES, (r) => r[0]);
  const headers = { 'User-Agent': client.agent, 'X-Forwarded-For': client.ip };
  if (Math.random() < 0.4) headers.Referer = pick(REFERRERS);
  else if (Math.random() < 0.5) headers.Referer = new URL('/', target).href;
  const body = method === 'POST' ? JSON.stringify({ items: 1 + rand(4) }) : undefined;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  sent++;
  const req = http.request(new URL(path(), target), { method, headers, agent }, (res) => {
    res.resume();
    res.on('end', () => finish(String(res.statusCode)));
  });
  req.on('error', (err) => finish(err.code || 'error'));
  req.end(body);
}

function finish(outcome) {
  statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
  done++;
  if (count > 0 && done === count) stop();
}

function report() {
  const parts = [...statuses].sort().map(([k, v]) => `${k}:${v}`);
  console.log(`traffic: ${done} requests to ${target.origin} (${parts.join(' ')})`);
}

const interval = 1000 / rate;
let timer;
function tick() {
  if (count > 0 && sent >= count) return;
  visit();
  // A little jitter so the rate looks like people, not a metronome.
  timer = setTimeout(tick, interval * (0.5 + Math.random()));
}

const reporter = setInterval(report, 30_000);
function stop() {
  clearTimeout(timer);
  clearInterval(reporter);
  report();
  agent.destroy();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

console.log(
  `traffic: ${rate} requests/s to ${target.origin}${count > 0 ? `, ${count} in all` : ''}`,
);
tick();
