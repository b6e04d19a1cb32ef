import java.sql.*;
import java.util.*;
/**
 * The storage ceiling of a claim: the service's claim transaction (BEGIN IMMEDIATE, the claim
 * UPDATE ... RETURNING, a run, an event, COMMIT) over raw JDBC on one connection, with statements
 * prepared per transaction (as JdbcTemplate does) and cached. Claims tasks of board 'bench'.
 * usage: java -cp sqlite-jdbc.jar bench/ClaimCeiling.java DB
 */
public class ClaimCeiling {
  static final String CLAIM = "UPDATE tasks SET status='running', claim_lock=?, claimed_by=?, claim_expires=?, last_heartbeat_at=?, started_at=COALESCE(started_at,?), current_run_id=?, updated_at=?, assignee=COALESCE(assignee,?) WHERE id=(SELECT id FROM tasks WHERE board=? AND status='ready' AND (? IS NULL OR assignee IS NULL OR assignee=?) AND (SELECT archived FROM boards WHERE slug=?)=0 ORDER BY priority DESC, created_at, id LIMIT 1) AND status='ready' RETURNING id, board, title, body, assignee, status, priority, created_by, created_at, updated_at, started_at, completed_at, claimed_by, claim_expires, last_heartbeat_at, current_run_id, consecutive_failures, last_failure_error, result, idempotency_key, block_kind, block_reason, blocked_at";
  public static void main(String[] a) throws Exception {
    Properties p = new Properties(); p.setProperty("journal_mode","WAL"); p.setProperty("busy_timeout","5000"); p.setProperty("synchronous","NORMAL"); p.setProperty("foreign_keys","true"); p.setProperty("transaction_mode","IMMEDIATE");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a[0], p)) {
      for (boolean cache : new boolean[]{false, true, false, true}) {
        Map<String, PreparedStatement> ps = new HashMap<>();
        long n = 0, t0 = System.nanoTime(), end = t0 + 3_000_000_000L;
        while (System.nanoTime() < end) {
          c.setAutoCommit(false);
          double now = System.currentTimeMillis() / 1000.0;
          PreparedStatement s1 = get(c, ps, cache, CLAIM);
          s1.setString(1, "lk"+n); s1.setString(2,"w"); s1.setDouble(3, now+60); s1.setDouble(4, now); s1.setDouble(5, now); s1.setString(6, "r"+n+"_"+t0); s1.setDouble(7, now); s1.setString(8, null); s1.setString(9, "bench"); s1.setString(10, null); s1.setString(11, null); s1.setString(12, "bench");
          String id = null;
          try (ResultSet rs = s1.executeQuery()) { if (rs.next()) { for (int i=1;i<=23;i++) rs.getString(i); id = rs.getString(1);} }
          if (id == null) { c.rollback(); c.setAutoCommit(true); System.out.println("no ready tasks"); return; }
          PreparedStatement s2 = get(c, ps, cache, "INSERT INTO task_runs(id, task_id, worker, status, started_at) VALUES (?, ?, ?, 'running', ?)");
          s2.setString(1, "r"+n+"_"+t0); s2.setString(2, id); s2.setString(3, "w"); s2.setDouble(4, now); s2.executeUpdate();
          PreparedStatement s3 = get(c, ps, cache, "INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
          s3.setString(1,"bench"); s3.setString(2,id); s3.setString(3,"r"+n); s3.setString(4,"claimed"); s3.setString(5,"{\"worker\":\"w\"}"); s3.setDouble(6, now);
          try (ResultSet rs = s3.executeQuery()) { rs.next(); }
          c.commit(); c.setAutoCommit(true);
          if (!cache) { s1.close(); s2.close(); s3.close(); }
          n++;
        }
        System.out.printf("cache=%s claim transactions/s=%.0f%n", cache, n / ((System.nanoTime()-t0)/1e9));
      }
    }
  }
  static PreparedStatement get(Connection c, Map<String, PreparedStatement> m, boolean cache, String sql) throws SQLException {
    if (!cache) return c.prepareStatement(sql);
    PreparedStatement p = m.get(sql); if (p == null) { p = c.prepareStatement(sql); m.put(sql, p);} else p.clearParameters(); return p;
  }
}
