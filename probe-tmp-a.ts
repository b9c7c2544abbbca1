import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
function time(label: string, f: () => unknown) { const t = Date.now(); try { const r = f(); console.log(label, Date.now() - t, 'ms', typeof r === 'string' ? r.slice(0, 80) : r); } catch (e) { console.log(label, 'ERR', Date.now() - t, (e as Error).message.slice(0, 100)); } }
const para = '<p>' + 'The council voted on the new budget proposal today after a long debate. '.repeat(8) + '</p>';
const html = `<html><head><title>T | Site</title><meta property="og:site_name" content="Site"></head><body><nav><a href="/">Home</a></nav><article><h1>Hello</h1>${para}${para}${para}</article><script>var x=1</script></body></html>`;
time('basic', () => { const { document } = parseHTML(html); const r = new Readability(document as any).parse(); return JSON.stringify({ ...r, content: r?.content?.slice(0, 200) }); });
for (const n of [1000, 5000, 20000, 100000]) {
  const deep = '<html><body>' + '<div>'.repeat(n) + para + '</div>'.repeat(n) + '</body></html>';
  time('parse deep div ' + n, () => { const { document } = parseHTML(deep); return 'ok'; });
  time('read deep div ' + n, () => { const { document } = parseHTML(deep); return new Readability(document as any).parse()?.textContent?.length; });
  const spans = '<html><body><p>' + '<span>'.repeat(n) + 'x '.repeat(100) + '</span>'.repeat(n) + '</p></body></html>';
  time('read deep span ' + n, () => { const { document } = parseHTML(spans); return new Readability(document as any).parse()?.textContent?.length; });
}
const wide = '<html><body>' + para.repeat(20000) + '</body></html>';
console.log('wide len', wide.length);
time('read wide', () => { const { document } = parseHTML(wide); return new Readability(document as any).parse()?.textContent?.length; });
const unclosed = '<html><body>' + '<div><p>hello '.repeat(50000) + '</body></html>';
time('parse unclosed', () => { const { document } = parseHTML(unclosed); return 'ok'; });
