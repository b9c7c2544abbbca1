import { UserError } from '../errors.ts';

/**
 * Query parameters that only say how a reader arrived, never which page they got. Compared in lower
 * case; `utm_*` and friends are matched by prefix below.
 */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'li_fat_id',
  'mkt_tok',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'ref',
  'ref_src',
  'ref_url',
  'referrer',
  'cmpid',
  'cmp',
  'ocid',
  'smid',
  'smtyp',
  'ncid',
  'cid_source',
  's_cid',
  'sr_share',
  'share',
  'spm',
  'soc_src',
  'soc_trk',
  'wt.mc_id',
  'wt_mc',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
  'taid',
  'mbid',
  'ito',
  'rss',
  'amp',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'itm_', '__twitter'];

function isTrackingParam(key: string, value: string): boolean {
  const k = key.toLowerCase();
  if (TRACKING_PARAMS.has(k) || TRACKING_PREFIXES.some((p) => k.startsWith(p))) return true;
  // outputType=amp (and output=amp) select the AMP rendering of the same article.
  return (k === 'outputtype' || k === 'output') && value.toLowerCase() === 'amp';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function stripAmpPath(path: string): string {
  let p = path
    .replace(/\.amp\.html?$/i, '.html')
    .replace(/\/amp(?=\/)/gi, '')
    .replace(/\/amp\/?$/i, '')
    .replace(/\.amp$/i, '');
  if (p === '') p = '/';
  return p;
}

/**
 * One spelling per page, so the same article reached by a tracked link, its AMP twin or a `www.`
 * variant is recognised as already known. Lowercases scheme and host, drops default ports, fragments,
 * tracking parameters, `www.`/`amp.` prefixes and a trailing slash; sorts the remaining parameters.
 * Non-HTTP URLs come back as the URL parser spells them. Throws `UserError('bad-input')` for text
 * that is not an absolute URL.
 */
export function canonicalizeUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch (err) {
    throw new UserError('bad-input', `"${url.slice(0, 200)}" is not a valid absolute URL.`, { cause: err });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;

  // The URL parser already lowercases scheme and host and drops default ports.
  let host = u.hostname.replace(/\.$/, '');
  host = host.replace(/^(?:www\d{0,3}|amp)\.(?=[^.]+\.[^.]+)/, '');
  const port = u.port ? `:${u.port}` : '';

  let path = stripAmpPath(u.pathname);
  if (path.length > 1) path = path.replace(/\/+$/, '') || '/';

  // Raw pairs are kept as written: re-encoding through URLSearchParams would turn `,` into `%2C` and
  // make two spellings of one URL again.
  const pairs = u.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '')
    .map((raw) => {
      const eq = raw.indexOf('=');
      const key = eq === -1 ? raw : raw.slice(0, eq);
      const value = eq === -1 ? '' : raw.slice(eq + 1);
      return { raw, key: safeDecode(key), value: safeDecode(value) };
    })
    .filter((p) => !isTrackingParam(p.key, p.value))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
  const query = pairs.length ? `?${pairs.map((p) => p.raw).join('&')}` : '';

  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  return `${u.protocol}//${auth}${host}${port}${path}${query}`;
}
