const mb = (n: number) => Math.round(n / 2 ** 20);
const s = (t: string) => { const m = process.memoryUsage(); console.log(t, 'rss', mb(m.rss), 'heap', mb(m.heapUsed), 'ext', mb(m.external)); };
s('start');
for (const m of process.argv.slice(2)) { await import(m); s(m); }
