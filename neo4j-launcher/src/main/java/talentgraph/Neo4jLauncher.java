package talentgraph;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs an embedded Neo4j Community DBMS with Bolt on 127.0.0.1, for TalentGraph's local mode (no
 * NEO4J_URI). Started and supervised by src/graph/localNeo4j.ts; the two sides share this contract:
 *
 * <ul>
 *   <li>stdout carries exactly one line, {@code TALENTGRAPH_NEO4J_READY bolt://127.0.0.1:<port>},
 *       once the default database is online and Bolt accepts connections.
 *   <li>A start-up failure writes one line {@code TALENTGRAPH_NEO4J_ERROR <CODE> <detail>} to stderr
 *       and exits 20 (STORE_LOCKED), 21 (PORT_IN_USE) or 1 (START_FAILED); the stack trace goes to
 *       the log file.
 *   <li>SIGINT / SIGTERM, and stdin reaching EOF under {@code --exit-on-stdin-eof}, shut the DBMS
 *       down cleanly.
 * </ul>
 *
 * Neo4j's own logs go to {@code <data-dir>/logs} (neo4j.log, debug.log), never to stdout.
 */
public final class Neo4jLauncher {
  private static final String READY_PREFIX = "TALENTGRAPH_NEO4J_READY";
  private static final String ERROR_PREFIX = "TALENTGRAPH_NEO4J_ERROR";
  private static final int EXIT_START_FAILED = 1;
  private static final int EXIT_STORE_LOCKED = 20;
  private static final int EXIT_PORT_IN_USE = 21;
  private static final String LOOPBACK = "127.0.0.1";

  private Neo4jLauncher() {}

  /** Parsed command line; see neo4j-launcher/README.md. */
  private record Options(
      Path dataDir, int boltPort, int pageCacheMb, boolean exitOnStdinEof, Map<String, String> settings) {
    static Options parse(String[] args) {
      Map<String, String> values = new HashMap<>();
      Map<String, String> settings = new HashMap<>();
      boolean exitOnStdinEof = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
          case "--setting" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--setting needs a value");
            }
            String entry = args[++i];
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
              throw new IllegalArgumentException("--setting must be <name>=<value>, got " + entry);
            }
            settings.put(entry.substring(0, eq), entry.substring(eq + 1));
          }
          case "--data-dir", "--bolt-port", "--pagecache-mb" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(args[i] + " needs a value");
            }
            values.put(args[i], args[++i]);
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      String dataDir = required(values, "--data-dir");
      int boltPort = intIn(required(values, "--bolt-port"), "--bolt-port", 1, 65535);
      int pageCacheMb = intIn(required(values, "--pagecache-mb"), "--pagecache-mb", 8, 1 << 20);
      return new Options(
          Path.of(dataDir).toAbsolutePath().normalize(), boltPort, pageCacheMb, exitOnStdinEof, Map.copyOf(settings));
    }

    private static String required(Map<String, String> values, String flag) {
      String value = values.get(flag);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(flag + " is required");
      }
      return value;
    }

    private static int intIn(String raw, String flag, int min, int max) {
      try {
        int value = Integer.parseInt(raw);
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException ignored) {
        // reported below with the accepted range
      }
      throw new IllegalArgumentException(flag + " must be an integer in [" + min + ", " + max + "], got " + raw);
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      fail(EXIT_START_FAILED, "START_FAILED", e.getMessage());
      return;
    }

    Path logsDir = options.dataDir().resolve("logs");
    OutputStream userLog;
    try {
      Files.createDirectories(logsDir);
      userLog = new FileOutputStream(logsDir.resolve("neo4j.log").toFile(), true);
    } catch (IOException e) {
      fail(EXIT_START_FAILED, "START_FAILED", "cannot write logs under " + logsDir + ": " + e.getMessage());
      return;
    }
    Log4jLogProvider userLogProvider = new Log4jLogProvider(userLog);

    // Registered before build() so a signal during start-up still waits for the DBMS and closes it
    // cleanly instead of halting the JVM half-way through recovery or index population.
    StartupState state = new StartupState();
    Runtime.getRuntime().addShutdownHook(new Thread(state::shutdown, "talentgraph-neo4j-shutdown"));
    if (options.exitOnStdinEof()) {
      watchStdinForEof();
    }

    try {
      DatabaseManagementService dbms = newBuilder(options, userLogProvider).build();
      state.started(dbms);
      awaitDefaultDatabase(dbms);
      awaitBoltListening(options.boltPort());
    } catch (Throwable t) {
      state.failed();
      userLogProvider.getLog(Neo4jLauncher.class).error("TalentGraph Neo4j launcher failed to start", t);
      failFor(t, options);
      return;
    }

    System.out.println(READY_PREFIX + " bolt://" + LOOPBACK + ":" + options.boltPort());
    System.out.flush();
    // Neo4j's worker threads keep the JVM alive too, but parking main makes the lifetime explicit:
    // the process ends only through System.exit (stdin EOF) or a signal, both of which run the hook.
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static DatabaseManagementServiceBuilder newBuilder(Options options, Log4jLogProvider userLogProvider)
      throws IOException {
    Map<Setting<?>, Object> settings = new HashMap<>();
    // Bolt only, on loopback. Authentication is off because nothing but local processes can reach
    // 127.0.0.1, which keeps local mode free of credentials; never change the listen address to a
    // routable interface without turning auth back on.
    settings.put(BoltConnector.enabled, true);
    settings.put(BoltConnector.listen_address, new SocketAddress(LOOPBACK, options.boltPort()));
    settings.put(BoltConnector.advertised_address, new SocketAddress(LOOPBACK, options.boltPort()));
    settings.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
    settings.put(HttpConnector.enabled, false);
    settings.put(HttpsConnector.enabled, false);
    settings.put(GraphDatabaseSettings.default_listen_address, new SocketAddress(LOOPBACK));
    settings.put(GraphDatabaseSettings.auth_enabled, false);

    // Memory: the heap is set by -Xmx on the java command line and the off-heap page cache is capped
    // here, so the footprint stays near heap + page cache. Transaction state may use at most half the
    // heap, so one oversized query fails with a memory-limit error instead of an OutOfMemoryError.
    settings.put(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(options.pageCacheMb()));
    settings.put(GraphDatabaseSettings.memory_transaction_global_max_size, Runtime.getRuntime().maxMemory() / 2);

    // Local mode often runs without internet access, and a developer's database should not phone home.
    settings.put(GraphDatabaseSettings.udc_enabled, false);

    // A development store: keep at most two 128 MiB transaction log files instead of the default
    // "2 days", which can grow to gigabytes during an ESCO import.
    settings.put(GraphDatabaseSettings.keep_logical_logs, "2 files");
    settings.put(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(128));
    settings.put(GraphDatabaseSettings.log_queries, GraphDatabaseSettings.LogQueryLevel.OFF);

    // Store under <data-dir>/data, logs (debug.log) under <data-dir>/logs; neo4j_home is the data dir.
    settings.put(GraphDatabaseSettings.logs_directory, options.dataDir().resolve("logs"));
    // Waiting for running transactions at shutdown is bounded so SIGTERM finishes well within the
    // 30 s the Node side waits before SIGKILL.
    settings.put(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(10));
    // Netty's default 5 s quiet period is spent once per Bolt event-loop group (two of them), adding
    // 10 s to every stop and every failed start. Nothing here needs it: open connections are closed
    // by Neo4j's connection registry first. An internal setting, so re-check it on Neo4j upgrades.
    settings.put(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1);

    DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(options.dataDir())
        .setConfig(settings)
        .setUserLogProvider(userLogProvider);
    // Settings from --setting (name=value, as in neo4j.conf), through a properties file: the public
    // builder takes raw settings only that way. Neo4j validates each (an unknown name or a bad value
    // fails the start with its message).
    if (!options.settings().isEmpty()) {
      Path file = options.dataDir().resolve("launcher-settings.conf");
      StringBuilder lines = new StringBuilder();
      options.settings().forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
      Files.createDirectories(options.dataDir());
      Files.writeString(file, lines.toString());
      builder.loadPropertiesFromFile(file);
    }
    return builder;
  }

  /**
   * build() returns once the DBMS is up, but the default database may still be recovering; Bolt
   * clients would see "database unavailable" until it is online.
   */
  private static void awaitDefaultDatabase(DatabaseManagementService dbms) {
    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    while (!db.isAvailable(Duration.ofSeconds(1).toMillis())) {
      // No deadline here: the parent owns the start-up timeout and kills this process when it expires.
    }
  }

  /** The Bolt connector binds during build(); this confirms it accepts connections before READY. */
  private static void awaitBoltListening(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), (int) Duration.ofSeconds(5).toMillis());
    }
  }

  /**
   * Exits the JVM when stdin closes: the parent Node process holds the other end of the pipe, so EOF
   * means it has exited (even by SIGKILL or a crash) and nobody is left to stop this database.
   */
  private static void watchStdinForEof() {
    Thread watcher = new Thread(
        () -> {
          InputStream in = System.in;
          byte[] buffer = new byte[256];
          try {
            while (in.read(buffer) != -1) {
              // input is ignored; only its end matters
            }
          } catch (IOException e) {
            // a broken pipe means the parent is gone too
          }
          System.exit(0);
        },
        "talentgraph-stdin-eof");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void failFor(Throwable error, Options options) {
    if (causeChainMatches(error, Neo4jLauncher::isLockFailure)) {
      fail(EXIT_STORE_LOCKED, "STORE_LOCKED", options.dataDir().toString());
    } else if (causeChainMatches(error, t -> t instanceof BindException)) {
      fail(EXIT_PORT_IN_USE, "PORT_IN_USE", Integer.toString(options.boltPort()));
    } else {
      // Neo4j's innermost message about a bad setting value names the value, not the setting.
      String given = options.settings().isEmpty()
          ? ""
          : "; settings given with --setting: " + String.join(", ", new TreeSet<>(options.settings().keySet()));
      fail(EXIT_START_FAILED, "START_FAILED", deepestMessage(error)
          + " (details in " + options.dataDir().resolve("logs").resolve("neo4j.log") + given + ")");
    }
  }

  /** Neo4j reports a store held by another process as a FileLockException (two such classes exist). */
  private static boolean isLockFailure(Throwable t) {
    String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    return t.getClass().getSimpleName().equals("FileLockException") || message.contains("lock file");
  }

  private static boolean causeChainMatches(Throwable error, Predicate<Throwable> test) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message usually names the real problem; the outer ones say "error starting". */
  private static String deepestMessage(Throwable error) {
    String message = error.toString();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return message;
  }

  private static void fail(int exitCode, String code, String detail) {
    System.err.println(ERROR_PREFIX + " " + code + " " + detail.replaceAll("\\s+", " ").trim());
    System.err.flush();
    System.exit(exitCode);
  }

  /**
   * Hands the DBMS to the shutdown hook. The hook waits until build() has returned or failed, so a
   * signal that arrives mid-start-up still ends in a clean shutdown.
   */
  private static final class StartupState {
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile DatabaseManagementService dbms;

    void started(DatabaseManagementService started) {
      dbms = started;
      settled.countDown();
    }

    void failed() {
      settled.countDown();
    }

    void shutdown() {
      try {
        settled.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      DatabaseManagementService running = dbms;
      if (running != null) {
        running.shutdown();
      }
    }
  }
}
