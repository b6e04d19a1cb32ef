import java.sql.*;
import java.util.*;
/**
 * The storage ceiling of the worker protocol over raw JDBC on one connection, no HTTP, no Spring:
 * the service's claim transaction (BEGIN IMMEDIATE, the claim UPDATE ... RETURNING, a run, an
 * event, COMMIT) and its complete transaction (the release UPDATE ... RETURNING, the run update,
 * an event, the promotion of children, COMMIT), with statements prepared per statement (as
 * sqlite-jdbc alone does) and cached per connection (as the service's statement cache does).
 * Then claim + complete pairs as the service's group commit runs them: {@code -Dgroup=3} steps per
 * transaction, each in a savepoint (the board made all-ready again first).
 * Claims tasks of board 'bench' (run it on an all-ready board, as bench/run.sh does); 2 s per line.
 * usage: java [-Dgroup=3] -cp sqlite-jdbc.jar bench/ClaimCeiling.java DB
 */
public class ClaimCeiling {
  static final String COLUMNS = "id, board, title, body, assignee, status, priority, created_by, created_at, updated_at, started_at, completed_at, claimed_by, claim_expires, last_heartbeat_at, current_run_id, consecutive_failures, last_failure_error, result, idempotency_key, block_kind, block_reason, blocked_at";
  static final String CLAIM = "UPDATE tasks SET status='running', claim_lock=?, claimed_by=?, claim_expires=?, last_heartbeat_at=?, started_at=COALESCE(started_at,?), current_run_id=?, updated_at=?, assignee=COALESCE(assignee,?) WHERE id=(SELECT id FROM tasks WHERE board=? AND status='ready' AND (? IS NULL OR assignee IS NULL OR assignee=?) AND (SELECT archived FROM boards WHERE slug=?)=0 ORDER BY priority DESC, created_at, id LIMIT 1) AND status='ready' RETURNING " + COLUMNS;
  static final String RUN = "INSERT INTO task_runs(id, task_id, worker, status, started_at) VALUES (?, ?, ?, 'running', ?)";
  static final String EVENT = "INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
  static final String RELEASE = "UPDATE tasks SET status = ?, claim_lock = NULL, claimed_by = NULL, claim_expires = NULL, current_run_id = NULL, updated_at = ?, result = ?, consecutive_failures = 0, last_failure_error = NULL, completed_at = CASE WHEN ? = 'done' THEN ? ELSE completed_at END WHERE id = ? AND status = 'running' AND claim_lock = ? RETURNING " + COLUMNS;
  static final String RUN_DONE = "UPDATE task_runs SET status = ?, outcome = ?, summary = ?, error = ?, ended_at = ? WHERE task_id = ? AND status = 'running' RETURNING id";
  static final String PROMOTE = "UPDATE tasks AS t SET status = 'ready', updated_at = ? WHERE t.status = 'todo' AND t.id IN (SELECT child_id FROM task_links WHERE parent_id = ?) AND EXISTS (SELECT 1 FROM task_links l WHERE l.child_id = t.id) AND NOT EXISTS (SELECT 1 FROM task_links l JOIN tasks p ON p.id = l.parent_id WHERE l.child_id = t.id AND p.status <> 'done') RETURNING id, board";

  static long seq = System.nanoTime();

