// Prometheus's own checker (Debian's prometheus package ships /usr/bin/promtool): what it says
// about a text exposition, and a scrape of a /metrics URL over plain HTTP.
import { spawn } from 'node:child_process';
import http from 'node:http';

export interface PromtoolVerdict {
  /** promtool's exit status: 0 when it found nothing; 3 for lint problems, 1 for a parse error. */
  readonly code: number | null;
  /** Every line it printed (stdout and stderr): each names one problem. Empty when clean. */
  readonly problems: readonly string[];
}

/** Runs `promtool check metrics` with `text` on its standard input. */
export function promtoolCheck(text: string): Promise<PromtoolVerdict> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        problems: out
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      }),
    );
    child.stdin.end(text);
  });
}

export interface Scrape {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** GET `url` on a fresh connection (no pooled socket outlives the test). */
export function scrape(url: string, method = 'GET'): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** The value of the series written exactly as `series` (name{labels}), or undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
