/**
 * The production bot (`startBot`) against the fake Discord, with loopback feeds written for topic
 * watches and digests: an original story, exact copies carried by other outlets, an unrelated story,
 * a burst of distinct stories on one topic (for the hourly cap), and a feed that can be made to fail.
 * Dates are today's, so the stories are news. The digest scheduler runs on a fake clock.
 */
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { openApp } from '../../src/app.ts';
import { commands, components } from '../../commands/index.ts';
import type { Clock } from '../../src/digest/digest-scheduler.ts';
import { startFakeDiscord, type FakeDiscord, type FakeUserSpec } from '../fakes/fake-discord.ts';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { botRoleId } from '../fakes/fake-discord-payloads.ts';
import { tempDir } from '../helpers/test-core.ts';

export const TOKEN = 'fake-bot-token.NTAwMDAwMDAw.watch-secret';
export const APP_ID = '1000';
export const GUILD_A = '2001';
export const GUILD_B = '2002';
export const GUILD_C = '2003';
export const NEWS_A = '3001';
export const ALERTS_A = '3003';
export const LOCKED_A = '3004';
export const NEWS_B = '3002';
export const ALERTS_C = '3005';
export const ALICE: FakeUserSpec = { id: '4001', username: 'alice' };
export const BOB: FakeUserSpec = { id: '4002', username: 'bob' };
export const CAROL: FakeUserSpec = { id: '4003', username: 'carol' };
export const ADMIN = ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 31n)).toString();
export const STRING = 3;
export const INTEGER = 4;
export const CHANNEL = 7;
/** Alerts per channel per hour in these tests. */
export const CAP = 2;

/** A clock the test moves by hand; timers fire when it passes their time. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(start = Date.now()): ManualClock {
  let t = start;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = next++;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout(h) {
      timers = timers.filter((x) => x.id !== h);
    },
    advance(ms) {
      t += ms;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      for (const x of due) x.fn();
    },
  };
}

export interface NewsHarness {
  fake: FakeDiscord;
  feeds: FixtureServer;
  bot: RunningBot;
  config: Config;
  clock: ManualClock;
  logs: string[];
  /** Makes /flaky.xml answer 503 (true) or the feed (false). */
  setFlaky(failing: boolean): void;
  close(): Promise<void>;
}

const today = () => new Date().toISOString().slice(0, 10);

function paragraphs(lines: string[]): string {
  return lines.map((p) => `<p>${p}</p>`).join('');
}

/** The harbour story: ≥ 150 words of full text, so no page is fetched and copies are recognised. */
export const HARBOUR_TEXT = paragraphs([
  'The Varnholm harbour authority voted on Monday to double the ferry tolls for freight lorries, its chair Ingrid Solberg told reporters after a long session.',
  'Solberg said the Varnholm ferry toll increase would pay for dredging the northern basin, which silted up badly after the autumn storms.',
  'Hauliers in Varnholm protested against the toll decision and said they would appeal to the regional transport board within a month.',
  'Fishing cooperatives were exempted from the increase, the authority said, because their boats use the southern quay, which needs no dredging this year.',
  'Local shopkeepers said they feared higher prices for goods that arrive by lorry on the morning ferry from the mainland, especially fresh produce.',
  'The regional transport board has not yet said when it would hear the appeal, but a spokesman confirmed that the hauliers’ letter had arrived on Tuesday.',
  'Ferry operators expect fewer lorries on the early crossings once the new tolls apply, and some hauliers said they would route freight through the southern port instead.',
]);

export const LIBRARY_TEXT = paragraphs([
  'The Oskarsund public library will stay open until nine in the evening on weekdays from January, the city’s culture department announced on Wednesday.',
  'Head librarian Maja Lund said the longer opening hours respond to a survey in which students asked for a quiet place to study after school and work.',
  'The extension is paid for by a grant from the regional education fund and will be reviewed after one year, the department said in its statement.',
  'Weekend hours remain unchanged, and the children’s reading room will host storytelling sessions on Saturday mornings as before, Lund added.',
  'Staff unions welcomed the plan but asked for two more librarians to be hired so that evening shifts do not fall on the existing team alone.',
  'Parents’ groups also welcomed the change and said the library had become the only warm and quiet place in the old town where teenagers can meet in the evening.',
  'The library’s study hall, which seats sixty, was full on most afternoons this autumn, and the department expects it to stay busy until the examinations in June.',
]);

