import type { BeginResult, Counts, Ledger, Outcome, Reserved } from "./ledger.js"

/** What the ledger needs of a `pg.Pool` (or a client). */
export interface PgQueryable {
  readonly query: (text: string, values?: ReadonlyArray<unknown>) => Promise<{ rows: Array<Record<string, unknown>> }>
}

/**
 * The ledger in PostgreSQL: one row per message (`oneroute_ledger`), one row of counters per
 * queue and campaign (`oneroute_ledger_counts`). Each transition is one statement, a call of a
 * function below that locks the message's row, changes it and the counters in the same
 * transaction: the same states and answers as the Redis scripts (ledger.ts). Retention: a
 * campaign whose counters did not change for `retention` is deleted by the next `ready()`.
 */
export const POSTGRES_LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS oneroute_ledger (
  queue text NOT NULL,
  campaign text NOT NULL,
  key text NOT NULL,
  state char(1) NOT NULL,
  generation integer NOT NULL DEFAULT 0,
  token text,
  parked jsonb,
  PRIMARY KEY (queue, campaign, key)
);
CREATE INDEX IF NOT EXISTS oneroute_ledger_parked ON oneroute_ledger (queue, campaign) WHERE state = 'u';
CREATE TABLE IF NOT EXISTS oneroute_ledger_counts (
  queue text NOT NULL,
  campaign text NOT NULL,
  total bigint NOT NULL DEFAULT 0,
  sent bigint NOT NULL DEFAULT 0,
  not_sent bigint NOT NULL DEFAULT 0,
  unknown bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (queue, campaign)
);

CREATE OR REPLACE FUNCTION oneroute_ledger_count(q text, c text, d_sent int, d_not_sent int, d_unknown int) RETURNS void
LANGUAGE sql AS $$
  UPDATE oneroute_ledger_counts
     SET sent = sent + d_sent, not_sent = not_sent + d_not_sent, unknown = unknown + d_unknown, updated_at = now()
   WHERE queue = q AND campaign = c
$$;

CREATE OR REPLACE FUNCTION oneroute_ledger_reserve(q text, c text, keys text[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
  found_states text[] := '{}';
  k text;
  current record;
  added integer := 0;
BEGIN
  INSERT INTO oneroute_ledger_counts (queue, campaign) VALUES (q, c) ON CONFLICT DO NOTHING;
  FOREACH k IN ARRAY keys LOOP
    INSERT INTO oneroute_ledger (queue, campaign, key, state) VALUES (q, c, k, 'r') ON CONFLICT DO NOTHING;
    IF FOUND THEN
      added := added + 1;
      found_states := found_states || 'new'::text;
    ELSE
      SELECT state, generation INTO current FROM oneroute_ledger WHERE queue = q AND campaign = c AND key = k;
      found_states := found_states || (CASE WHEN current.state = 'r' THEN 'r|' || current.generation ELSE 'known' END);
    END IF;
  END LOOP;
  UPDATE oneroute_ledger_counts SET total = total + added, updated_at = now() WHERE queue = q AND campaign = c;
  RETURN found_states;
END $$;

CREATE OR REPLACE FUNCTION oneroute_ledger_begin(q text, c text, k text, g integer, tok text, record jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE current record;
BEGIN
  SELECT state, generation, token INTO current FROM oneroute_ledger WHERE queue = q AND campaign = c AND key = k FOR UPDATE;
  IF NOT FOUND THEN RETURN 'missing'; END IF;
  IF current.state NOT IN ('r', 'i') THEN RETURN 'done'; END IF;
  IF current.generation <> g THEN RETURN 'stale'; END IF;
  IF current.state = 'r' THEN
    UPDATE oneroute_ledger SET state = 'i', token = tok WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 0, 0, 0);
    RETURN 'go';
  END IF;
  IF current.token = tok THEN RETURN 'go'; END IF;
  UPDATE oneroute_ledger SET state = 'u', parked = record WHERE queue = q AND campaign = c AND key = k;
  PERFORM oneroute_ledger_count(q, c, 0, 0, 1);
  RETURN 'parked';
END $$;

CREATE OR REPLACE FUNCTION oneroute_ledger_finish(q text, c text, k text, tok text, outcome text, record jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE current record;
BEGIN
  SELECT state, token INTO current FROM oneroute_ledger WHERE queue = q AND campaign = c AND key = k FOR UPDATE;
  IF NOT FOUND OR current.token IS DISTINCT FROM tok THEN RETURN 'lost'; END IF;
  IF current.state = 'u' THEN
    IF outcome <> 'sent' THEN RETURN 'parked'; END IF;
    UPDATE oneroute_ledger SET state = 's', token = NULL, parked = NULL WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 1, 0, -1);
    RETURN 'ok';
  END IF;
  IF current.state <> 'i' THEN RETURN 'lost'; END IF;
  IF outcome = 'sent' THEN
    UPDATE oneroute_ledger SET state = 's', token = NULL WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 1, 0, 0);
  ELSIF outcome = 'not-sent' THEN
    UPDATE oneroute_ledger SET state = 'n', token = NULL WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 0, 1, 0);
  ELSIF outcome = 'release' THEN
    UPDATE oneroute_ledger SET state = 'r', token = NULL WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 0, 0, 0);
  ELSE
    UPDATE oneroute_ledger SET state = 'u', parked = record WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 0, 0, 1);
  END IF;
  RETURN 'ok';