  public static void main(String[] a) throws Exception {
    Properties p = new Properties(); p.setProperty("journal_mode","WAL"); p.setProperty("busy_timeout","5000"); p.setProperty("synchronous","NORMAL"); p.setProperty("foreign_keys","true"); p.setProperty("transaction_mode","IMMEDIATE");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a[0], p)) {
      for (boolean pairs : new boolean[]{false, true}) {
        for (boolean cache : new boolean[]{false, true, false, true}) {
          Map<String, PreparedStatement> ps = new HashMap<>();
          long n = 0, t0 = System.nanoTime(), end = t0 + 2_000_000_000L;
          while (System.nanoTime() < end) {
            String[] claimed = claim(c, ps, cache);
            if (claimed == null) { System.out.println("no ready tasks"); return; }
            if (pairs) complete(c, ps, cache, claimed[0], claimed[1]);
            n++;
          }
          for (PreparedStatement s : ps.values()) s.close();
          System.out.printf("%s, statements %s: %.0f/s%n", pairs ? "claim + complete pairs" : "claim transactions",
              cache ? "cached" : "prepared each time", n / ((System.nanoTime() - t0) / 1e9));
        }
      }
      // as the service's group commit does: GROUP steps per transaction, each in a savepoint
      for (int round = 0; round < 2; round++) {
        try (Statement st = c.createStatement()) { // the board ready again, as bench/run.sh leaves it
          st.executeUpdate("UPDATE tasks SET status = 'ready', claim_lock = NULL, claimed_by = NULL, claim_expires = NULL,"
              + " current_run_id = NULL, completed_at = NULL WHERE board = 'bench' AND status <> 'ready'");
        }
        Map<String, PreparedStatement> ps = new HashMap<>();
        long n = 0, t0 = System.nanoTime(), end = t0 + 2_000_000_000L;
        while (System.nanoTime() < end) {
          List<String[]> claimed = new ArrayList<>();
          c.setAutoCommit(false);
          for (int i = 0; i < GROUP; i++) {
            Savepoint sp = c.setSavepoint();
            String[] one = claim(c, ps, true, false);
            c.releaseSavepoint(sp);
            if (one == null) { System.out.println("no ready tasks"); return; }
            claimed.add(one);
          }
          c.setAutoCommit(true);
          c.setAutoCommit(false);
          for (String[] one : claimed) {
            Savepoint sp = c.setSavepoint();
            complete(c, ps, true, one[0], one[1], false);
            c.releaseSavepoint(sp);
          }
          c.setAutoCommit(true);
          n += GROUP;
        }
        for (PreparedStatement s : ps.values()) s.close();
        System.out.printf("claim + complete pairs, statements cached, %d steps per transaction in savepoints: %.0f/s%n",
            GROUP, n / ((System.nanoTime() - t0) / 1e9));
      }
    }
  }

  static final int GROUP = Integer.getInteger("group", 3);

  static String[] claim(Connection c, Map<String, PreparedStatement> ps, boolean cache) throws SQLException {
    return claim(c, ps, cache, true);
  }

  static void complete(Connection c, Map<String, PreparedStatement> ps, boolean cache, String id, String lock) throws SQLException {
    complete(c, ps, cache, id, lock, true);
  }

  /** One claim; {@code own}: in a transaction of its own, else inside the caller's. */
  static String[] claim(Connection c, Map<String, PreparedStatement> ps, boolean cache, boolean own) throws SQLException {
    long k = seq++;
    String lock = "lk" + k, run = "r" + k;
    double now = System.currentTimeMillis() / 1000.0;
    List<PreparedStatement> open = new ArrayList<>();
    if (own) c.setAutoCommit(false);
    PreparedStatement s1 = get(c, ps, cache, CLAIM, open);
    s1.setString(1, lock); s1.setString(2, "w"); s1.setDouble(3, now + 60); s1.setDouble(4, now); s1.setDouble(5, now); s1.setString(6, run); s1.setDouble(7, now); s1.setString(8, null); s1.setString(9, "bench"); s1.setString(10, null); s1.setString(11, null); s1.setString(12, "bench");
    String id = null;
    try (ResultSet rs = s1.executeQuery()) { if (rs.next()) { for (int i = 1; i <= 23; i++) rs.getString(i); id = rs.getString(1); } }
    if (id == null) { if (own) { c.rollback(); c.setAutoCommit(true); } return null; }
    PreparedStatement s2 = get(c, ps, cache, RUN, open);
    s2.setString(1, run); s2.setString(2, id); s2.setString(3, "w"); s2.setDouble(4, now); s2.executeUpdate();
    event(c, ps, cache, open, id, run, "claimed", now);
    if (own) c.setAutoCommit(true); // COMMIT, as the service's transaction manager does
    for (PreparedStatement s : open) s.close();
    return new String[] {id, lock};
  }

  static void complete(Connection c, Map<String, PreparedStatement> ps, boolean cache, String id, String lock, boolean own) throws SQLException {
    double now = System.currentTimeMillis() / 1000.0;
    List<PreparedStatement> open = new ArrayList<>();
    if (own) c.setAutoCommit(false);
    PreparedStatement s1 = get(c, ps, cache, RELEASE, open);
    s1.setString(1, "done"); s1.setDouble(2, now); s1.setString(3, "ok"); s1.setString(4, "done"); s1.setDouble(5, now); s1.setString(6, id); s1.setString(7, lock);
    try (ResultSet rs = s1.executeQuery()) { if (!rs.next()) throw new IllegalStateException("lock lost"); for (int i = 1; i <= 23; i++) rs.getString(i); }
    PreparedStatement s2 = get(c, ps, cache, RUN_DONE, open);
    s2.setString(1, "completed"); s2.setString(2, "done"); s2.setString(3, "ok"); s2.setString(4, null); s2.setDouble(5, now); s2.setString(6, id);
    String run;
    try (ResultSet rs = s2.executeQuery()) { rs.next(); run = rs.getString(1); }
    event(c, ps, cache, open, id, run, "completed", now);
    PreparedStatement s3 = get(c, ps, cache, PROMOTE, open);
    s3.setDouble(1, now); s3.setString(2, id);
    try (ResultSet rs = s3.executeQuery()) { while (rs.next()) { rs.getString(1); } }
    if (own) c.setAutoCommit(true);
    for (PreparedStatement s : open) s.close();
  }

  static void event(Connection c, Map<String, PreparedStatement> ps, boolean cache, List<PreparedStatement> open,
                    String id, String run, String kind, double now) throws SQLException {
    PreparedStatement s = get(c, ps, cache, EVENT, open);
    s.setString(1, "bench"); s.setString(2, id); s.setString(3, run); s.setString(4, kind); s.setString(5, "{\"worker\":\"w\"}"); s.setDouble(6, now);
    try (ResultSet rs = s.executeQuery()) { rs.next(); }
  }

  static PreparedStatement get(Connection c, Map<String, PreparedStatement> m, boolean cache, String sql, List<PreparedStatement> open) throws SQLException {
    if (!cache) { PreparedStatement p = c.prepareStatement(sql); open.add(p); return p; }
    PreparedStatement p = m.get(sql);
    if (p == null) { p = c.prepareStatement(sql); m.put(sql, p); } else p.clearParameters();
    return p;
  }
}