export const LIBRARIANS_TEXT = paragraphs([
  'The Oskarsund library has hired two evening librarians so that the longer opening hours announced last week do not fall on the existing staff, the culture department said.',
  'The new librarians, Pia Ek and Jonas Frid, start in January and will run the study hall and the late reference desk on weekdays.',
  'Unions had asked for the hires; their spokesperson called the decision a fair answer to the concerns raised by the staff in December.',
  'The department said the two posts are funded for one year by the regional education grant and will be reviewed together with the opening hours.',
  'Students who asked for the longer hours in the survey will be invited to an open evening at the library on the first Thursday of January.',
  'The culture department will publish the evening rota on the library’s notice board and website before the new hours begin in the first week of January.',
  'Both librarians previously worked at the university library in Lundhaven, where they ran the late reading room for several years before moving to Oskarsund.',
]);

/** A follow-up of the harbour story: a distinct article (not a copy), published later. */
export const APPEAL_TEXT = paragraphs([
  'Hauliers in Varnholm filed their appeal against the doubled ferry tolls with the regional transport board on Thursday, their association said in a statement.',
  'The association argues that the harbour authority did not consult freight companies before the vote and that the toll rise breaks the ferry concession terms.',
  'Its lawyer, Anders Rask, said the board should suspend the new tolls until the appeal is decided, because lorry drivers already pay twice since Monday.',
  'The harbour authority said it would defend the decision and that the dredging of the northern basin cannot wait for another season of storms.',
  'The transport board confirmed it had received the appeal and said a hearing would be scheduled within six weeks, as the regional rules require.',
  'Several shop owners on the quay signed a letter supporting the hauliers, saying that the cost of the tolls would end up in the price of their goods.',
]);

export const TIMETABLE_TEXT = paragraphs([
  'The Oskarsund ferry company will run its last evening crossing an hour earlier from April, it said on Thursday, citing a shortage of deck crew over the spring.',
  'Commuters who work late shifts at the hospital on the mainland said the earlier ferry timetable would leave them without a way home on weekdays.',
  'The company promised to restore the later crossing once two new crews finish their training in the autumn, but gave no firm date for the change.',
  'The municipal council asked the company to run a replacement bus over the bridge during the weeks of the reduced timetable, and a decision is expected soon.',
  'Freight traffic is not affected, the company said, because lorries use the night crossing, which keeps its current schedule throughout the year.',
  'Passenger groups said they would collect signatures against the change and present them to the company’s board at its next meeting in the harbour office.',
]);

/** Five distinct stories on one topic (different texts: none is a copy of another). */
function bridgeStory(n: number): { title: string; text: string } {
  const subjects = ['steel cables', 'night closures', 'toll plaza', 'cycle lane', 'paint colour'];
  const people = ['Erik Holm', 'Sara Berg', 'Nils Dahl', 'Lena Voss', 'Tor Sand'];
  const s = subjects[n]!;
  const p = people[n]!;
  return {
    title: `Kestrel bridge repairs: council settles the ${s}`,
    text: paragraphs([
      `Engineers working on the Kestrel bridge repairs presented their plan for the ${s} to the council on day ${n + 1} of the hearings, said ${p}.`,
      `${p} told the committee that the ${s} question had delayed the Kestrel bridge works by ${n + 2} weeks and cost the city about ${(n + 1) * 40} thousand crowns.`,
      `Residents near the ${s} site asked for more notice before works start, and ${p} promised letters to every household within ${n + 3} days.`,
      `The council will vote on the ${s} contract next month; opposition members want an independent review of the ${s} costs first, ${p} said.`,
      `Work on item ${n + 1} of the Kestrel programme is expected to finish before the summer if the weather holds and the ${s} suppliers deliver on time.`,
      `Traffic on the Kestrel bridge will run in one lane while the ${s} works go on, and ${p} asked drivers to allow ${n + 10} extra minutes at rush hour.`,
    ]),
  };
}

function item(base: string, path: string, title: string, text: string, day = today()): string {
  return `<item><title>${title}</title><link>${base}${path}</link><guid>${base}${path}</guid>
  <pubDate>${new Date(`${day}T08:00:00Z`).toUTCString()}</pubDate><description>${title}</description>
  <content:encoded><![CDATA[${text}]]></content:encoded></item>`;
}