END $$;

CREATE OR REPLACE FUNCTION oneroute_ledger_resolve(q text, c text, k text, decision text) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE current record;
BEGIN
  SELECT state, generation, parked INTO current FROM oneroute_ledger WHERE queue = q AND campaign = c AND key = k FOR UPDATE;
  IF NOT FOUND OR current.state <> 'u' THEN RETURN ARRAY['not-parked']; END IF;
  IF decision = 'sent' THEN
    UPDATE oneroute_ledger SET state = 's', token = NULL, parked = NULL WHERE queue = q AND campaign = c AND key = k;
    PERFORM oneroute_ledger_count(q, c, 1, 0, -1);
    RETURN ARRAY['sent'];
  END IF;
  UPDATE oneroute_ledger SET state = 'r', token = NULL, parked = NULL, generation = current.generation + 1
   WHERE queue = q AND campaign = c AND key = k;
  PERFORM oneroute_ledger_count(q, c, 0, 0, -1);
  RETURN ARRAY['resend', (current.generation + 1)::text, COALESCE(current.parked::text, '')];
END $$;
`

/** An arbitrary constant: the advisory lock that lets one process at a time create the ledger. */
const MIGRATION_LOCK = 0x6f6e6572

/** Creates the tables and functions (once per database, in one transaction) and deletes expired campaigns. */
export const migrate = async (pool: PgQueryable, retention: number): Promise<void> => {
  // A DO block runs in its own transaction: the lock and the schema go together in one call.
  await pool.query(
    `DO $migrate$ BEGIN PERFORM pg_advisory_xact_lock(${MIGRATION_LOCK}); EXECUTE ${dollarQuote(POSTGRES_LEDGER_SCHEMA)}; END $migrate$`
  )
  await pool.query(
    `WITH expired AS (
       DELETE FROM oneroute_ledger_counts WHERE updated_at < now() - ($1::bigint * interval '1 millisecond') RETURNING queue, campaign
     )
     DELETE FROM oneroute_ledger l USING expired e WHERE l.queue = e.queue AND l.campaign = e.campaign`,
    [retention]
  )
}

const dollarQuote = (sql: string) => `$schema$${sql}$schema$`

export const makePostgresLedger = (pool: PgQueryable, queueName: string): Ledger => {
  const call = async <A>(sql: string, values: ReadonlyArray<unknown>): Promise<A> => {
    const { rows } = await pool.query(sql, [queueName, ...values])
    return rows[0]?.result as A
  }
  return {
    reserve: async (campaignId, keys) => {
      if (keys.length === 0) return []
      const found = await call<ReadonlyArray<string>>("SELECT oneroute_ledger_reserve($1, $2, $3) AS result", [
        campaignId,
        keys
      ])
      return found.map(
        (state): Reserved =>
          state === "new" || state === "known" ? { state } : { state: "waiting", generation: Number(state.slice(2)) }
      )
    },
    begin: (campaignId, key, generation, token, parked) =>
      call<BeginResult>("SELECT oneroute_ledger_begin($1, $2, $3, $4, $5, $6) AS result", [
        campaignId,
        key,
        generation,
        token,
        JSON.stringify(parked)
      ]),
    finish: (campaignId, key, token, outcome: Outcome, parked) =>
      call<"ok" | "parked" | "lost">("SELECT oneroute_ledger_finish($1, $2, $3, $4, $5, $6) AS result", [
        campaignId,
        key,
        token,
        outcome,
        parked === undefined ? null : JSON.stringify(parked)
      ]),
    resolve: async (campaignId, key, decision) => {
      const [state, generation, record] = await call<[string, string?, string?]>(
        "SELECT oneroute_ledger_resolve($1, $2, $3, $4) AS result",
        [campaignId, key, decision]
      )
      return state === "resend"
        ? { state, generation: Number(generation), record: record ?? "" }
        : { state: state as "not-parked" | "sent" }
    },
    counts: async (campaignId): Promise<Counts> => {
      const { rows } = await pool.query(
        "SELECT total, sent, not_sent, unknown FROM oneroute_ledger_counts WHERE queue = $1 AND campaign = $2",
        [queueName, campaignId]
      )
      const row = rows[0] ?? {}
      return {
        total: Number(row.total ?? 0),
        sent: Number(row.sent ?? 0),
        notSent: Number(row.not_sent ?? 0),
        unknown: Number(row.unknown ?? 0)
      }
    },
    parked: async (campaignId, limit) => {
      const { rows } = await pool.query(
        "SELECT key, parked::text AS record FROM oneroute_ledger WHERE queue = $1 AND campaign = $2 AND state = 'u' LIMIT $3",
        [queueName, campaignId, limit]
      )
      return rows.map((row) => [String(row.key), String(row.record ?? "")] as [string, string])
    }
  }
}
