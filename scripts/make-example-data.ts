/**
 * Writes the bundled teaching data, public/datasets/example-logs.csv: a seeded, realistic mixed
 * security log (firewall, IDS, web and DNS events) with a benign / suspicious / malicious label.
 * The label comes from a noisy latent score over several columns (rare ports, scanner agents,
 * odd hours, byte ratios, repeat external sources) plus about 4 % label noise, so it is learnable but
 * no single column gives it away. Run by `npm run prepare` (and so by `npm install`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';

const ROWS = 30_000;
const OUT = new URL('../public/datasets/example-logs.csv', import.meta.url);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20261123);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
  let r = rand() * items.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of items) if ((r -= w) <= 0) return v;
  return items[items.length - 1]![0];
};
const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const logNormal = (mu: number, sigma: number): number => Math.exp(mu + sigma * normal());

const internal = (): string => (rand() < 0.6 ? `10.0.${Math.floor(rand() * 8)}.${2 + Math.floor(rand() * 250)}` : `192.168.1.${2 + Math.floor(rand() * 250)}`);
const external = (): string => `${pick([23, 45, 62, 81, 91, 103, 142, 172, 185, 203])}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
const repeatOffenders = Array.from({ length: 12 }, external);

const PORTS = [[443, 40], [80, 18], [53, 14], [22, 5], [8080, 4], [3389, 3], [445, 3], [25, 2], [123, 2], [3306, 1], [23, 0.7], [6667, 0.3], [4444, 0.2], [1433, 0.5], [5900, 0.4]] as const;
const RARE_PORTS = new Set([23, 6667, 4444, 1433, 5900, 3389, 445]);
const AGENTS = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36', 45],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 18],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 10],
  ['curl/8.5.0', 8],
  ['python-requests/2.31.0', 7],
  ['Go-http-client/1.1', 5],
  ['sqlmap/1.8#stable (https://sqlmap.org)', 1.2],
  ['Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)', 1],
  ['masscan/1.3 (https://github.com/robertdavidgraham/masscan)', 0.8],
] as const;
const SCANNERS = /sqlmap|Nikto|masscan/;
const PATHS = [
  ['/', 20], ['/index.html', 8], ['/login', 9], ['/api/v1/items', 12], ['/api/v1/orders', 6], ['/static/app.js', 10],
  ['/static/style.css', 8], ['/images/logo.png', 6], ['/search', 5], ['/account/settings', 3], ['/admin', 1.2],
  ['/wp-login.php', 0.8], ['/.env', 0.4], ['/phpmyadmin/', 0.4], ['/cgi-bin/luci', 0.3], ['/api/v1/export', 1],
] as const;
const PROBE_PATHS = new Set(['/admin', '/wp-login.php', '/.env', '/phpmyadmin/', '/cgi-bin/luci']);

const start = Date.UTC(2026, 9, 5, 0, 0, 0);
const header = 'timestamp,src_ip,dst_ip,src_port,dst_port,protocol,bytes_in,bytes_out,packets,duration,user_agent,request_path,log_type,action,label';
const rows: { score: number; fields: (string | number)[] }[] = [];
for (let i = 0; i < ROWS; i++) {
  // Diurnal: most events in office hours; a share at night.
  const day = Math.floor(rand() * 6);
  const hour = rand() < 0.78 ? 8 + Math.floor(rand() * 11) : Math.floor(rand() * 24);
  const time = start + ((day * 24 + hour) * 3600 + Math.floor(rand() * 3600)) * 1000 + Math.floor(rand() * 1000);
  const logType = weighted([['firewall', 40], ['web', 30], ['dns', 18], ['ids', 12]] as const);
  const outbound = rand() < 0.55;
  // A few external hosts come back again and again (scanners, a campaign): only inbound rows show it.
  const repeat = !outbound && rand() < 0.09;
  const srcIp = outbound ? internal() : repeat ? pick(repeatOffenders) : external();
  const dstIp = outbound ? external() : internal();
  const icmp = (logType === 'firewall' || logType === 'ids') && rand() < 0.03;
  const dstPort = icmp ? 0 : logType === 'dns' ? 53 : logType === 'web' ? weighted([[443, 70], [80, 25], [8080, 5]] as const) : weighted(PORTS);
  const protocol = icmp ? 'ICMP' : dstPort === 53 || dstPort === 123 ? 'UDP' : 'TCP';
  const agent = logType === 'web' || rand() < 0.1 ? weighted(AGENTS) : '';
  const path = logType === 'web' ? weighted(PATHS) : '';
  const bytesIn = Math.round(logNormal(logType === 'dns' ? 4.5 : 7, 1.3));
  const bytesOut = Math.round(logNormal(logType === 'dns' ? 5 : 8, 1.6));
  const packets = Math.max(1, Math.round((bytesIn + bytesOut) / (300 + rand() * 900)));
  const duration = Math.round(logNormal(-0.5, 1.5) * 1000) / 1000;

  const score =
    1.1 * +RARE_PORTS.has(dstPort) +
    1.4 * +SCANNERS.test(agent) +
    0.6 * +(agent.startsWith('python') || agent.startsWith('curl')) +
    0.9 * +(hour < 6 || hour > 21) +
    1.3 * +repeat +
    0.9 * +PROBE_PATHS.has(path) +
    0.35 * Math.log((bytesOut + 1) / (bytesIn + 1)) +
    0.5 * +(duration > 20) +
    0.6 * normal();
  const action = score > 2.2 && rand() < 0.5 ? weighted([['deny', 3], ['drop', 2], ['alert', 3]] as const) : rand() < 0.06 ? 'deny' : 'allow';
  const srcPort = icmp ? 0 : 1024 + Math.floor(rand() * 64000);
  const fields: (string | number)[] = [new Date(time).toISOString(), srcIp, dstIp, srcPort, dstPort, protocol, bytesIn, bytesOut, packets, duration, agent, path, logType, action];
  // About 1 % missing values in a few columns, as real exports have.
  for (const c of [7, 9, 10]) if (rand() < 0.01) fields[c] = '';
  rows.push({ score, fields });
}

// A handful of heavy outliers, as real logs have: bulk transfers, long-lived sessions.
for (let k = 0; k < 8; k++) {
  const r = rows[Math.floor(rand() * ROWS)]!.fields;
  r[7] = Math.round(2e9 + rand() * 3e9); // bytes_out
  r[8] = Math.round(1e6 + rand() * 3e6); // packets
  r[9] = Math.round((20_000 + rand() * 60_000) * 1000) / 1000; // duration, seconds
}

// Thresholds at the 87th and 95.5th percentiles of the score; with the noise below the labels come
// out near 85 / 10 / 5 %.
const sorted = rows.map((r) => r.score).sort((a, b) => a - b);
const t1 = sorted[Math.floor(0.87 * ROWS)]!;
const t2 = sorted[Math.floor(0.955 * ROWS)]!;
const LABELS = ['benign', 'suspicious', 'malicious'] as const;
/** Per true class: chance of the next class down, up, and of the far class (benign ↔ malicious). */
const NOISE = [[0, 0.03, 0.005], [0.05, 0.05, 0], [0.05, 0, 0.02]] as const;
const quote = (v: string | number): string => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
const lines = [header];
for (const r of rows) {
  let label = r.score >= t2 ? 2 : r.score >= t1 ? 1 : 0;
  // About 4 % label noise, mostly between neighbouring classes (analysts disagree on the edge).
  const flip = rand();
  const [down, up, far] = NOISE[label]!;
  if (flip < down) label = label - 1;
  else if (flip < down + up) label = label + 1;
  else if (flip < down + up + far) label = label === 0 ? 2 : 0;
  lines.push([...r.fields, LABELS[label]!].map(quote).join(','));
}
mkdirSync(new URL('.', OUT), { recursive: true });
writeFileSync(OUT, lines.join('\n') + '\n');
console.log(`wrote ${OUT.pathname} (${ROWS} rows)`);