function rss(title: string, items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${title}</title>
<link>https://example.org/</link><description>${title}</description>
${items.join('\n')}
</channel></rss>`;
}

export async function startNewsHarness(): Promise<NewsHarness> {
  const fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: APP_ID,
    botUserId: APP_ID,
    guilds: [
      {
        id: GUILD_A,
        name: 'Guild A',
        channels: [
          { id: NEWS_A, name: 'news' },
          { id: ALERTS_A, name: 'alerts' },
          { id: LOCKED_A, name: 'announcements', permissionOverwrites: [{ id: botRoleId(GUILD_A), type: 0, allow: '0', deny: String(1n << 11n) }] },
        ],
        members: [ALICE],
      },
      { id: GUILD_B, name: 'Guild B', channels: [{ id: NEWS_B, name: 'news' }], members: [BOB] },
      { id: GUILD_C, name: 'Guild C', channels: [{ id: ALERTS_C, name: 'bridge-alerts' }], members: [CAROL] },
    ],
  });
  let flaky = false;
  const feeds = await startFixtureServer({
    '/gazette.xml': (_q, res) =>
      sendText(
        res,
        200,
        rss('Varnholm Gazette', [
          item(feeds.url, '/gazette/tolls', 'Varnholm harbour authority doubles ferry tolls', HARBOUR_TEXT),
          item(feeds.url, '/gazette/library', 'Oskarsund library extends opening hours', LIBRARY_TEXT),
        ]),
        'application/rss+xml',
      ),
    '/wire.xml': (_q, res) =>
      sendText(
        res,
        200,
        rss('Nordic Wire', [item(feeds.url, '/wire/varnholm-tolls', 'Varnholm doubles ferry tolls for lorries', HARBOUR_TEXT)]),
        'application/rss+xml',
      ),
    '/herald.xml': (_q, res) =>
      sendText(res, 200, rss('Coast Herald', [item(feeds.url, '/herald/ferry', 'Ferry tolls doubled in Varnholm', HARBOUR_TEXT)]), 'application/rss+xml'),
    '/post.xml': (_q, res) =>
      sendText(
        res,
        200,
        rss('Varnholm Post', [
          item(feeds.url, '/post/tolls', 'Varnholm tolls: lorries pay double', HARBOUR_TEXT),
          item(feeds.url, '/post/librarians', 'Oskarsund library opening hours: evening librarians hired', LIBRARIANS_TEXT),
        ]),
        'application/rss+xml',
      ),
    '/appeal.xml': (_q, res) =>
      sendText(
        res,
        200,
        rss('Harbour Courier', [item(feeds.url, '/courier/appeal', 'Varnholm hauliers file appeal against ferry toll rise', APPEAL_TEXT)]),
        'application/rss+xml',
      ),
    '/bridge.xml': (_q, res) =>
      sendText(
        res,
        200,
        rss(
          'Kestrel Courier',
          [0, 1, 2, 3, 4].map((n) => item(feeds.url, `/bridge/${n}`, bridgeStory(n).title, bridgeStory(n).text)),
        ),
        'application/rss+xml',
      ),
    '/flaky.xml': (_q, res) =>
      flaky
        ? sendText(res, 503, 'down', 'text/plain')
        : sendText(
            res,
            200,
            rss('Flaky Times', [item(feeds.url, '/flaky/timetable', 'Oskarsund ferry timetable changes', TIMETABLE_TEXT, '2020-03-12')]),
            'application/rss+xml',
          ),
  });
  const config = loadConfig({
    NEWSDESK_DATA_DIR: tempDir('newsdesk-watches-'),
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: fake.restUrl,
    NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    NEWSDESK_RESPECT_ROBOTS: 'false',
    NEWSDESK_USER_RATE_PER_MIN: '100',
    NEWSDESK_GUILD_RATE_PER_MIN: '200',
    NEWSDESK_ALERTS_PER_CHANNEL_HOUR: String(CAP),
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [TOKEN], write: (line) => logs.push(line) });
  const clock = manualClock();
  const bot = await startBot(config, logger, {
    core: () => openApp(config, { logger: logger.child({ module: 'app' }) }),
    commands,
    components,
    shutdownGraceMs: 300,
    digests: { clock, tickMs: 30_000, jitterMs: 0 },
  });
  return {
    fake,
    feeds,
    bot,
    config,
    clock,
    logs,
    setFlaky: (f) => (flaky = f),
    async close() {
      await bot.stop();
      await feeds.close();
      await fake.close();
    },
  };
}
