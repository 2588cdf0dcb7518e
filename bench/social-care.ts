import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { createRuntime } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { socialCareEpisodes, users } from '../src/db/schema/index.ts';
import { seedDemoData } from '../src/seed/seed.ts';
import { createThrowAwayDatabase } from '../test/support/databases.ts';
import { round, say } from './support.ts';

/**
 * Children's social care at scale: a council with 20,000 social care episodes on PostgreSQL (each
 * with steps: decisions, plans with review clocks, section 47 enquiries), timing the intake team's
 * worklist and an episode page's data, through the same use cases the pages call.
 */

export interface SocialCareBenchResult {
  episodes: number;
  steps: number;
  runs: number;
  worklistP50Ms: number;
  worklistP99Ms: number;
  episodeP50Ms: number;
  episodeP99Ms: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function measureSocialCare(episodeCount = 20_000, runs = 60): Promise<SocialCareBenchResult> {
  const throwAway = await createThrowAwayDatabase('postgres');
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-csc-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '3997', CAIRN_LOG_LEVEL: 'silent', CAIRN_DATA_DIR: dataDir, ...(throwAway.url ? { DATABASE_URL: throwAway.url } : {}) });
  const runtime = await createRuntime(config, { database: throwAway.database });
  try {
    await seedDemoData(runtime.database, { embeddedIssuer: `${config.baseUrl}/idp`, childCount: 300, today: '2026-11-22' });
    const db = runtime.database.db;
    say(`postgres: adding ${episodeCount.toLocaleString('en-GB')} social care episodes with their steps`);
    await db.execute(sql`
      insert into children (la_child_id, first_name, last_name, date_of_birth, sex, address_line_1, town, postcode, postcode_key)
      select 'NC' || lpad(g::text, 7, '0'), 'Bench' || g, 'Family' || (g % 997), date '2010-01-01' + (g % 5000)::int, 'U', g || ' Long Road', 'Brackenthwaite', 'NZ1 1AA', 'NZ11AA'
      from generate_series(1, ${episodeCount}) g`);
    await db.execute(sql`
      insert into social_care_episodes (child_id, status, referral_date, referral_source, referrer_name, concerns, prior_concern_documented, decision_due_on, closed_on, closure_notice_due_on)
      select c.id,
        (array['initial-enquiries','closed','closed','closed','assessment','cin-plan','cp-plan','s47-enquiry'])[1 + (n % 8)::int],
        date '2025-06-01' + (n % 500)::int, 'school', 'Bench referrer', 'Bench concerns', false, date '2025-06-02' + (n % 500)::int,
        case when n % 8 in (1, 2, 3) then date '2025-07-01' + (n % 480)::int end,
        case when n % 8 in (1, 2, 3) then date '2025-07-29' + (n % 480)::int end
      from (select id, row_number() over (order by la_child_id) as n from children where la_child_id like 'NC%') c`);
    await db.execute(sql`
      insert into social_care_steps (episode_id, child_id, kind, status, started_on, due_on, details)
      select e.id, e.child_id, k.kind, case when k.kind = 'decision' then 'done' else 'open' end, e.referral_date, e.referral_date + 90, '{}'::jsonb
      from social_care_episodes e
      cross join lateral (values ('decision'), (case e.status when 'cp-plan' then 'cp-plan' when 'cin-plan' then 'cin-plan' when 's47-enquiry' then 's47-enquiry' else 'family-contact' end)) as k(kind)`);
    const [{ steps }] = (await db.select({ steps: sql<number>`count(*)::int` }).from(sql`social_care_steps`)) as [{ steps: number }];
    const [worker] = await db.select().from(users).where(eq(users.subject, 'demo-mash-worker'));
    const ctx = () => ({ actor: { kind: 'user' as const, id: worker!.id, label: worker!.displayName, role: 'mash_worker' as const, schoolId: null }, correlationId: 'bench', now: new Date('2026-11-22T09:00:00Z') });
    const sample = await db.select({ id: socialCareEpisodes.id }).from(socialCareEpisodes).limit(runs);
    for (let i = 0; i < 5; i += 1) {
      await runtime.services.listMashWork(ctx());
      await runtime.services.viewSocialCareEpisode(ctx(), sample[i]!.id);
    }
    const worklist: number[] = [];
    const episode: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      let started = performance.now();
      await runtime.services.listMashWork(ctx());
      worklist.push(performance.now() - started);
      started = performance.now();
      await runtime.services.viewSocialCareEpisode(ctx(), sample[i % sample.length]!.id);
      episode.push(performance.now() - started);
    }
    worklist.sort((a, b) => a - b);
    episode.sort((a, b) => a - b);
    return {
      episodes: episodeCount,
      steps: Number(steps),
      runs,
      worklistP50Ms: round(percentile(worklist, 50), 1),
      worklistP99Ms: round(percentile(worklist, 99), 1),
      episodeP50Ms: round(percentile(episode, 50), 1),
      episodeP99Ms: round(percentile(episode, 99), 1),
    };
  } finally {
    await runtime.queue.stop().catch(() => {});
    await throwAway.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function socialCareTable(result: SocialCareBenchResult | null): string {
  if (!result) return 'Social care worklist and episode page: failed.\n';
  return `${[
    `Children’s social care on PostgreSQL, ${result.episodes.toLocaleString('en-GB')} episodes with ${result.steps.toLocaleString('en-GB')} steps (${result.runs} runs, through the use cases the pages call):`,
    '',
    '| Figure | p50 (ms) | p99 (ms) |',
    '|---|---:|---:|',
    `| MASH worklist | ${result.worklistP50Ms} | ${result.worklistP99Ms} |`,
    `| Episode page data | ${result.episodeP50Ms} | ${result.episodeP99Ms} |`,
  ].join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(socialCareTable(await measureSocialCare()));
}
